"""Settings for the test suite, chosen explicitly: pytest.ini and `./run test` name this module.

The same settings as production (portal.settings) with its test switches on: fast password
hashing, mail kept in memory, the page cache in memory and off unless a test turns it on.
Processes the tests start as a deployed portal (the end-to-end server) use portal.settings.
"""

import os

os.environ["PORTAL_TESTING"] = "1"

from portal.settings import *  # noqa: F403

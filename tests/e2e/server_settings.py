"""Settings for the production-style server the end-to-end tests start.

Exactly the production settings (portal.settings with DEBUG off), except that the static
files are collected into a temporary folder of the test run instead of the project's
`staticfiles/` (portal.settings does not read STATIC_ROOT from the environment yet).
"""

import os

from portal.settings import *  # noqa: F403
from portal.settings import STATIC_ROOT as _DEFAULT_STATIC_ROOT

STATIC_ROOT = os.environ.get("E2E_STATIC_ROOT") or os.environ.get("STATIC_ROOT") or _DEFAULT_STATIC_ROOT

"""The date-sensitive visits tests again, with the clock at 00:30 Shanghai time, when the UTC
date is still yesterday: they must pass at any hour (issue 13, item 3)."""

import pytest

from tests.visits.test_appointments import *  # noqa: F403  (collected again, under the frozen clock)
from tests.visits.test_ledgers import *  # noqa: F403
from tests.visits.test_reminders import *  # noqa: F403

pytestmark = pytest.mark.usefixtures("shanghai_small_hours")

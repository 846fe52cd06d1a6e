"""The guide's expected-completion dates again, with the clock at 00:30 Shanghai time (the
UTC date is still yesterday): they must pass at any hour (issue 13, item 3)."""

import pytest

from tests.guide.test_pages import (  # noqa: F401  (collected again, under the frozen clock)
    test_expected_completion_date_honours_calendar_adjustments,
    warm_calendar_cache,
)

pytestmark = pytest.mark.usefixtures("shanghai_small_hours")

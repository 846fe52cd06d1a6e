"""The date-sensitive liaison tests again, with the clock at 00:30 Shanghai time, when the
UTC date is still yesterday: they must pass at any hour (issue 13, item 3)."""

import pytest

from tests.liaison.test_admin import (  # noqa: F401  (collected again here, under the frozen clock)
    test_figures_page_shows_definitions,
    test_ledgers_as_xlsx_and_csv_with_bom,
    test_ledgers_keep_formula_titles_as_text_and_dates_as_local_date_cells,
)
from tests.liaison.test_clocks import test_dry_run_changes_nothing  # noqa: F401

pytestmark = pytest.mark.usefixtures("shanghai_small_hours")

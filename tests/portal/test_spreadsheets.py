"""The one spreadsheet/CSV writer: formula-safe text, real local date cells, CSV with a BOM."""

import csv
import datetime
import io
import zoneinfo

from openpyxl import load_workbook

from portal.core.spreadsheets import Sheet, csv_lines, unquote_text, xlsx_bytes

EVIL = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_text_starting_like_a_formula_stays_text_in_xlsx():
    data = xlsx_bytes(Sheet(title="=t", header=["a"], rows=[[v] for v in EVIL] + [["普通文字"], [-5], [2.5]]))
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    for cell, evil in zip(cells, EVIL):
        assert cell.data_type == "s" and cell.value == "'" + evil
    assert cells[len(EVIL)].value == "普通文字"
    assert cells[-2].value == -5 and cells[-2].data_type == "n" and cells[-1].value == 2.5


def test_text_starting_like_a_formula_is_quoted_in_csv():
    text = "".join(csv_lines(["a", "b"], [[v, 1] for v in EVIL]))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert [r[0] for r in rows[1:]] == ["'" + v for v in EVIL]
    assert all(unquote_text(r[0]) == v for r, v in zip(rows[1:], EVIL))


def test_dates_are_date_cells_and_times_are_local(settings):
    utc = datetime.datetime(2026, 3, 31, 17, 30, tzinfo=datetime.timezone.utc)  # 01:30 on 1 April in Shanghai
    assert settings.TIME_ZONE == "Asia/Shanghai"
    data = xlsx_bytes(Sheet(title="t", header=["d", "t"], rows=[[datetime.date(2026, 4, 1), utc]]))
    row = next(load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2))
    assert row[0].is_date and row[0].value == datetime.datetime(2026, 4, 1) and row[0].number_format == "yyyy-mm-dd"
    assert row[1].is_date and row[1].value == datetime.datetime(2026, 4, 1, 1, 30)
    text = "".join(csv_lines(["d", "t"], [[datetime.date(2026, 4, 1), utc.astimezone(zoneinfo.ZoneInfo("UTC"))]]))
    assert "2026-04-01,2026-04-01 01:30" in text


def test_caption_and_several_sheets():
    data = xlsx_bytes(
        Sheet(title="一", header=["h"], rows=[[1]], caption="台帐（全县）", widths=[20]),
        Sheet(title="二", header=["x"], rows=[]),
    )
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["一", "二"]
    assert [r for r in book["一"].iter_rows(values_only=True)] == [("台帐（全县）",), ("h",), (1,)]
    assert book["一"].freeze_panes == "A3" and book["二"].freeze_panes == "A2"

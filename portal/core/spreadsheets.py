"""The one writer of spreadsheets (XLSX) and CSV files that the portal hands out.

Every cell goes through `cell_value`, so that:
- text a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) is kept as
  text by a leading single quote (OWASP "CSV injection"), in XLSX and CSV alike;
- dates and times are real date cells in XLSX (local time, Asia/Shanghai — never UTC) and
  ISO text in CSV;
- CSV is UTF-8 with a byte-order mark, so that Excel reads the Chinese.

XLSX is written with openpyxl (tablib's own XLSX engine) in write-only mode: rows stream into
the file, so a year's ledger never sits in memory as cell objects, and each cell can carry its
date format, which tablib's Dataset cannot express.
"""

import csv
import datetime
import decimal
import io
from dataclasses import dataclass, field
from urllib.parse import quote

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def safe_text(value):
    """Text a spreadsheet shows as text, never runs: a leading quote before a formula start."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def unquote_text(text):
    """The inverse of safe_text, for files the portal exported and gets back as an import."""
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_START else text


def cell_value(value, *, for_csv=False):
    """The value as written: numbers and dates as themselves (datetimes in local time,
    without a zone, which Excel cannot hold), booleans and everything else as safe text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return safe_text(value)
    if isinstance(value, (int, float, decimal.Decimal)):
        return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M") if for_csv else value
    if isinstance(value, datetime.date):
        return value.isoformat() if for_csv else value
    if isinstance(value, Promise):
        value = str(value)
    return safe_text(value)


@dataclass
class Sheet:
    """One worksheet: a header row (bold, frozen), rows of values, and optionally a caption
    line above the header, column widths and wrapped text."""

    title: str
    header: list
    rows: object  # any iterable of row sequences; consumed once
    caption: str = ""
    widths: list = field(default_factory=list)
    wrap: bool = False


def _xlsx_cell(sheet, value, *, font=None, alignment=None):
    cell = WriteOnlyCell(sheet, value=cell_value(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"  # never a formula, whatever openpyxl guesses
    elif isinstance(cell.value, datetime.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(cell.value, datetime.date):
        cell.number_format = DATE_FORMAT
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    return cell


def xlsx_bytes(*sheets):
    """The workbook of `sheets` as XLSX bytes."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for spec in sheets:
        sheet = workbook.create_sheet(title=safe_text(spec.title)[:31] or "Sheet")
        for column, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = width
        header_row = 2 if spec.caption else 1
        sheet.freeze_panes = f"A{header_row + 1}"
        if spec.caption:
            sheet.append([_xlsx_cell(sheet, spec.caption, font=Font(bold=True, size=14))])
        sheet.append(
            [_xlsx_cell(sheet, value, font=bold, alignment=wrap if spec.wrap else None) for value in spec.header]
        )
        alignment = wrap if spec.wrap else None
        for row in spec.rows:
            sheet.append([_xlsx_cell(sheet, value, alignment=alignment) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def disposition(filename):
    """An attachment header that keeps a Chinese file name (RFC 6266) with an ASCII fallback."""
    ext = filename.rsplit(".", 1)[1] if "." in filename else "bin"
    return f"attachment; filename=\"download.{ext}\"; filename*=UTF-8''{quote(filename)}"


def bytes_response(content, filename):
    """XLSX bytes made by xlsx_bytes as a download named `filename` (with extension)."""
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_response(filename, *sheets):
    """`filename` without extension; the workbook as a download."""
    return bytes_response(xlsx_bytes(*sheets), f"{filename}.xlsx")


class _Echo:
    def write(self, value):
        return value


def csv_lines(header, rows):
    """The CSV text, line by line, starting with the byte-order mark."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([cell_value(v, for_csv=True) for v in header])
    for row in rows:
        yield writer.writerow([cell_value(v, for_csv=True) for v in row])


def csv_response(filename, header, rows):
    """`filename` without extension; streamed row by row."""
    response = StreamingHttpResponse((line.encode("utf-8") for line in csv_lines(header, rows)), content_type=CSV_TYPE)
    response["Content-Disposition"] = disposition(f"{filename}.csv")
    response["X-Content-Type-Options"] = "nosniff"
    return response

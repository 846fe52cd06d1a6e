"""The files an import page hands out: a template to fill in, and the report of a run.

The template is an XLSX workbook: the headers (required ones bold) with an example row, a
drop-down on columns with a fixed list of values, and a sheet that says what each column takes.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from django.utils.translation import gettext as _

from portal.core.spreadsheets import XLSX_TYPE as XLSX
from portal.core.spreadsheets import safe_text as _cell

__all__ = ["XLSX", "report_xlsx", "template_xlsx"]


def _save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_xlsx(importer_class) -> bytes:
    headers = list(importer_class.required_headers) + list(importer_class.optional_headers)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Data")
    sheet.append(headers)
    sheet.append([importer_class.example_row.get(h, "") for h in headers])
    for column, header in enumerate(headers, start=1):
        sheet.cell(row=1, column=column).font = Font(bold=header in importer_class.required_headers)
        sheet.column_dimensions[get_column_letter(column)].width = max(12, min(40, 4 + 2 * len(header)))
        values = importer_class.choices.get(header)
        if values:
            letter = get_column_letter(column)
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(values) + '"',
                allow_blank=True,
                showErrorMessage=True,
                error=_("Choose one of the listed values."),
            )
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}5000")
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(_("How to fill in"))
    notes.append([_("Column"), _("Required"), _("What to write")])
    for header in headers:
        allowed = importer_class.choices.get(header)
        text = importer_class.column_notes.get(header, "")
        if allowed:
            text = (text + " " if text else "") + _("One of: %s") % "、".join(allowed)
        notes.append([header, _("yes") if header in importer_class.required_headers else _("no"), text])
    notes.append([])
    notes.append(
        [
            _(
                "Delete the example row before importing. Dates are written YYYY-MM-DD; several values in "
                "one cell are separated by ；"
            )
        ]
    )
    for cell in notes[1]:
        cell.font = Font(bold=True)
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["C"].width = 90
    return _save(workbook)


def report_xlsx(lines, errors) -> bytes:
    """The report of an import run: its summary lines, then one row per rejected line."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Report")
    for line in lines:
        sheet.append([_cell(line)])
    sheet.append([])
    sheet.append([_("Line"), _("Reason")])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row_number, message in errors:
        sheet.append([row_number, _cell(message)])
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 100
    return _save(workbook)

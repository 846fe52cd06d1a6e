"""Spreadsheet imports (CSV or XLSX) as ../shared/formats.md fixes them.

A subclass names its headers and natural key and turns one row into a saved record.
The file is read with tablib; every rejected row is reported with its row number and a
reason in Chinese; a wrong header imports nothing; dry runs roll everything back.
"""

import datetime
import io
import re
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.core.spreadsheets import unquote_text

MULTI_VALUE_SEPARATORS = re.compile(r"[；;\n]+")


class RowError(Exception):
    """A row that cannot be imported; the message is shown to the user as it is."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)  # (row number, message)
    unknown_columns: list = field(default_factory=list)
    header_errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # (row number, what the import did beside the record)
    messages: list = field(default_factory=list)  # what the import did for the whole file
    dry_run: bool = False

    @property
    def ok(self):
        return not self.header_errors and not self.errors


def split_values(value):
    return [part.strip() for part in MULTI_VALUE_SEPARATORS.split(value or "") if part.strip()]


def parse_date(value, header):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        raise RowError(
            _("%(header)s must be a date written as YYYY-MM-DD, not “%(value)s”.") % {"header": header, "value": value}
        )


def parse_whole_number(value, header):
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        try:
            number = float(value)
        except ValueError:
            number = None
        if number is None or number != int(number):
            raise RowError(
                _("%(header)s must be a whole number, not “%(value)s”.") % {"header": header, "value": value}
            )
        number = int(number)
    if number < 0:
        raise RowError(_("%(header)s cannot be negative.") % {"header": header})
    return number


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        # Spreadsheet cells are naive (wall-clock) times; an aware one is taken in local time.
        return (timezone.localdate(value) if timezone.is_aware(value) else value.date()).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # A file the portal exported carries a quote before text that looks like a formula.
    return unquote_text(str(value).strip())


def read_table(uploaded, filename=""):
    """Rows of a CSV (UTF-8, with or without BOM) or XLSX file as (headers, list of rows)."""
    content = uploaded.read() if hasattr(uploaded, "read") else uploaded
    name = (filename or getattr(uploaded, "name", "") or "").lower()
    if content[:2] == b"PK" or name.endswith(".xlsx"):
        try:
            dataset = tablib.Dataset().load(io.BytesIO(content), format="xlsx")
        except Exception as error:
            raise RowError(_("The file could not be read as an XLSX workbook.")) from error
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise RowError(_("The file is not UTF-8 text. Save the spreadsheet as “CSV UTF-8” or as XLSX."))
        try:
            dataset = tablib.Dataset().load(text, format="csv")
        except Exception as error:
            raise RowError(_("The file could not be read as CSV.")) from error
    headers = [_cell_text(h) for h in (dataset.headers or [])]
    rows = [[_cell_text(v) for v in row] for row in dataset]
    return headers, rows


class SpreadsheetImporter:
    """Imports run with the importing user's rights: each row asks the same rules as the forms
    (`require`); `user=None` is the operator running a management command."""

    required_headers = ()
    optional_headers = ()
    # For the XLSX template (portal/core/import_files.py): an example row, the columns that take
    # one of a fixed list of values, and what the other columns take.
    example_row = {}
    choices = {}
    column_notes = {}

    def __init__(self, *, user=None):
        self.user = user

    def require(self, perm, obj, message):
        """Refuse the row (reported with its number) unless the importing user may `perm` `obj`."""
        if self.user is not None and not self.user.has_perm(perm, obj):
            raise RowError(message)

    def may(self, perm, obj):
        return self.user is None or self.user.has_perm(perm, obj)

    def prepare(self):
        """Load lookup tables once per import."""

    def note(self, message):
        """Report something the current row did beside its record (e.g. a new theme); kept only
        if the row is imported."""
        self._row_notes.append(message)

    def natural_key(self, row):
        """The row's natural key, normalised as the import compares it (formats.md: trimmed,
        codes upper-cased), or None when the row has none; a key may appear once per file."""
        return None

    def import_row(self, row, row_number):
        """Create or update one record from `row` (header → text); return True if created."""
        raise NotImplementedError

    def run(self, uploaded, *, dry_run=False, filename=""):
        result = ImportResult(dry_run=dry_run)
        with translation.override("zh-hans"):
            try:
                headers, rows = read_table(uploaded, filename)
            except RowError as exc:
                result.header_errors.append(str(exc))
                return result
            known = set(self.required_headers) | set(self.optional_headers)
            missing = [h for h in self.required_headers if h not in headers]
            duplicated = sorted({h for h in headers if h and headers.count(h) > 1})
            if missing:
                result.header_errors.append(_("Missing required columns: %s") % "、".join(missing))
            if duplicated:
                result.header_errors.append(_("Columns that appear twice: %s") % "、".join(duplicated))
            result.unknown_columns = [h for h in headers if h and h not in known]
            if result.header_errors:
                return result
            first_rows = {}  # natural key → the line it first appeared on
            self.result = result
            with transaction.atomic():
                self.prepare()  # inside: what it writes (a new guide edition) is rolled back by a dry run
                for index, values in enumerate(rows, start=2):
                    row = {h: (values[i] if i < len(values) else "") for i, h in enumerate(headers) if h in known}
                    if not any(row.values()):
                        continue
                    key = self.natural_key(row)
                    if key is not None:
                        if key in first_rows:
                            result.errors.append(
                                (
                                    index,
                                    _(
                                        "Same record as line %(first)d (%(key)s); a record may "
                                        "appear only once in a file, so line %(line)d was not "
                                        "imported."
                                    )
                                    % {"first": first_rows[key], "line": index, "key": key_text(key)},
                                )
                            )
                            continue
                        first_rows[key] = index
                    self._row_notes = []
                    try:
                        with transaction.atomic():
                            created = self.import_row(row, index)
                    except RowError as exc:
                        result.errors.append((index, str(exc)))
                        continue
                    except ValidationError as exc:
                        result.errors.append((index, "；".join(_validation_messages(exc))))
                        continue
                    result.notes.extend((index, message) for message in self._row_notes)
                    if created:
                        result.created += 1
                    else:
                        result.updated += 1
                if dry_run:
                    transaction.set_rollback(True)
        return result


def key_text(key):
    """A natural key as the report shows it: its parts joined by “ / ”."""
    return " / ".join(str(part) for part in key) if isinstance(key, tuple) else str(key)


def normalise_key_part(value):
    """Trimmed, inner whitespace collapsed, upper-cased: how codes and names are compared."""
    return " ".join((value or "").split()).upper()


def _validation_messages(exc):
    if hasattr(exc, "message_dict"):
        return [m for messages in exc.message_dict.values() for m in messages]
    return list(exc.messages)


def format_report(result):
    """Plain-text lines of an import report, for the management commands."""
    lines = []
    lines.extend(_("File rejected: %s") % e for e in result.header_errors)
    lines.extend(result.messages)
    if result.errors or result.notes:
        lines.append(_("Line numbers are spreadsheet lines: the header is line 1, the first data row line 2."))
    if result.unknown_columns:
        lines.append(_("Columns ignored (unknown): %s") % "、".join(result.unknown_columns))
    lines.extend(_("Row %(row)d: %(message)s") % {"row": row, "message": message} for row, message in result.notes)
    lines.extend(_("Row %(row)d: %(message)s") % {"row": row, "message": message} for row, message in result.errors)
    if not result.header_errors:
        summary = _("%(created)d created, %(updated)d updated, %(rejected)d rows rejected.") % {
            "created": result.created,
            "updated": result.updated,
            "rejected": len(result.errors),
        }
        if result.dry_run:
            summary = _("Dry run, nothing saved: ") + summary
        lines.append(summary)
    return lines

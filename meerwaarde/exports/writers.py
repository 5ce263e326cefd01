"""The two shapes of an export, written a row at a time: a zip of CSV files, or one workbook.

CSV is what Dutch Excel opens without asking: UTF-8 with a byte order mark, semicolons,
decimal commas, ISO dates. Excel gets numbers as numbers and dates as dates. In both, text a
spreadsheet would run as a formula gets a leading apostrophe (``core.spreadsheets``).
Neither keeps more than one row in memory: the zip entry is written as it goes, the workbook
in XlsxWriter's ``constant_memory`` mode (each row goes to a temporary file once the next
starts).
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Protocol

import xlsxwriter
from django.utils import timezone

from meerwaarde.core.spreadsheets import neutralise
from meerwaarde.exports.columns import Row, Table

COLUMNS_FILE = "kolommen.csv"
COLUMNS_SHEET = "Toelichting"
COLUMNS_HEADER = ["bestand", "kolom", "soort", "omschrijving"]
YES, NO = "ja", "nee"


def _decimal_text(value: Decimal | float) -> str:
    # repr, not str(float), keeps every digit; Decimal's "f" never falls into 1e-05.
    number = value if isinstance(value, Decimal) else Decimal(repr(value))
    return format(number, "f").replace(".", ",")


def _datetime_text(value: datetime.datetime) -> str:
    return (timezone.localtime(value) if timezone.is_aware(value) else value).isoformat()


def csv_value(value: Any) -> str:
    """One CSV cell. Bool before int, datetime before date: each is a subclass of the other."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal | float):
        return _decimal_text(value)
    if isinstance(value, datetime.datetime):
        return _datetime_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise(str(value))


def column_rows(tables: Sequence[Table]) -> list[list[str]]:
    """What ``kolommen.csv`` and the Toelichting sheet hold: per file a line describing it,
    then a line per column."""
    rows = []
    for table in tables:
        rows.append([table.filename, "", "", str(table.description)])
        rows.extend(
            [table.filename, column.name, str(column.kind.label), column.describe()]
            for column in table.columns
        )
    return rows


class Writer(Protocol):
    def describe(self, tables: Sequence[Table]) -> None: ...
    def start(self, table: Table) -> None: ...
    def row(self, values: Row) -> None: ...
    def end(self) -> None: ...
    def close(self) -> None: ...


class CsvZipWriter:
    def __init__(self, path: Path) -> None:
        self._zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED)
        self._text: IO[str] | None = None
        self._csv: Any = None

    def _open(self, name: str) -> None:
        raw = self._zip.open(name, "w", force_zip64=True)
        # utf-8-sig writes the byte order mark that makes Excel read UTF-8.
        self._text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        self._csv = csv.writer(self._text, delimiter=";", lineterminator="\r\n")

    def describe(self, tables: Sequence[Table]) -> None:
        self._open(COLUMNS_FILE)
        self._csv.writerow(COLUMNS_HEADER)
        self._csv.writerows([neutralise(cell) for cell in row] for row in column_rows(tables))
        self.end()

    def start(self, table: Table) -> None:
        self._open(table.filename)
        self._csv.writerow(table.header)

    def row(self, values: Row) -> None:
        self._csv.writerow([csv_value(value) for value in values])

    def end(self) -> None:
        assert self._text is not None
        self._text.close()
        self._text = None

    def close(self) -> None:
        self._zip.close()


class XlsxWriter:
    def __init__(self, path: Path) -> None:
        self._book = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "tmpdir": str(path.parent),
            },
        )
        self._book.use_zip64()
        self._bold = self._book.add_format({"bold": True})
        self._date = self._book.add_format({"num_format": "yyyy-mm-dd"})
        self._wrap = self._book.add_format({"text_wrap": True, "valign": "top"})
        self._sheet: Any = None
        self._next_row = 0

    def describe(self, tables: Sequence[Table]) -> None:
        sheet = self._book.add_worksheet(COLUMNS_SHEET)
        sheet.set_column(0, 1, 28)
        sheet.set_column(2, 2, 22)
        sheet.set_column(3, 3, 90)
        sheet.write_row(0, 0, ["blad", "kolom", "soort", "omschrijving"], self._bold)
        sheet.freeze_panes(1, 0)
        for index, (filename, column, kind, text) in enumerate(column_rows(tables), start=1):
            sheet.write_string(index, 0, filename.removesuffix(".csv"))
            sheet.write_string(index, 1, column)
            sheet.write_string(index, 2, kind)
            sheet.write_string(index, 3, neutralise(text), self._wrap)

    def start(self, table: Table) -> None:
        self._sheet = self._book.add_worksheet(table.name)
        for col, name in enumerate(table.header):
            self._sheet.write_string(0, col, name, self._bold)
            self._sheet.set_column(col, col, max(len(name) + 2, 12))
        self._sheet.freeze_panes(1, 0)
        self._next_row = 1

    def row(self, values: Row) -> None:
        sheet, row = self._sheet, self._next_row
        for col, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, bool):
                sheet.write_string(row, col, YES if value else NO)
            elif isinstance(value, int | float | Decimal):
                sheet.write_number(row, col, float(value))
            elif isinstance(value, datetime.datetime):
                sheet.write_string(row, col, _datetime_text(value))
            elif isinstance(value, datetime.date):
                sheet.write_datetime(row, col, value, self._date)
            else:
                sheet.write_string(row, col, neutralise(str(value)))
        self._next_row += 1

    def end(self) -> None:
        self._sheet = None

    def close(self) -> None:
        self._book.close()

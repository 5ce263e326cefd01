"""The report's tables as an Excel workbook and as a zip of CSV files.

Both take the tables of ``content.content_tables``: the strings the dashboard shows. Excel
gets numbers back as numbers (with a format that shows them as the page does); anything else,
a hidden cell's "te weinig deelnemers" too, stays text, and no text is ever run as a formula.
The CSV files are the dashboard's CSV: UTF-8 with a byte order mark, semicolons, and text that
Excel would run as a formula neutralised.
"""

import csv
import io
import zipfile
from collections.abc import Sequence

import xlsxwriter

from meerwaarde.core.spreadsheets import DUTCH_NUMBER
from meerwaarde.core.spreadsheets import neutralise as csv_cell
from meerwaarde.reports.content import NamedTable


def parse_number(text: str) -> tuple[float | int, str] | None:
    """A Dutch number as the page shows it, with an Excel number format that shows it alike;
    None when the text is not a number."""
    match = DUTCH_NUMBER.match(text)
    if match is None:
        return None
    digits = match["int"].replace(".", "")
    decimals = match["dec"] or ""
    value: float | int = float(f"{digits}.{decimals}") if decimals else int(digits)
    if match["sign"] == "-":
        value = -value
    fraction = "." + "0" * len(decimals) if decimals else ""
    if match["pct"]:
        return value / 100, f"0{fraction}%"
    if match["sign"]:
        body = f"0{fraction}"
        return value, f"+{body};-{body};{body}"
    return value, f"#,##0{fraction}"


def xlsx_bytes(tables: Sequence[NamedTable], *, title: str, author: str) -> bytes:
    """One sheet per table: the caption, the column headings, then the rows."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    workbook.set_properties({"title": title, "author": author})
    bold = workbook.add_format({"bold": True})
    heading = workbook.add_format({"bold": True, "font_size": 13})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    formats: dict[str, object] = {}
    for named in tables:
        table = named.table
        sheet = workbook.add_worksheet(named.name)
        sheet.write_string(0, 0, table.caption, heading)
        for col, column in enumerate(table.columns):
            sheet.write_string(1, col, column, bold)
        widths = [len(column) for column in table.columns]
        for row_index, row in enumerate(table.rows, start=2):
            for col, text in enumerate(row):
                number = parse_number(text) if col > 0 else None
                if number is None:
                    long = len(text) > 60
                    sheet.write_string(row_index, col, text, wrap if long else None)
                    widths[col] = max(widths[col], min(len(text), 60))
                else:
                    value, num_format = number
                    if num_format not in formats:
                        formats[num_format] = workbook.add_format({"num_format": num_format})
                    sheet.write_number(row_index, col, value, formats[num_format])
                    widths[col] = max(widths[col], len(text))
        for col, width in enumerate(widths):
            sheet.set_column(col, col, min(max(width, 8), 60) + 2)
        sheet.freeze_panes(2, 1)
    workbook.close()
    return buffer.getvalue()


def csv_text(named: NamedTable) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_cell(text) for text in named.table.columns])
    writer.writerows([csv_cell(text) for text in row] for row in named.table.rows)
    return out.getvalue()


def csv_zip_bytes(tables: Sequence[NamedTable]) -> bytes:
    """A zip with one CSV file per table, named in the report's order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for named in tables:
            archive.writestr(named.filename, csv_text(named).encode("utf-8"))
    return buffer.getvalue()

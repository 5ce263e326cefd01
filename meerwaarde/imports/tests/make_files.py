"""Writes the files in files/: `python -m meerwaarde.imports.tests.make_files`.

The files are committed; this says how each was made, byte by byte, and remakes them.
"""

import datetime
import io
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent / "files"
HEADER = "clientnummer;datum;instrument;score\r\n"
ROW = "k-001;03-02-2025;djg6;3,5\r\n"
CP1252_ROW = "k-002;04-02-2025;Positieve Gezondheid (café);4\r\n"

CSV = {
    # Files that must be refused, each with its own message.
    "empty.csv": b"",
    "header_only.csv": HEADER.encode(),
    "header_and_empty_lines.csv": (HEADER + "\r\n;;;\r\n\r\n").encode(),
    "blank.csv": b"\r\n\r\n  \r\n",
    "tabs.csv": b"clientnummer\tdatum\tscore\r\nk-001\t03-02-2025\t3,5\r\n",
    "one_column.csv": b"clientnummer\r\nk-001\r\nk-002\r\n",
    "header_semicolon_rows_comma.csv": b"clientnummer;datum;score\r\nk-001,03-02-2025,3\r\n",
    "utf8_then_cp1252.csv": (HEADER + ROW.replace("djg6", "café")).encode("utf-8")
    + CP1252_ROW.encode("cp1252"),
    "cp1252_then_utf8.csv": (HEADER + ROW).encode()
    + CP1252_ROW.encode("cp1252")
    + CP1252_ROW.encode("utf-8"),
    "not_cp1252.csv": (HEADER + ROW).encode() + b"k-003;05-02-2025;djg6;\x81\r\n",
    "utf16.csv": (HEADER + ROW).encode("utf-16"),
    "binary.csv": b"clientnummer;score\r\n\x00\x01\x02\x03",
    "unterminated_quote.csv": (HEADER + ROW + 'k-002;04-02-2025;"djg6;4\r\nk-003;05-0').encode(),
    "last_row_cut_off.csv": (HEADER + ROW + "k-002;04-02-2").encode(),
    "text_after_closing_quote.csv": (HEADER + ROW + 'k-002;"04-02-2025"x;djg6;4\r\n').encode(),
    "duplicate_columns.csv": ("clientnummer;score;datum;Score\r\n" + ROW).encode(),
    "empty_column_name.csv": ("clientnummer;;datum;score\r\n" + ROW).encode(),
    "comma_in_number.csv": (
        b"clientnummer,datum,score\r\nk-001,03-02-2025,3\r\nk-002,04-02-2025,3,5\r\n"
    ),
    "bsn_header.csv": ("BSN;datum;instrument;score\r\n" + ROW).encode(),
    # 111222333 and 123456782 pass the elfproef.
    "bsn_values.csv": (
        b"nummer;datum;instrument;score\r\n111222333;03-02-2025;djg6;3\r\n"
        b"123 456 782;04-02-2025;djg6;4\r\n"
    ),
    "names.csv": (b"clientnummer;Achternaam;datum;score\r\nk-001;Jansen;03-02-2025;3\r\n"),
    "formula.csv": (HEADER + ROW + "k-002;04-02-2025;djg6;=SOM(A1:A3)\r\n").encode(),
    "formula_quoted.csv": (HEADER + ROW + 'k-002;04-02-2025;"@cmd";4\r\n').encode(),
    "not_a_zip.xlsx": b"clientnummer;score\r\nk-001;3\r\n",
    "broken_zip.xlsx": b"PK\x03\x04" + b"\x14\x00" * 40,
    "protected.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
    # Files that must be read.
    "utf8_bom.csv": b"\xef\xbb\xbf" + (HEADER + ROW + CP1252_ROW).encode(),
    "cp1252.csv": (HEADER + ROW + CP1252_ROW).encode("cp1252"),
    "comma.csv": b'clientnummer,datum,score\nk-001,2025-02-03,"3,5"\nk-002,2025-02-04,-2\n',
    "empty_lines.csv": (HEADER + "\r\n" + ROW + ";;;\r\n\r\n" + CP1252_ROW).encode(),
    "trailing_separators.csv": (
        HEADER.replace("\r\n", ";;\r\n") + ROW.replace("\r\n", ";;\r\n")
    ).encode(),
    "quoted_newline.csv": (
        HEADER + 'k-001;03-02-2025;"djg6\r\nregel twee";3\r\n' + CP1252_ROW
    ).encode(),
    "mac_line_ends.csv": (HEADER + ROW + CP1252_ROW).replace("\r\n", "\r").encode(),
    "no_final_line_break.csv": (HEADER + ROW + CP1252_ROW).rstrip("\r\n").encode(),
}


def _workbook(rows, *, empty=False) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    if not empty:
        for number, row in rows:
            for column, value in enumerate(row, 1):
                sheet.cell(row=number, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEAD = ["clientnummer", "datum", "instrument", "score"]
XLSX = {
    "formula.xlsx": [(1, HEAD), (2, ["k-001", datetime.date(2025, 2, 3), "djg6", "=2+1"])],
    "duplicate_columns.xlsx": [(1, ["clientnummer", "score", "Score"]), (2, ["k-001", 3, 4])],
    "header_only.xlsx": [(1, HEAD)],
    "empty_sheet.xlsx": [],
    "good.xlsx": [
        (1, [*HEAD, "actief"]),
        (2, ["k-001", datetime.datetime(2025, 2, 3), "djg6", 3.5, True]),
        (4, ["k-002", "04-02-2025", "djg6", 4, False]),
        (5, ["k-003", datetime.date(2025, 2, 5), "djg6", -1.25, None]),
    ],
}


def main() -> None:
    HERE.mkdir(exist_ok=True)
    for name, data in CSV.items():
        (HERE / name).write_bytes(data)
    for name, rows in XLSX.items():
        (HERE / name).write_bytes(_workbook(rows))


if __name__ == "__main__":
    main()

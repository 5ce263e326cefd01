"""The reading layer against the files in files/ (made by make_files.py) and generated streams."""

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest

from meerwaarde.imports import reading
from meerwaarde.imports.reading import FileProblem, open_table, refuse_identifying_columns
from meerwaarde.imports.values import parse_date, parse_decimal

FILES = Path(__file__).parent / "files"
HEADER = ["clientnummer", "datum", "instrument", "score"]
K1 = {"clientnummer": "k-001", "datum": "03-02-2025", "instrument": "djg6", "score": "3,5"}
K2 = {
    "clientnummer": "k-002",
    "datum": "04-02-2025",
    "instrument": "Positieve Gezondheid (café)",
    "score": "4",
}


def read(name: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """What an import does: open, refuse identifying columns, read every row."""
    with (FILES / name).open("rb") as file, open_table(file, filename=name) as table:
        refuse_identifying_columns(table)
        return table.columns, [(row.number, row.values) for row in table.rows()]


def read_bytes(data: bytes, name: str = "upload.csv") -> list[tuple[int, dict[str, str]]]:
    with open_table(io.BytesIO(data), filename=name) as table:
        return [(row.number, row.values) for row in table.rows()]


REFUSED = [
    # (file, words the message must contain, the row it must name or None)
    ("empty.csv", "Het bestand is leeg (0 bytes)", None),
    ("blank.csv", "geen kopregel", None),
    ("header_only.csv", "alleen een kopregel en geen rijen", None),
    ("header_and_empty_lines.csv", "alleen een kopregel en geen rijen", None),
    ("header_only.xlsx", "alleen een kopregel en geen rijen", None),
    ("empty_sheet.xlsx", "Het eerste werkblad is leeg", None),
    ("tabs.csv", "gescheiden door tabs", None),
    ("one_column.csv", "maar één kolom", None),
    ("header_semicolon_rows_comma.csv", "gescheiden door ‘;’, maar de rijen door ‘,’", 2),
    (
        "comma_in_number.csv",
        "Deze rij heeft meer waarden (4) dan de kopregel kolommen heeft (3)",
        3,
    ),
    ("utf8_then_cp1252.csv", "twee tekensets door elkaar", 3),
    ("cp1252_then_utf8.csv", "twee tekensets door elkaar", 4),
    ("not_cp1252.csv", "in UTF-8 noch in Windows-1252", 3),
    ("utf16.csv", "‘Unicode-tekst’ (UTF-16)", None),
    ("binary.csv", "geen tekstbestand", None),
    ("unterminated_quote.csv", "wordt nooit gesloten", 3),
    ("last_row_cut_off.csv", "De laatste rij houdt halverwege op", 3),
    ("text_after_closing_quote.csv", "na een aanhalingsteken", 3),
    ("duplicate_columns.csv", "‘Score’ komt twee keer voor (kolom B en D)", 1),
    ("duplicate_columns.xlsx", "‘Score’ komt twee keer voor (kolom B en C)", 1),
    ("empty_column_name.csv", "De kolom in B heeft geen naam", 1),
    ("bsn_header.csv", "De kolom ‘BSN’ bevat burgerservicenummers", None),
    ("bsn_values.csv", "De kolom ‘nummer’ bevat burgerservicenummers", None),
    ("names.csv", "De kolom ‘Achternaam’ lijkt namen te bevatten", None),
    ("formula.csv", "In kolom ‘score’ staat een formule", 3),
    ("formula_quoted.csv", "In kolom ‘instrument’ staat een formule", 3),
    ("formula.xlsx", "In kolom ‘score’ staat een formule", 2),
    ("not_a_zip.xlsx", "geen geldige Excel-werkmap", None),
    ("broken_zip.xlsx", "kan niet als Excel-werkmap (.xlsx) worden gelezen", None),
    ("protected.xlsx", "beveiligd met een wachtwoord", None),
]


@pytest.mark.parametrize(("name", "words", "row"), REFUSED, ids=[r[0] for r in REFUSED])
def test_each_malformed_file_gets_its_own_dutch_message(name, words, row):
    with pytest.raises(FileProblem) as problem:
        read(name)
    assert words in problem.value.message
    assert problem.value.row == row


def test_every_fixture_file_is_tested():
    tested = {name for name, _, _ in REFUSED} | {name for name, _ in READ}
    made = {path.name for path in FILES.iterdir() if not path.name.startswith(".")}
    assert made == tested


def test_the_row_number_is_part_of_the_message_shown():
    with pytest.raises(FileProblem) as problem:
        read("formula.csv")
    assert str(problem.value).startswith("Rij 3: In kolom ‘score’")
    assert "SOM" not in str(problem.value)  # a formula's text may hold a client reference


READ = [
    ("utf8_bom.csv", [(2, K1), (3, K2)]),
    ("cp1252.csv", [(2, K1), (3, K2)]),
    ("no_final_line_break.csv", [(2, K1), (3, K2)]),
    ("mac_line_ends.csv", [(2, K1), (3, K2)]),
    ("empty_lines.csv", [(3, K1), (6, K2)]),
    ("trailing_separators.csv", [(2, K1)]),
    ("quoted_newline.csv", [(2, {**K1, "instrument": "djg6\r\nregel twee", "score": "3"}),
                            (3, K2)]),
    (
        "comma.csv",
        [
            (2, {"clientnummer": "k-001", "datum": "2025-02-03", "score": "3,5"}),
            (3, {"clientnummer": "k-002", "datum": "2025-02-04", "score": "-2"}),
        ],
    ),
    (
        "good.xlsx",
        [
            (2, {**K1, "datum": "2025-02-03", "actief": "WAAR"}),
            (4, {**K1, "clientnummer": "k-002", "datum": "04-02-2025", "score": "4",
                 "actief": "ONWAAR"}),
            (5, {**K1, "clientnummer": "k-003", "datum": "2025-02-05", "score": "-1,25",
                 "actief": ""}),
        ],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("name", "rows"), READ, ids=[r[0] for r in READ])
def test_it_reads_what_excel_and_other_programs_write(name, rows):
    columns, read_rows = read(name)
    assert columns == list(rows[0][1])
    assert read_rows == rows


@pytest.mark.parametrize("name", ["cp1252.csv", "good.xlsx"])
def test_what_either_reader_gives_the_value_parsers_can_read(name):
    _, rows = read(name)
    values = rows[0][1]
    assert parse_decimal(values["score"]) == Decimal("3.5")
    assert parse_date(values["datum"]) == datetime.date(2025, 2, 3)
    assert parse_date(rows[1][1]["datum"]) == datetime.date(2025, 2, 4)


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 8, 13, 40])
@pytest.mark.parametrize("name", [name for name, _ in READ if name.endswith(".csv")])
def test_chunk_boundaries_change_nothing(monkeypatch, name, chunk):
    expected = read(name)
    monkeypatch.setattr(reading, "CHUNK", chunk)
    assert read(name) == expected


@pytest.mark.parametrize("chunk", range(1, 60))
def test_a_formula_is_found_wherever_a_chunk_ends(monkeypatch, chunk):
    monkeypatch.setattr(reading, "CHUNK", chunk)
    data = b"a;b\r\n1;2\r\n3;4\r\n=cmd;5\r\n6;7\r\n"
    with pytest.raises(FileProblem, match="formule") as problem:
        read_bytes(data)
    assert problem.value.row == 4


@pytest.mark.parametrize("chunk", range(1, 30))
def test_a_formula_in_a_value_spanning_lines_is_found_wherever_a_chunk_ends(monkeypatch, chunk):
    monkeypatch.setattr(reading, "CHUNK", chunk)
    data = b'a;b\r\n1;2\r\n3;"=cmd\r\nmeer\r\nnog meer"\r\n6;7\r\n'
    with pytest.raises(FileProblem, match="formule") as problem:
        read_bytes(data)
    assert problem.value.row == 3


def _ascii_rows(count: int) -> bytes:
    return b"".join(b"k-%06d;03-02-2025;djg6;3\r\n" % i for i in range(count))


HEAD = b"clientnummer;datum;instrument;score\r\n"


def test_windows_1252_is_recognised_when_its_first_accent_comes_megabytes_in():
    data = HEAD + _ascii_rows(120_000) + "k-x;03-02-2025;café;3\r\n".encode("cp1252")
    assert len(data) > 2 * reading.CHUNK
    rows = read_bytes(data)
    assert rows[-1] == (120_002, {**K1, "clientnummer": "k-x", "instrument": "café", "score": "3"})


def test_windows_1252_after_utf8_far_into_the_file_is_mixed_at_its_row():
    data = (
        HEAD
        + "k-é;03-02-2025;djg6;3\r\n".encode()
        + _ascii_rows(120_000)
        + "k-x;03-02-2025;café;3\r\n".encode("cp1252")
    )
    with pytest.raises(FileProblem, match="twee tekensets") as problem:
        read_bytes(data)
    assert problem.value.row == 120_003


def test_utf8_after_windows_1252_far_into_the_file_is_mixed_at_its_row():
    data = (
        HEAD
        + "k-é;03-02-2025;djg6;3\r\n".encode("cp1252")
        + _ascii_rows(120_000)
        + "k-x;03-02-2025;café;3\r\n".encode()
    )
    with pytest.raises(FileProblem, match="twee tekensets") as problem:
        read_bytes(data)
    assert problem.value.row == 120_003


def test_an_unterminated_quote_names_the_row_where_it_opens():
    data = HEAD + _ascii_rows(10) + b'k-x;03-02-2025;"djg6;3\r\n' + _ascii_rows(10)
    with pytest.raises(FileProblem, match="nooit gesloten") as problem:
        read_bytes(data)
    assert problem.value.row == 12


def test_an_overlong_value_names_its_row():
    data = HEAD + _ascii_rows(3) + b'k-x;03-02-2025;"' + b"x\r\n" * 50_000 + b'";3\r\n'
    with pytest.raises(FileProblem, match=r"langer dan 100\.000 tekens") as problem:
        read_bytes(data)
    assert problem.value.row == 5


def test_a_file_without_line_breaks_is_refused_without_reading_it_all(monkeypatch):
    monkeypatch.setattr(reading, "MAX_LINE", 100)
    with pytest.raises(FileProblem, match="langer dan een megabyte"):
        read_bytes(HEAD + b"x;" * 200)


def test_a_short_row_inside_the_file_gets_empty_values():
    rows = read_bytes(HEAD + b"k-001;03-02-2025\r\n" + _ascii_rows(1))
    assert rows[0] == (
        2,
        {"clientnummer": "k-001", "datum": "03-02-2025", "instrument": "", "score": ""},
    )


def test_rows_can_be_read_again_from_the_start():
    with (FILES / "cp1252.csv").open("rb") as file, open_table(file, filename="x.csv") as table:
        assert list(table.rows()) == list(table.rows())
    with (FILES / "good.xlsx").open("rb") as file, open_table(file, filename="x.xlsx") as table:
        assert list(table.rows()) == list(table.rows())


def test_an_xlsx_named_csv_is_read_as_excel():
    with (FILES / "good.xlsx").open("rb") as file, open_table(file, filename="export.csv") as table:
        assert table.columns == [*HEADER, "actief"]


def test_the_size_hint_counts_rows_of_a_small_file_and_estimates_a_large_one(monkeypatch):
    data = HEAD + _ascii_rows(1000)
    with open_table(io.BytesIO(data), filename="x.csv") as table:
        assert table.size_hint == 1000
    monkeypatch.setattr(reading, "SNIFF", 2000)
    with open_table(io.BytesIO(data), filename="x.csv") as table:
        assert 950 <= table.size_hint <= 1050


def test_nine_digit_client_numbers_that_are_no_bsns_pass():
    # Of these ten, only 123456782 passes the elfproef: chance, not a column of BSNs.
    numbers = [b"123456782", *(b"%09d" % n for n in range(100000001, 100000010))]
    data = b"clientnummer;score\r\n" + b"".join(n + b";3\r\n" for n in numbers)
    with open_table(io.BytesIO(data), filename="x.csv") as table:
        refuse_identifying_columns(table)
        assert len(list(table.rows())) == 10


def test_a_bsn_column_is_found_among_other_client_numbers():
    data = b"nummer;score\r\nk-1;3\r\nk-2;3\r\n111222333;3\r\n"
    with open_table(io.BytesIO(data), filename="x.csv") as table, pytest.raises(FileProblem):
        refuse_identifying_columns(table)


def test_the_bsn_message_never_repeats_a_value():
    with pytest.raises(FileProblem) as problem:
        read("bsn_values.csv")
    assert "111222333" not in str(problem.value)
    assert "123 456 782" not in str(problem.value)

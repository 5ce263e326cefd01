"""Reading an uploaded CSV or Excel file row by row, without ever holding the whole file.

``open_table`` looks at the start of the file only (encoding, delimiter, header) and refuses
what it can already see is wrong; ``Table.rows()`` then streams, so memory does not grow with
the file. Every problem is a ``FileProblem`` with a Dutch message, and a row number as the user
sees it in the spreadsheet (the header is row 1) when one row is to blame. Values are handed on
as the file has them, surrounding spaces included; ``values.py`` reads numbers and dates.

The file must be seekable: every call of ``rows()`` starts again from the beginning, so
``refuse_identifying_columns`` can look at the first rows before the import reads them all.
"""

import codecs
import csv
import datetime
import io
import logging
import re
import warnings
from abc import ABC, abstractmethod
from collections.abc import Generator, Iterator
from itertools import chain, islice
from types import TracebackType
from typing import Any, BinaryIO, NamedTuple, Self

from django.utils.translation import gettext as _

from meerwaarde.participants.pseudonyms import is_bsn

from . import identifying
from .values import is_formula

logger = logging.getLogger(__name__)

CHUNK = 1 << 20
MAX_LINE = 1 << 20  # longer than any real row; keeps a file without line breaks out of memory
SNIFF = 64 << 10
SAMPLE_ROWS = 1000
DELIMITERS = (";", ",")  # on a tie the first wins: Dutch Excel writes semicolons
_FORMULA_AT_START = re.compile(r'"?[=+\-@\t]|"\r')
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an .xls, or an .xlsx with a password
_ZIP = b"PK\x03\x04"
# A complete UTF-8 multibyte sequence; Windows-1252 text almost never has one by chance
# (an accented capital followed by a symbol such as "É€").
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


class FileProblem(Exception):
    """What is wrong with the file, in Dutch for the user; ``row`` when one row is to blame."""

    def __init__(self, message: str, *, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.row = row

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return _("Rij %(row)s: %(message)s") % {"row": self.row, "message": self.message}


class NoRows(FileProblem):
    """A file with its header and nothing under it: wrong for an import of one file, an
    empty table for the restore of an export (``restore``)."""


class SourceRow(NamedTuple):
    number: int
    values: dict[str, str]


class Table(ABC):
    """The header and a stream of rows; empty lines are skipped but keep their number."""

    columns: list[str]
    size_hint: int | None  # rows, for progress; an estimate from the size for CSV

    @abstractmethod
    def rows(self) -> Generator[SourceRow, None, None]: ...

    @abstractmethod
    def close(self) -> None:
        """Release what the reader holds; the file itself stays the caller's."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_table(file: BinaryIO, *, filename: str) -> Table:
    """A CSV (comma or semicolon; UTF-8 with or without BOM, or Windows-1252) or .xlsx table.

    The kind is decided by the file's first bytes rather than its name, so an .xlsx saved as
    ".csv" still reads; the name only sharpens the message for a file that is neither.
    """
    start = file.tell()
    magic = file.read(len(_OLE2))
    file.seek(start)
    if not magic:
        raise FileProblem(_("Het bestand is leeg (0 bytes)."))
    if magic.startswith(_ZIP):
        return _XlsxTable(file)
    if magic == _OLE2:
        raise FileProblem(
            _(
                "Dit Excel-bestand is beveiligd met een wachtwoord of opgeslagen in de oude "
                "indeling (.xls). Haal de beveiliging eraf en sla het op als Excel-werkmap "
                "(.xlsx), of als CSV."
            )
        )
    if filename.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        raise FileProblem(
            _(
                "Dit bestand heet een spreadsheet, maar is geen geldige Excel-werkmap (.xlsx). "
                "Open het in Excel en sla het opnieuw op als Excel-werkmap of als CSV."
            )
        )
    return _CsvTable(file, start=start)


def refuse_identifying_columns(table: Table, *, sample: int = SAMPLE_ROWS) -> None:
    """Refuse a column of BSNs or names, by its header or by the first ``sample`` rows.

    A column counts as BSNs when at least half of its nine-digit values pass the elfproef: a
    client number of nine random digits passes one time in eleven, a BSN always. Messages never
    repeat a value.
    """
    for column in table.columns:
        if identifying.is_bsn_header(column):
            raise FileProblem(_bsn_message(column))
        if identifying.is_name_header(column):
            raise FileProblem(
                _(
                    "De kolom ‘%(column)s’ lijkt namen te bevatten. Namen mogen niet in "
                    "Meerwaarde komen: haal deze kolom uit het bestand. Deelnemers worden "
                    "herkend aan het eigen cliëntnummer van uw organisatie."
                )
                % {"column": column}
            )
    nine_digits = dict.fromkeys(table.columns, 0)
    bsns = dict.fromkeys(table.columns, 0)
    rows = table.rows()
    try:
        for row in islice(rows, sample):
            for column, value in row.values.items():
                if identifying.looks_like_nine_digits(value):
                    nine_digits[column] += 1
                    bsns[column] += is_bsn(value)
    finally:
        rows.close()
    for column in table.columns:
        if bsns[column] and bsns[column] * 2 >= nine_digits[column]:
            raise FileProblem(_bsn_message(column))


def _bsn_message(column: str) -> str:
    return _(
        "De kolom ‘%(column)s’ bevat burgerservicenummers (BSN). Een BSN mag niet in Meerwaarde "
        "komen: haal deze kolom uit het bestand en gebruik het eigen cliëntnummer van uw "
        "organisatie."
    ) % {"column": column}


# Shared by both readers -----------------------------------------------------------------------


def _column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how the user finds a column in the spreadsheet."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _header(record: list[str], number: int) -> list[str]:
    """The stripped column names; trailing empty ones are dropped (Excel writes them)."""
    names = [name.strip() for name in record]
    while names and not names[-1]:
        names.pop()
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        if not name:
            raise FileProblem(
                _("De kolom in %(letter)s heeft geen naam in de kopregel.")
                % {"letter": _column_letter(index)},
                row=number,
            )
        if is_formula(name):
            raise FileProblem(
                _("In de kopregel staat een formule in kolom %(letter)s.")
                % {"letter": _column_letter(index)},
                row=number,
            )
        key = name.casefold()
        if key in seen:
            raise FileProblem(
                _("De kolomnaam ‘%(name)s’ komt twee keer voor (kolom %(first)s en %(second)s).")
                % {
                    "name": name,
                    "first": _column_letter(seen[key]),
                    "second": _column_letter(index),
                },
                row=number,
            )
        seen[key] = index
    return names


def _fit(record: list[str], width: int, number: int, *, cut_off: bool) -> list[str] | None:
    """The row made as wide as the header, or None for an empty line; the slow path only."""
    if not any(value.strip() for value in record):
        return None
    if len(record) < width:
        if cut_off:
            raise FileProblem(
                _(
                    "De laatste rij houdt halverwege op: het bestand lijkt afgebroken. Sla het "
                    "bestand opnieuw op en probeer het nog eens."
                ),
                row=number,
            )
        # Some programs leave out empty cells at the end of a row; they are empty values.
        return record + [""] * (width - len(record))
    if any(value.strip() for value in record[width:]):
        raise FileProblem(
            _(
                "Deze rij heeft meer waarden (%(count)s) dan de kopregel kolommen heeft "
                "(%(width)s). Staat er een scheidingsteken in een waarde, bijvoorbeeld een komma "
                "in een getal terwijl ook de kolommen met komma's zijn gescheiden?"
            )
            % {"count": len(record), "width": width},
            row=number,
        )
    return record[:width]


def _refuse_formulas(record: list[str], columns: list[str], number: int) -> None:
    for column, value in zip(columns, record, strict=False):
        if is_formula(value):
            raise FileProblem(
                # The value is not repeated: it may be a client reference.
                _(
                    "In kolom ‘%(column)s’ staat een formule (een waarde die begint met =, +, -, "
                    "@ of een tab). Meerwaarde voert geen formules uit: zet in Excel de uitkomst "
                    "als waarde in de cel (Kopiëren, Plakken speciaal, Waarden), of haal het "
                    "teken aan het begin weg als het tekst is."
                )
                % {"column": column},
                row=number,
            )


# CSV ------------------------------------------------------------------------------------------


class _Undecodable(Exception):
    """Decoding stopped; ``text`` is what came before the offending byte."""

    def __init__(self, text: str, *, mixed: bool) -> None:
        super().__init__()
        self.text = text
        self.mixed = mixed

    def problem(self) -> FileProblem:
        if self.mixed:
            return FileProblem(
                _(
                    "Het bestand bevat tekst in twee tekensets door elkaar (UTF-8 en "
                    "Windows-1252). Sla het bestand in Excel op als ‘CSV UTF-8 (door "
                    "lijstscheidingsteken gescheiden)’."
                )
            )
        return FileProblem(
            _(
                "Het bestand bevat een teken dat in UTF-8 noch in Windows-1252 bestaat. Sla het "
                "bestand in Excel op als ‘CSV UTF-8 (door lijstscheidingsteken gescheiden)’."
            )
        )


class _Decoder:
    """UTF-8 (with or without BOM) until a byte says otherwise, then Windows-1252.

    The switch needs no second pass over the file: it is only made while everything before
    was ASCII, which reads the same in both. A failing byte after UTF-8 text, or UTF-8 text
    after the switch, means the file mixes both.
    """

    def __init__(self) -> None:
        self._utf8 = codecs.getincrementaldecoder("utf-8")()
        self.encoding: str | None = None  # None while the text so far is ASCII
        self._started = False

    def decode(self, data: bytes, *, final: bool = False) -> str:
        if not self._started:
            self._started = True
            if data.startswith(codecs.BOM_UTF8):
                data = data[len(codecs.BOM_UTF8) :]
                self.encoding = "utf-8"
        if self.encoding == "cp1252":
            return self._cp1252(data)
        try:
            text = self._utf8.decode(data, final)
        except UnicodeDecodeError as error:
            # error.object includes what the decoder held back from the previous chunk
            before = error.object[: error.start]
            if self.encoding is None and before.isascii():
                self.encoding = "cp1252"
                return self._cp1252(error.object)
            raise _Undecodable(before.decode("utf-8"), mixed=True) from None
        if self.encoding is None and not text.isascii():
            self.encoding = "utf-8"
        return text

    @staticmethod
    def _cp1252(data: bytes) -> str:
        if sequence := _UTF8_SEQUENCE.search(data):
            raise _Undecodable(data[: sequence.start()].decode("cp1252", "replace"), mixed=True)
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise _Undecodable(data[: error.start].decode("cp1252"), mixed=False) from None


class _Source:
    """The file's text in pieces of whole lines, decoded as it is read.

    ``suspicious`` tells the row loop that a value in a piece read since the last row may
    start like a formula: one regular expression over a megabyte instead of a look at every
    value of every row. The loop checks the row and then resets the flag to ``current`` (the
    next row starts in the current piece); a new piece only ever raises it, so a quoted
    value spanning several pieces is still checked.
    ``cut_off`` is set just before the last piece when it has no line break at its end.
    """

    def __init__(self, file: BinaryIO, start: int, delimiter: str) -> None:
        self._file = file
        self._start = start
        # An unquoted value cannot start with CR (that ends the line), a quoted one can.
        self._formula_inside = re.compile(r"[\n\r" + re.escape(delimiter) + r'](?:"?[=+\-@\t]|"\r)')
        self.suspicious = False
        self.current = False
        self.cut_off = False

    def pieces(self) -> Iterator[io.StringIO]:
        self._file.seek(self._start)
        decoder = _Decoder()
        pending = ""
        while True:
            chunk = self._file.read(CHUNK)
            final = not chunk
            try:
                text = pending + decoder.decode(chunk, final=final)
            except _Undecodable as error:
                text = pending + error.text
                cut = max(text.rfind("\n"), text.rfind("\r")) + 1
                self.suspicious = self.current = True
                yield io.StringIO(text[:cut], newline="")
                raise error.problem() from None
            if final:
                if text:
                    self.cut_off = not text.endswith(("\n", "\r"))
                    self.suspicious = self.current = True
                    yield io.StringIO(text, newline="")
                return
            # A CR at the very end may be the first half of CRLF: it waits for the next chunk.
            cut = max(text.rfind("\n"), text.rfind("\r", 0, len(text) - 1)) + 1
            pending = text[cut:]
            if len(pending) > MAX_LINE:
                raise FileProblem(
                    _("Een regel is langer dan een megabyte: dit lijkt geen CSV-bestand.")
                )
            self.current = (
                _FORMULA_AT_START.match(text) is not None
                or self._formula_inside.search(text, 0, cut) is not None
            )
            self.suspicious = self.suspicious or self.current
            yield io.StringIO(text[:cut], newline="")


class _CsvTable(Table):
    def __init__(self, file: BinaryIO, *, start: int) -> None:
        self._file = file
        self._start = start
        head = file.read(SNIFF)
        size = file.seek(0, io.SEEK_END) - start
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise FileProblem(
                _(
                    "Dit bestand is opgeslagen als ‘Unicode-tekst’ (UTF-16). Sla het bestand in "
                    "Excel op als ‘CSV UTF-8 (door lijstscheidingsteken gescheiden)’."
                )
            )
        if b"\x00" in head:
            raise FileProblem(
                _("Dit is geen tekstbestand. Kies een CSV-bestand of een Excel-werkmap (.xlsx).")
            )
        whole = len(head) == size
        try:
            text = _Decoder().decode(head, final=whole)
        except _Undecodable as error:
            text, whole = error.text, False  # rows() says where, with the row number
        if not whole:
            text = text[: max(text.rfind("\n"), text.rfind("\r")) + 1]
            if not text and len(head) == SNIFF:
                raise FileProblem(_("De eerste regel is erg lang: dit lijkt geen CSV-bestand."))
        self.delimiter, records = self._sniff(text)
        if not records:
            raise FileProblem(_("Het bestand heeft geen kopregel: er staat niets in."))
        self._header_number, header = records[0]
        self.columns = _header(header, self._header_number)
        if len(self.columns) < 2:
            raise FileProblem(self._one_column_message(header[0] if header else ""))
        if len(records) > 1:
            self._check_first_row(records[1], text)
        if whole:
            self.size_hint: int | None = len(_first_records(text, self.delimiter)) - 1
        else:
            lines = max(head.count(b"\n"), head.count(b"\r"))
            self.size_hint = max(0, round(size * lines / len(head)) - 1)

    @staticmethod
    def _sniff(text: str) -> tuple[str, list[tuple[int, list[str]]]]:
        """The delimiter that splits the header into the most columns, and the first two rows."""
        found = [(delimiter, _first_records(text, delimiter, 2)) for delimiter in DELIMITERS]
        return max(found, key=lambda option: len(option[1][0][1]) if option[1] else 0)

    def _check_first_row(self, first: tuple[int, list[str]], text: str) -> None:
        """Header and rows split by different delimiters: say so now, not once per row."""
        number, record = first
        if len(record) != 1 or len(self.columns) < 2:
            return
        other = next(d for d in DELIMITERS if d != self.delimiter)
        again = next((r for n, r in _first_records(text, other) if n == number), [])
        if len(again) == len(self.columns):
            raise FileProblem(
                _(
                    "De kopregel is gescheiden door ‘%(header)s’, maar de rijen door "
                    "‘%(rows)s’. Gebruik in het hele bestand hetzelfde scheidingsteken."
                )
                % {"header": self.delimiter, "rows": other},
                row=number,
            )

    @staticmethod
    def _one_column_message(header: str) -> str:
        if "\t" in header:
            return _(
                "De kolommen zijn gescheiden door tabs. Meerwaarde leest CSV met puntkomma's of "
                "komma's: sla het bestand in Excel op als ‘CSV UTF-8 (door lijstscheidingsteken "
                "gescheiden)’."
            )
        return _(
            "De kopregel heeft maar één kolom: de kolommen zijn niet gescheiden door een "
            "puntkomma of een komma. Sla het bestand in Excel op als ‘CSV UTF-8 (door "
            "lijstscheidingsteken gescheiden)’."
        )

    def rows(self) -> Generator[SourceRow, None, None]:
        source = _Source(self._file, self._start, self.delimiter)
        reader = csv.reader(
            chain.from_iterable(source.pieces()), delimiter=self.delimiter, strict=True
        )
        columns = self.columns
        width = len(columns)
        records = enumerate(reader, 1)
        number = 0
        found = False
        try:
            for number, _record in records:
                if number == self._header_number:
                    break
            for number, record in records:
                if len(record) != width or not any(record):
                    fitted = _fit(record, width, number, cut_off=source.cut_off)
                    if fitted is None:
                        continue
                    record = fitted
                if source.suspicious:
                    _refuse_formulas(record, columns, number)
                    source.suspicious = source.current
                found = True
                yield SourceRow(number, dict(zip(columns, record, strict=True)))
        except csv.Error as error:
            raise _csv_problem(error, number + 1) from None
        except FileProblem as problem:
            if problem.row is None:
                problem.row = number + 1
            raise
        if not found:
            raise NoRows(_("Het bestand heeft alleen een kopregel en geen rijen."))

    def close(self) -> None:
        pass  # the file is the caller's; nothing else is held between calls of rows()


def _first_records(
    text: str, delimiter: str, count: int | None = None
) -> list[tuple[int, list[str]]]:
    """Up to ``count`` non-empty records with their row numbers; what parses before an error."""
    found: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for number, record in enumerate(reader, 1):
            if any(value.strip() for value in record):
                found.append((number, record))
                if len(found) == count:
                    break
    except csv.Error:
        pass
    return found


def _csv_problem(error: csv.Error, row: int) -> FileProblem:
    text = str(error)
    if "unexpected end of data" in text:
        message = _(
            'Een aanhalingsteken (") aan het begin van een waarde wordt nooit gesloten: het '
            "bestand lijkt afgebroken, of er ontbreekt een aanhalingsteken."
        )
    elif "field larger than field limit" in text:
        message = _(
            "Een waarde in deze rij is langer dan 100.000 tekens. Meestal wordt dan een "
            'aanhalingsteken (") niet gesloten.'
        )
    elif "expected after" in text:
        message = _(
            'Deze rij kan niet worden gelezen: na een aanhalingsteken (") dat een waarde sluit, '
            "hoort een scheidingsteken of het einde van de regel te staan."
        )
    else:
        message = _("Deze rij kan niet als CSV worden gelezen.")
    return FileProblem(message, row=row)


# Excel ----------------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    """A cell's value as Dutch Excel would write it to CSV, so both kinds read alike."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "WAAR" if value else "ONWAAR"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value).replace(".", ",")
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time | datetime.timedelta):
        return str(value)
    # An array or data-table formula object: its text, or "=" so it is refused as a formula.
    return getattr(value, "text", None) or "="


class _XlsxTable(Table):
    """The first sheet, read-only and without computing formulas: a formula's text arrives as
    a value starting with "=" and is refused like one in a CSV file."""

    def __init__(self, file: BinaryIO) -> None:
        import openpyxl  # only Excel uploads pay for importing it

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # openpyxl warns about styles it skips
                self._workbook = openpyxl.load_workbook(file, read_only=True, data_only=False)
            sheet = self._workbook.worksheets[0]
        except Exception as error:
            logger.info("xlsx refused: %s", type(error).__name__)
            raise FileProblem(
                _(
                    "Dit bestand kan niet als Excel-werkmap (.xlsx) worden gelezen: het is "
                    "beschadigd, onvolledig of van een ander soort. Open het in Excel en sla "
                    "het opnieuw op als Excel-werkmap of als CSV."
                )
            ) from None
        self._sheet = sheet
        max_row = sheet.max_row
        # The stored dimensions may be wrong (some programs write "A1"); read what is there.
        sheet.reset_dimensions()
        try:
            self._header_number, self.columns = self._read_header()
        except FileProblem:
            self.close()  # no Table reaches the caller, so nobody else can
            raise
        number = self._header_number
        self.size_hint = max_row - number if max_row and max_row > number else None

    def _read_header(self) -> tuple[int, list[str]]:
        records = self._records()
        try:
            first = next((found for found in records if any(v.strip() for v in found[1])), None)
        finally:
            records.close()
        if first is None:
            raise FileProblem(_("Het eerste werkblad is leeg: er staat geen kopregel in."))
        number, record = first
        return number, _header(record, number)

    def _records(self) -> Generator[tuple[int, list[str]], None, None]:
        number = 0
        try:
            for number, values in enumerate(self._sheet.iter_rows(values_only=True), 1):
                yield number, [_cell_text(value) for value in values]
        except Exception as error:  # a damaged sheet only shows while it is read
            logger.info("xlsx row unreadable: %s", type(error).__name__)
            raise FileProblem(
                _("Het werkblad is beschadigd en kan vanaf hier niet worden gelezen."),
                row=number + 1,
            ) from None

    def rows(self) -> Generator[SourceRow, None, None]:
        columns = self.columns
        width = len(columns)
        found = False
        records = self._records()
        try:
            for number, record in records:
                if number <= self._header_number:
                    continue
                if len(record) != width or not any(record):
                    fitted = _fit(record, width, number, cut_off=False)
                    if fitted is None:
                        continue
                    record = fitted
                _refuse_formulas(record, columns, number)
                found = True
                yield SourceRow(number, dict(zip(columns, record, strict=True)))
        finally:
            records.close()
        if not found:
            raise NoRows(_("Het eerste werkblad heeft alleen een kopregel en geen rijen."))

    def close(self) -> None:
        self._workbook.close()

"""Restoring a Meerwaarde export (the CSV zip) into an organisation in one step.

The export writes one file per table; the import reads one flat table per kind. This module
joins the export's tables into those flat tables as rows are read (the recipe of
``tests/test_figures.py``) and feeds them to ``engine.import_table``, kind after kind in the
order their rows depend on each other: measurements (with participants and
trajectories), activity months, their referrals, their early signals. Every check is the
importers' own; here are only the checks that the zip is an unaltered export (its files,
their columns, the numbers that tie them together). The organisation's own instruments and
its offers, in full, come through the services instead (``restore_own.py``).

Everything is one transaction: a problem in any table rolls back every table, the ones
before it included. The problems name the export's file, the row in it and the column.

Memory: offers, participants and trajectories are held by id as small tuples (an
organisation's participants number in the tens of thousands); measurements and their
answers are streamed and merge-joined on ``meting_id``, by which the export orders both.
Goal Attainment Scaling goes last, through the services (``restore_gas.py``): the import
kinds cannot hold goals. What they cannot hold otherwise is left out and counted
(``RestoreResult.left_out``): earlier versions of corrected measurements, trajectories
without a measurement and participants without a trajectory. Pseudonyms are
kept as they are: a participant is found again by client reference only with the key of the
exporting organisation.
"""

import shutil
import tempfile
import zipfile
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from meerwaarde.accounts.models import User
from meerwaarde.core.spreadsheets import neutralise
from meerwaarde.exports.tables import TABLES
from meerwaarde.exports.writers import COLUMNS_FILE
from meerwaarde.instruments.models import Instrument
from meerwaarde.organisations.models import Organisation

from .engine import ALL_OR_NOTHING, RowProblem, import_table
from .fields import PSEUDONYM, ImportKind, fields_for
from .reading import FileProblem, NoRows, SourceRow, Table, open_table
from .restore_gas import GasMeasurements

# The zip may unpack to this many times the largest upload, and no more (a zip bomb).
EXPANSION = 20
COPY_CHUNK = 1 << 20

# The export's tables a restore reads, with their columns as the export writes them.
READ = (
    "aanbod",
    "aanbod_locaties",
    "instrumenten",
    "deelnemers",
    "trajecten",
    "doelen",
    "metingen",
    "meting_antwoorden",
    "activiteiten",
    "verwijzingen",
    "signalen",
)
HEADERS: dict[str, list[str]] = {t.name: t.header for t in TABLES if t.name in READ}

TRAJECTORY_COLUMNS = ["startdatum", "einddatum", "status"]
MEASUREMENT_COLUMNS = ["instrument_code", "instrument_versie", "moment", "datum"]
ACTIVITY_COLUMNS = [
    "maand",
    "bijeenkomsten",
    "deelnemers_bereikt",
    "nieuwe_deelnemers",
    "actieve_vrijwilligers",
    "uren_vrijwilligers",
]
REFERRAL_COLUMNS = ["maand", "richting", "verwijzer", "aantal"]
SIGNAL_COLUMNS = ["maand", "thema", "aantal"]

# The kinds in the order they are imported, with the export's file each one's rows come from.
STEPS: tuple[tuple[str, str], ...] = (
    (ImportKind.OFFERS, "aanbod"),
    (ImportKind.MEASUREMENTS, "metingen"),
    (ImportKind.ACTIVITIES, "activiteiten"),
    (ImportKind.REFERRALS, "verwijzingen"),
    (ImportKind.SIGNALS, "signalen"),
)
COUNTS = ("read", "created", "already_present", "updated")
LEFT_OUT = ("earlier_versions", "gas_without_goal", "trajectories", "participants")


def max_uncompressed_bytes() -> int:
    return int(settings.IMPORT_MAX_UPLOAD_BYTES) * EXPANSION


@dataclass(frozen=True)
class RestoreProblem:
    """A problem in ``file`` (the export's file name, e.g. ``metingen.csv``)."""

    file: str
    problem: RowProblem

    def __str__(self) -> str:
        return f"{self.file}: {self.problem}"

    def as_row_problem(self) -> RowProblem:
        """For ``engine.write_problems_file``: the file goes with the column."""
        column = f"{self.file}: {self.problem.column}" if self.problem.column else self.file
        return RowProblem(self.problem.row, column, self.problem.message)


@dataclass
class RestoreResult:
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # by kind
    left_out: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEFT_OUT, 0))
    problems: list[RestoreProblem] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return not self.problems

    def summary(self) -> dict[str, Any]:
        """What the job keeps in its payload for the result page."""
        return {"counts": self.counts, "left_out": self.left_out}


# The archive ----------------------------------------------------------------------------------


def _not_an_export() -> str:
    return _(
        "Dit is geen export van Meerwaarde. Kies het zip-bestand dat Meerwaarde maakte bij "
        "‘Exporteren’ (de variant ‘CSV-bestanden in een zip’), zonder het te openen en "
        "opnieuw op te slaan."
    )


def _open_zip(file: BinaryIO) -> zipfile.ZipFile:
    start = file.tell()
    if not file.read(1):
        raise FileProblem(_("Het bestand is leeg (0 bytes)."))
    file.seek(start)
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileProblem(_("Dit bestand is geen zip-bestand.") + " " + _not_an_export()) from None
    return archive


def _first_line(archive: zipfile.ZipFile, name: str) -> str:
    with archive.open(name) as member:
        head = member.read(64 << 10)
    text = head.decode("utf-8-sig", errors="replace")
    return text.splitlines()[0] if text else ""


def check_archive(file: BinaryIO) -> None:
    """Refuse, with a Dutch message (``FileProblem``), what is not a Meerwaarde CSV export:
    not a zip, a workbook, no ``kolommen.csv``, a table missing or with other columns, or
    more unpacked bytes than ``max_uncompressed_bytes``. Reads only the zip's directory and
    each table's first line; leaves ``file`` where it was."""
    start = file.tell()
    try:
        with _open_zip(file) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                raise FileProblem(
                    _(
                        "Dit is een Excel-werkmap. Een export kan alleen worden ingelezen als "
                        "zip met CSV-bestanden: kies bij ‘Exporteren’ die variant."
                    )
                )
            if COLUMNS_FILE not in names:
                raise FileProblem(
                    _("Het bestand %(file)s ontbreekt in de zip.") % {"file": COLUMNS_FILE}
                    + " "
                    + _not_an_export()
                )
            missing = [f"{table}.csv" for table in READ if f"{table}.csv" not in names]
            if missing:
                raise FileProblem(
                    _("Deze bestanden ontbreken in de zip: %(files)s.")
                    % {"files": ", ".join(missing)}
                    + " "
                    + _not_an_export()
                )
            size = sum(info.file_size for info in archive.infolist())
            if size > max_uncompressed_bytes():
                raise FileProblem(_too_big())
            for table in READ:
                _check_header(table, _first_line(archive, f"{table}.csv"))
    finally:
        file.seek(start)


def _too_big() -> str:
    return _(
        "De export is uitgepakt groter dan Meerwaarde in één keer inleest. Lees de "
        "gegevens in delen in via het gewone importeren."
    )


def _check_header(table: str, line: str) -> None:
    found = [name.strip() for name in line.split(";")]
    expected = HEADERS[table]
    missing = [name for name in expected if name not in found]
    extra = [name for name in found if name not in expected]
    if missing or extra:
        details = []
        if missing:
            details.append(_("ontbrekend: %(names)s") % {"names": ", ".join(missing)})
        if extra:
            details.append(_("onverwacht: %(names)s") % {"names": ", ".join(extra[:10])})
        raise FileProblem(
            _("De kolommen van %(file)s zijn niet die van een export (%(details)s).")
            % {"file": f"{table}.csv", "details": "; ".join(details)}
            + " "
            + _not_an_export()
        )


def _extract(file: BinaryIO, folder: Path) -> dict[str, int]:
    """The tables ``READ`` as files in ``folder``; their rows (lines less the header)."""
    rows: dict[str, int] = {}
    budget = max_uncompressed_bytes()
    with _open_zip(file) as archive:
        for table in READ:
            lines = 0
            with archive.open(f"{table}.csv") as member, (folder / table).open("wb") as out:
                while chunk := member.read(COPY_CHUNK):
                    budget -= len(chunk)
                    if budget < 0:
                        raise FileProblem(_too_big())
                    lines += chunk.count(b"\n")
                    out.write(chunk)
            rows[table] = max(lines - 1, 0)
    return rows


# Reading the export's tables ------------------------------------------------------------------


def _plain(text: str) -> str:
    """The value before the export defused it: its leading apostrophe only when the export
    added one (``core.spreadsheets.neutralise``)."""
    if text.startswith("'") and neutralise(text[1:]) != text[1:]:
        return text[1:]
    return text


class _Rows(Table):
    """A ``reading.Table`` over rows made here: the flat table one import kind reads."""

    def __init__(
        self,
        columns: list[str],
        rows: Callable[[], Iterator[SourceRow]],
        size_hint: int | None,
    ) -> None:
        self.columns = columns
        self._make = rows
        self.size_hint = size_hint

    def rows(self) -> Generator[SourceRow, None, None]:
        yield from self._make()

    def close(self) -> None:
        pass


def export_number(row: SourceRow, column: str, file: str) -> int:
    text = row.values.get(column, "").strip()
    try:
        return int(text)
    except ValueError:
        raise FileProblem(
            _("In %(file)s staat in kolom ‘%(column)s’ geen nummer.")
            % {"file": file, "column": column},
            row=row.number,
        ) from None


@dataclass
class Export:
    """The unpacked tables, and what is held in memory to join them."""

    folder: Path
    sizes: dict[str, int]
    result: RestoreResult
    offer_names: dict[int, str] = field(default_factory=dict)
    gas: GasMeasurements = field(default_factory=GasMeasurements)
    # The file a source problem was found in, when it is not the step's own file.
    failed_file: str = ""

    def read(self, table: str) -> Iterator[SourceRow]:
        file = f"{table}.csv"
        with (
            (self.folder / table).open("rb") as handle,
            open_table(handle, filename=file) as source,
        ):
            try:
                for row in source.rows():
                    yield SourceRow(row.number, {k: _plain(v) for k, v in row.values.items()})
            except NoRows:
                return  # an organisation without, say, referrals exports an empty table
            except FileProblem as problem:
                self.failed_file = file
                raise FileProblem(problem.message, row=problem.row) from None

    def refuse(self, file: str, message: str, row: int | None = None) -> FileProblem:
        self.failed_file = file
        return FileProblem(message, row=row)

    def offer_name(self, row: SourceRow, file: str) -> str:
        pk = export_number(row, "aanbod_id", file)
        name = self.offer_names.get(pk)
        if name is None:
            raise self.refuse(
                file,
                _("Aanbod nummer %(id)s staat niet in aanbod.csv.") % {"id": pk},
                row.number,
            )
        return name

    # One flat table per kind ------------------------------------------------------------------

    def measurements(self) -> Table:
        file = "trajecten.csv"
        people: dict[str, tuple[str, str, str]] = {}
        for row in self.read("deelnemers"):
            pseudonym = row.values[PSEUDONYM].strip()
            people[pseudonym] = (pseudonym, row.values["leeftijdsgroep"], row.values["gender"])
        trajectories: dict[int, tuple[Any, ...]] = {}
        for row in self.read("trajecten"):
            person = people.get(row.values[PSEUDONYM].strip())
            if person is None:
                raise self.refuse(
                    file, _("Deze deelnemer staat niet in deelnemers.csv."), row.number
                )
            trajectories[export_number(row, "traject_id", file)] = (
                person,
                self.offer_name(row, file),
                *(row.values[c] for c in TRAJECTORY_COLUMNS),
            )
        items = self._answer_codes()
        gas = {
            (code.casefold(), version.casefold())
            for code, version in Instrument.objects.filter(
                organisation__isnull=True, definition__kind="gas"
            ).values_list("code", "version")
        }
        header = [
            PSEUDONYM,
            "aanbod_naam",
            *TRAJECTORY_COLUMNS,
            "leeftijdsgroep",
            "gender",
            *MEASUREMENT_COLUMNS,
            *items,
        ]

        def rows() -> Iterator[SourceRow]:
            used: set[int] = set()
            for row, answers, goals in self._measurements_with_answers():
                if row.values["huidig"].strip() != "ja":
                    self.result.left_out["earlier_versions"] += 1
                    continue
                instrument = (
                    row.values["instrument_code"].strip().casefold(),
                    row.values["instrument_versie"].strip().casefold(),
                )
                trajectory_id = export_number(row, "traject_id", "metingen.csv")
                trajectory = trajectories.get(trajectory_id)
                if trajectory is None:
                    raise self.refuse(
                        "metingen.csv",
                        _("Traject nummer %(id)s staat niet in trajecten.csv.")
                        % {"id": trajectory_id},
                        row.number,
                    )
                used.add(trajectory_id)
                if goals or instrument in gas:
                    self.gas.keep(row, trajectory_id, answers, goals)
                    continue
                (pseudonym, age_band, gender), offer, *dates = trajectory
                values = dict(
                    zip(header, (pseudonym, offer, *dates, age_band, gender), strict=False)
                )
                values.update({c: row.values[c] for c in MEASUREMENT_COLUMNS})
                values.update(answers)
                yield SourceRow(row.number, values)
            self.gas.found(trajectories, used)
            self.result.left_out["trajectories"] = len(trajectories) - len(used)
            self.result.left_out["participants"] = len(people) - len(
                {id(trajectories[pk][0]) for pk in used}
            )

        return _Rows(header, rows, self.sizes["metingen"])

    def _answer_codes(self) -> list[str]:
        """The question codes the answers use: one column each in the flat table."""
        codes: set[str] = set()
        for row in self.read("meting_antwoorden"):
            if code := row.values["vraag"].strip():
                codes.add(code)
        clash = sorted(code for code in codes if code.casefold() in fields_for("metingen"))
        if clash:
            raise self.refuse(
                "meting_antwoorden.csv",
                _("De vraagcode ‘%(code)s’ is ook de naam van een kolom van de metingen.")
                % {"code": clash[0]},
            )
        return sorted(codes)

    def _measurements_with_answers(
        self,
    ) -> Iterator[tuple[SourceRow, dict[str, str], list[tuple[int, str, str]]]]:
        """Each row of metingen.csv with its answers and its GAS goals' answers (row in
        meting_antwoorden.csv, goal number, answer): both files are ordered by
        ``meting_id``, so one pass over each suffices (a merge join)."""
        file, answers_file = "metingen.csv", "meting_antwoorden.csv"
        answer_rows = self.read("meting_antwoorden")
        pending = next(answer_rows, None)
        last_answer = last = 0
        for row in self.read("metingen"):
            pk = export_number(row, "meting_id", file)
            if pk <= last:
                raise self.refuse(file, _not_sorted(file), row.number)
            last = pk
            answers: dict[str, str] = {}
            goals: list[tuple[int, str, str]] = []
            while pending is not None:
                answer_pk = export_number(pending, "meting_id", answers_file)
                if answer_pk < last_answer:
                    raise self.refuse(answers_file, _not_sorted(answers_file), pending.number)
                if answer_pk > pk:
                    break
                last_answer = answer_pk
                if answer_pk < pk:
                    raise self.refuse(answers_file, _orphan(answer_pk), pending.number)
                if code := pending.values["vraag"].strip():
                    answers[code] = pending.values["antwoord"]
                elif number := pending.values["doel"].strip():
                    goals.append((pending.number, number, pending.values["antwoord"]))
                pending = next(answer_rows, None)
            yield row, answers, goals
        if pending is not None:
            answer_pk = export_number(pending, "meting_id", answers_file)
            raise self.refuse(answers_file, _orphan(answer_pk), pending.number)

    def month_counts(self, table: str, columns: list[str]) -> Table:
        file = f"{table}.csv"

        def rows() -> Iterator[SourceRow]:
            for row in self.read(table):
                values = {c: row.values[c] for c in columns}
                values["aanbod_naam"] = self.offer_name(row, file)
                yield SourceRow(row.number, values)

        return _Rows(["aanbod_naam", *columns], rows, self.sizes[table])


def _not_sorted(file: str) -> str:
    return _(
        "%(file)s is niet gesorteerd op meting_id, zoals een export van Meerwaarde dat is."
    ) % {"file": file}


def _orphan(pk: int) -> str:
    return _("Meting nummer %(id)s staat niet in metingen.csv.") % {"id": pk}


# The restore ------------------------------------------------------------------------------


def restore_export(
    *,
    organisation: Organisation,
    file: BinaryIO,
    user: User | None = None,
    progress: Callable[..., None] | None = None,
) -> RestoreResult:
    """Import everything of the export ``file`` (a seekable zip) that the import kinds can
    hold into ``organisation``, all or nothing.

    Raises ``FileProblem`` when the file is not a Meerwaarde CSV export (``check_archive``);
    every other problem is in the result, and then nothing is written. ``progress(done,
    total)`` counts the rows of the kinds' files (it may raise, to cancel: the transaction
    rolls back). Must run where a transaction may be opened (inside ``job_run``'s block).
    """
    from .restore_own import OwnRestore  # here: it imports this module

    check_archive(file)
    folder = Path(tempfile.mkdtemp(prefix="meerwaarde-restore-"))
    try:
        sizes = _extract(file, folder)
        result = RestoreResult()
        export = Export(folder=folder, sizes=sizes, result=result)
        total = sum(sizes[table] for _kind, table in STEPS)
        done = 0
        with transaction.atomic():
            # Own instruments first, as the measurements name them; offers in full.
            in_full = OwnRestore(export=export, organisation=organisation, user=user)
            in_full.instruments()
            for kind, table in STEPS if not result.problems else ():
                export.failed_file = ""
                step_progress = None
                if progress is not None:
                    offset = done

                    def step_progress(n: int, _total: int | None = None, offset=offset) -> None:
                        progress(offset + n, total)

                if kind == ImportKind.OFFERS:
                    in_full.offers(progress=step_progress)
                    if result.problems:
                        break
                    done += sizes[table]
                    continue
                try:
                    flat = _flat_table(export, kind)
                except FileProblem as problem:
                    result.problems.append(
                        RestoreProblem(
                            export.failed_file or f"{table}.csv",
                            RowProblem(problem.row, "", problem.message),
                        )
                    )
                    break
                imported = import_table(
                    organisation=organisation,
                    kind=kind,
                    table=flat,
                    column_map={column: column for column in flat.columns},
                    on_error=ALL_OR_NOTHING,
                    dry_run=False,
                    progress=step_progress,
                    user=user,
                )
                result.counts[kind] = {name: getattr(imported, name) for name in COUNTS}
                for found in imported.problems:
                    own = imported.file_problem and not found.column and export.failed_file
                    result.problems.append(
                        RestoreProblem(export.failed_file if own else f"{table}.csv", found)
                    )
                if result.problems:
                    break
                done += sizes[table]
            if not result.problems:
                gas = export.gas.restore(
                    organisation=organisation, user=user, read=export.read, result=result
                )
                result.problems += [RestoreProblem(file, problem) for file, problem in gas]
            if not result.problems:
                in_full.finish()
            if result.problems:
                transaction.set_rollback(True)
        if progress is not None and not result.problems:
            progress(total, total)
        return result
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _flat_table(export: Export, kind: str) -> Table:
    if kind == ImportKind.MEASUREMENTS:
        return export.measurements()
    if kind == ImportKind.ACTIVITIES:
        return export.month_counts("activiteiten", ACTIVITY_COLUMNS)
    if kind == ImportKind.REFERRALS:
        return export.month_counts("verwijzingen", REFERRAL_COLUMNS)
    return export.month_counts("signalen", SIGNAL_COLUMNS)

"""Reading a mapped table into the organisation's data: checks per row, writes per batch.

``import_table`` is the one entry point (the dry run of the preview, the import job and the
tests alike). Rows are read a batch at a time (``BATCH``) and each kind's importer checks
and writes a whole batch with a handful of queries, so memory holds one batch and the rows
that failed (for the file given back), never the whole file.

Everything happens in one transaction (a savepoint when the caller holds one, as the import
job does). A dry run, and an all-or-nothing import that found a problem, roll it back at the
end: the checks of a dry run are exactly those of the import, including rows that depend on
rows written earlier in the same file (an end measurement of a trajectory the file starts).
"""

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import BinaryIO, Literal

from django.db import transaction
from django.utils.translation import gettext as _

from meerwaarde.accounts.models import User
from meerwaarde.core import generations
from meerwaarde.core.spreadsheets import neutralise
from meerwaarde.organisations.models import Organisation

from .fields import CLIENT_REFERENCE, PSEUDONYM, ImportKind, fields_for
from .importers import IMPORTERS, MappedRow, RowOutcome
from .reading import FileProblem, SourceRow, Table

BATCH = 1000
OnError = Literal["all_or_nothing", "skip"]
ALL_OR_NOTHING: OnError = "all_or_nothing"
SKIP: OnError = "skip"


@dataclass(frozen=True)
class RowProblem:
    """One problem: ``row`` as the spreadsheet numbers it (None: the whole file), ``column``
    the file's column header (or the field's label when the column is missing)."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return f"{self.column}: {self.message}" if self.column else self.message
        if not self.column:
            return _("Rij %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("Rij %(row)s, kolom ‘%(column)s’: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportResult:
    kind: str
    dry_run: bool
    on_error: OnError
    columns: list[str]
    read: int = 0
    created: int = 0
    already_present: int = 0
    updated: int = 0
    skipped: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    # The rows with a problem, as read, with their reason: for ``skipped_rows_file``.
    bad_rows: list[tuple[int, dict[str, str], str]] = field(default_factory=list)
    file_problem: bool = False

    @property
    def written(self) -> bool:
        """Whether the import's rows are in the database now."""
        if self.dry_run or self.file_problem:
            return False
        return self.on_error == SKIP or not self.problems


def _column_problems(
    kind: str, columns: list[str], column_map: Mapping[str, str]
) -> list[RowProblem]:
    specs = fields_for(kind)
    problems: list[RowProblem] = []
    seen: dict[str, str] = {}
    for source, target in column_map.items():
        if source not in columns:
            problems.append(RowProblem(None, source, _("Deze kolom staat niet in het bestand.")))
        elif target in seen:
            problems.append(
                RowProblem(
                    None,
                    source,
                    _("Ook kolom ‘%(other)s’ is aan dit veld gekoppeld; kies er één.")
                    % {"other": seen[target]},
                )
            )
        elif target not in specs and kind != ImportKind.MEASUREMENTS:
            problems.append(
                RowProblem(None, source, _("Onbekend veld ‘%(field)s’.") % {"field": target})
            )
        seen.setdefault(target, source)
    for spec in specs.values():
        if spec.required and spec.name not in seen:
            problems.append(
                RowProblem(
                    None,
                    str(spec.label),
                    _("De verplichte kolom ‘%(label)s’ ontbreekt (veldnaam %(name)s).")
                    % {"label": spec.label, "name": spec.name},
                )
            )
    if kind == ImportKind.MEASUREMENTS and not {CLIENT_REFERENCE, PSEUDONYM} & seen.keys():
        problems.append(
            RowProblem(
                None,
                str(specs[CLIENT_REFERENCE].label),
                _("Er is een kolom met het cliëntnummer of met het pseudoniem nodig."),
            )
        )
    return problems


def import_table(
    *,
    organisation: Organisation,
    kind: str,
    table: Table,
    column_map: Mapping[str, str],
    on_error: OnError,
    dry_run: bool,
    progress: Callable[..., None] | None = None,
    user: User | None = None,
) -> ImportResult:
    """Check every row of ``table`` and, unless this is a dry run, write the good ones.

    ``column_map`` maps the file's column headers to field names (fields.py; for measurements
    also item codes). ``on_error``: ``all_or_nothing`` writes nothing when any row has a
    problem; ``skip`` writes the good rows and keeps the bad ones for ``skipped_rows_file``.
    Raises nothing for the file's content: problems, a broken file included, are in the
    result. ``progress(done, total)`` is called after every batch (it may raise, to cancel).
    """
    if on_error not in (ALL_OR_NOTHING, SKIP):
        raise ValueError(f"on_error must be {ALL_OR_NOTHING!r} or {SKIP!r}")
    result = ImportResult(
        kind=kind, dry_run=dry_run, on_error=on_error, columns=list(table.columns)
    )
    result.problems = _column_problems(kind, table.columns, column_map)
    if result.problems:
        result.file_problem = True
        return result
    with transaction.atomic():
        try:
            importer = IMPORTERS[kind](organisation=organisation, user=user, column_map=column_map)
            batch: list[SourceRow] = []
            for source in table.rows():
                batch.append(source)
                if len(batch) >= BATCH:
                    _run_batch(importer, batch, column_map, result)
                    batch = []
                    if progress is not None:
                        progress(result.read, table.size_hint)
            if batch:
                _run_batch(importer, batch, column_map, result)
            importer.finish()
        except FileProblem as problem:
            result.file_problem = True
            result.problems.append(RowProblem(problem.row, "", problem.message))
        if result.written and (result.created or result.updated):
            generations.bump(generations.FIGURES)
        else:
            transaction.set_rollback(True)
    if progress is not None:
        progress(result.read, result.read)
    return result


def _run_batch(
    importer, batch: list[SourceRow], column_map: Mapping[str, str], result: ImportResult
) -> None:
    mapped = [
        MappedRow(
            number=source.number,
            values={target: source.values.get(column, "") for column, target in column_map.items()},
        )
        for source in batch
    ]
    outcomes: list[RowOutcome] = importer.process(mapped)
    source_column = {target: column for column, target in column_map.items()}
    for source, outcome in zip(batch, outcomes, strict=True):
        result.read += 1
        if outcome.problems:
            result.skipped += 1
            reasons = []
            for problem_field, message in outcome.problems:
                column = source_column.get(problem_field, str(problem_field))
                problem = RowProblem(source.number, column, message)
                result.problems.append(problem)
                reasons.append(f"{column}: {message}" if column else message)
            result.bad_rows.append((source.number, source.values, "; ".join(reasons)))
        elif outcome.status == "created":
            result.created += 1
        elif outcome.status == "updated":
            result.updated += 1
        else:
            result.already_present += 1


def skipped_rows_file(result: ImportResult, *, blank: Iterable[str] = ()) -> bytes:
    """The rows that were not imported, as read, with a column "reden": a CSV that Dutch
    Excel opens (UTF-8 with BOM, semicolons). Texts that would run as formulas are defused.

    The ``blank`` columns (client references) stay empty: the file is kept on disk, and the
    row number ("rij") still finds the row in the user's own file."""
    blank = set(blank)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([*result.columns, "rij", "reden"])
    for number, values, reason in result.bad_rows:
        writer.writerow(
            ["" if column in blank else neutralise(values.get(column, ""))
             for column in result.columns]
            + [number, neutralise(reason)]
        )  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode("utf-8")


PROBLEMS_FILE_NAME = "problemen.csv"


def write_problems_file(problems: Iterable[RowProblem], out: BinaryIO) -> int:
    """Write every problem to ``out`` as a CSV that Dutch Excel opens (UTF-8 with BOM,
    semicolons): columns ``rij`` (empty for the whole file), ``kolom`` and ``melding``,
    texts that would run as formulas defused. Row by row, so memory does not grow with the
    file; returns how many problems were written.

    No client reference can get in: a problem names a column, never a cell's value from the
    client reference column (``pseudonyms.validate_reference`` does not repeat it)."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    try:
        text.write("\ufeff")
        writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
        writer.writerow(["rij", "kolom", "melding"])
        count = 0
        for problem in problems:
            row = "" if problem.row is None else problem.row
            writer.writerow([row, neutralise(problem.column), neutralise(problem.message)])
            count += 1
        text.flush()
    finally:
        text.detach()  # leave ``out`` open for the caller
    return count

"""The export of everything an organisation holds (docs/dev/import-export-contracts.md).

Runs as a background job: ``progress(done, total)`` counts the items read (offers,
measurements, ...), a batch at a time, so a job can show how far it is and stop when asked.
"""

import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any, Literal, TypeVar

from django.db import connection, transaction
from django.utils import timezone

from meerwaarde.accounts.models import User
from meerwaarde.exports.columns import Table
from meerwaarde.exports.tables import TABLES
from meerwaarde.exports.writers import CsvZipWriter, Writer, XlsxWriter
from meerwaarde.organisations.models import Organisation
from meerwaarde.participants.audit import audit_record
from meerwaarde.participants.constants import AuditAction

Format = Literal["csv", "xlsx"]
Progress = Callable[[int, int], None]

# Rows fetched per query and per progress call: a few megabytes at most, whatever the table.
BATCH = 2000

T = TypeVar("T")


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


@contextmanager
def _snapshot() -> Iterator[None]:
    """One consistent view across the tables' queries where that holds nobody up.

    PostgreSQL reads a REPEATABLE READ snapshot without blocking any writer. SQLite's
    transactions here begin IMMEDIATE and would hold off every writer for the whole export, so
    there each table is read as it stands (WAL: reading never blocks). Inside a caller's
    transaction the caller's isolation holds.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _write_tables(
    writer: Writer,
    *,
    organisation: Organisation,
    tables: Sequence[Table],
    progress: Progress | None,
) -> None:
    total = sum(table.source(organisation).count() for table in tables)
    done = 0
    if progress is not None:
        progress(done, total)
    for table in tables:
        writer.start(table)
        items: Iterable[Any] = table.source(organisation).iterator(chunk_size=BATCH)
        for batch in _batches(items, BATCH):
            for row in table.rows(batch):
                writer.row(row)
            done += len(batch)
            if progress is not None:
                progress(done, total)
        writer.end()


def export_organisation(
    *,
    organisation: Organisation,
    fmt: Format,
    progress: Progress | None = None,
    user: User | None = None,
) -> Path:
    """Everything ``organisation`` holds as ``export-<slug>-<date>.zip`` (CSV files and
    ``kolommen.csv``) or ``.xlsx`` (a sheet per table and "Toelichting"), in a new temporary
    folder; the caller moves or deletes it.

    Only the organisation's own rows, and shipped instruments it uses. The export of
    participant-level data is audit-logged, with ``user`` when known. An exception from
    ``progress`` (a cancelled job) stops the export and leaves no file behind.
    """
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"Unknown export format {fmt!r}.")
    folder = Path(tempfile.mkdtemp(prefix="meerwaarde-export-"))
    extension = "zip" if fmt == "csv" else "xlsx"
    path = folder / f"export-{organisation.slug}-{timezone.localdate():%Y-%m-%d}.{extension}"
    try:
        writer: Writer = CsvZipWriter(path) if fmt == "csv" else XlsxWriter(path)
        writer.describe(TABLES)
        with _snapshot():
            _write_tables(writer, organisation=organisation, tables=TABLES, progress=progress)
        writer.close()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    audit_record(
        user=user,
        organisation=organisation,
        action=AuditAction.EXPORT,
        obj=None,
        object_type="organisation_export",
    )
    return path

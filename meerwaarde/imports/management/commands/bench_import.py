"""Benchmark of the measurement import (issue 6): rows per second and peak memory.

For each size (smallest first) a measurement file is written to a temporary folder
(``imports.generate``: De Jong Gierveld 6 by default, for the benchmark organisation's offers)
and loaded twice in the same run:

- the baseline: the database's own bulk load of the same rows into a plain table of text
  columns (PostgreSQL ``COPY ... FROM STDIN (FORMAT csv)`` of the file's bytes; SQLite
  ``executemany`` of the rows as ``csv`` reads them, in one transaction), dropped afterwards;
- the import as the import job runs it: ``open_table``, ``refuse_identifying_columns`` and
  ``import_table`` all-or-nothing in one transaction, pseudonyms, checks, scores, the analysis
  storage and all;

and then the write floors (``imports.bench_floor``): the same numbers of participants,
trajectories, measurements and pairs written by the database alone, set-based, in the same
schema, and the same rows sent from Python as the import sends them, both rolled back. No
import that stores these rows can be faster than the first; none in Python than the second.

Memory is the process's peak resident size during the import (``VmHWM`` of
/proc/self/status, reset just before it through /proc/self/clear_refs) and its growth over
the size the process had then: with the file streamed, a ten times larger file leaves the
peak where it was. ``scripts/bench-import``
runs it on SQLite and PostgreSQL.
"""

import csv
import datetime
import os
import secrets
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from meerwaarde.analysis.management.commands.bench_outcomes import Command as OutcomesBench
from meerwaarde.analysis.models import OutcomePair
from meerwaarde.imports.bench_floor import Counts, write_floor
from meerwaarde.imports.engine import import_table
from meerwaarde.imports.fields import ImportKind
from meerwaarde.imports.generate import header, write_measurements
from meerwaarde.imports.reading import open_table, refuse_identifying_columns
from meerwaarde.measurements.generate_bulk import bench_offers
from meerwaarde.measurements.models import Measurement
from meerwaarde.participants.models import Participant, Trajectory
from meerwaarde.participants.pseudonyms import env_name

TARGET = 50_000  # rows per second
BASELINE_TABLE = "bench_import_baseline"


def _status_mb(field: str) -> float:
    """A size from /proc/self/status (Linux), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    raise LookupError(field)


def _reset_peak() -> None:
    """Start the peak resident size (VmHWM) again from the present size."""
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")


def _baseline(path: Path, columns: list[str]) -> float:
    """Seconds for the database's own bulk load of the file into a plain table."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BASELINE_TABLE}")
        cursor.execute(
            f"CREATE TABLE {BASELINE_TABLE} ({', '.join(f'{quote(c)} text' for c in columns)})"
        )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {BASELINE_TABLE} FROM STDIN (FORMAT csv, DELIMITER ';', HEADER true)"
            with path.open("rb") as file, cursor.cursor.copy(sql) as copy:
                while chunk := file.read(1 << 20):
                    copy.write(chunk)
        else:
            with path.open(encoding="utf-8", newline="") as file:
                reader = csv.reader(file, delimiter=";")
                next(reader)
                marks = ", ".join(["?"] * len(columns))
                # The driver's own cursor: the baseline pays nothing for Django.
                cursor.cursor.executemany(
                    f"INSERT INTO {BASELINE_TABLE} VALUES ({marks})",  # noqa: S608
                    reader,
                )
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {BASELINE_TABLE}")
    return seconds


class Command(BaseCommand):
    help = "Time the import of measurement rows from CSV beside the database's own bulk load."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rows",
            default="100000,1000000",
            help="sizes to run, smallest first, comma-separated (default 100000,1000000)",
        )
        parser.add_argument("--instrument", choices=["djg6", "zrm"], default="djg6")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options) -> None:
        out = self.stdout.write
        sizes = sorted(int(size) for size in options["rows"].split(","))
        out(f"Benchmark import van metingen op {connection.vendor} ({options['instrument']})")
        OutcomesBench()._setup()
        offers = bench_offers(organisations=1, seed=options["seed"])
        organisation = offers[0].organisation
        offers = [offer for offer in offers if offer.organisation_id == organisation.pk]
        # A key for the run only: the benchmark's client references are made up.
        os.environ.setdefault(env_name(organisation.slug), secrets.token_hex(32))
        results = []
        with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
            for run, size in enumerate(sizes, 1):
                path = Path(folder) / f"metingen-{size}.csv"
                started = time.perf_counter()
                trajectories = write_measurements(
                    path,
                    rows=size,
                    offers=[offer.name for offer in offers],
                    today=timezone.localdate(),
                    instrument=options["instrument"],
                    prefix=f"R{run}-{secrets.token_hex(3)}",
                    seed=options["seed"] + run,
                )
                megabytes = path.stat().st_size / 2**20
                out(
                    f"  {size:,} rijen, {trajectories:,} trajecten, {megabytes:.0f} MB "
                    f"geschreven in {time.perf_counter() - started:.1f} s"
                )
                baseline_s = _baseline(path, header(options["instrument"]))
                out(f"    bulk load van de database: {baseline_s:.1f} s")
                results.append((size, baseline_s, *self._import(path, organisation)))
                path.unlink()
        self._report(results)

    def _import(self, path: Path, organisation) -> tuple[float, float, float, float, float]:
        out = self.stdout.write
        managers = (
            Participant.objects,
            Trajectory.objects,
            Measurement.objects,
            OutcomePair.objects,
        )
        before = [manager.count() for manager in managers]
        _reset_peak()
        rss_before = _status_mb("VmRSS")
        started = time.perf_counter()
        with path.open("rb") as file, open_table(file, filename=path.name) as table:
            refuse_identifying_columns(table)
            with transaction.atomic():
                result = import_table(
                    organisation=organisation,
                    kind=ImportKind.MEASUREMENTS,
                    table=table,
                    column_map={column: column for column in table.columns},
                    on_error="all_or_nothing",
                    dry_run=False,
                )
        seconds = time.perf_counter() - started
        peak = _status_mb("VmHWM")
        if result.problems or not result.written:
            raise RuntimeError(f"The import refused the file: {result.problems[:3]}")
        counts = Counts(*(m.count() - b for m, b in zip(managers, before, strict=True)))
        out(
            f"    import: {result.created:,} metingen in {seconds:.1f} s "
            f"({counts.participants:,} deelnemers, {counts.trajectories:,} trajecten, "
            f"{counts.measurements:,} metingen en {counts.pairs:,} paren erbij)"
        )
        in_database = self._floor(organisation, counts, "alleen de database")
        from_python = self._floor(organisation, counts, "vanuit Python", from_python=True)
        # Would filling the analysis storage later be enough? The facts alone:
        facts = self._floor(organisation, replace(counts, pairs=0), "zonder paren")
        out(f"      (zonder paren: {counts.measurements / facts:,.0f} rijen/s)")
        return seconds, in_database, from_python, peak, peak - rss_before

    def _floor(self, organisation, counts: Counts, label: str, *, from_python=False) -> float:
        floor = write_floor(organisation, counts, from_python=from_python)
        steps = ", ".join(f"{step} {s:.1f} s" for step, s in floor.seconds.items())
        self.stdout.write(f"    schrijfvloer, {label}: {floor.total:.1f} s ({steps})")
        return floor.total

    def _report(self, results: list[tuple[int, float, float, float, float, float, float]]) -> None:
        out = self.stdout.write
        out("")
        out(
            "| rijen | bulk load (rijen/s) | import (rijen/s) | doel "
            "| schrijfvloer database (rijen/s) | schrijfvloer Python (rijen/s) "
            "| piek RSS | groei |"
        )
        out("|---:|---:|---:|---:|---:|---:|---:|---:|")
        for size, baseline_s, import_s, floor_s, python_s, peak, growth in results:
            out(
                f"| {size:,} | {size / baseline_s:,.0f} | {size / import_s:,.0f} | "
                f"{TARGET:,} | {size / floor_s:,.0f} | {size / python_s:,.0f} | "
                f"{peak:,.0f} MB | {growth:,.0f} MB |"
            )
        out(f"({datetime.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores)")

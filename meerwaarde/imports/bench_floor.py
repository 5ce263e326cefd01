"""The write floor of the import benchmark: what the database alone needs to store what an
import of a file stored, with nothing of the import around it.

After the import of a benchmark file, ``write_floor`` writes as many participants,
trajectories, measurements and analysis pairs as that import wrote, generated inside the
database by one ``INSERT ... SELECT`` per table (a recursive count on SQLite,
``generate_series`` on PostgreSQL): no file, no Python per row, no checks, no pseudonyms, no
running sums. The tables keep every index and constraint the schema gives them, so the rows
pay the same index upkeep, check constraints and foreign-key checks (deferred ones forced with
``SET CONSTRAINTS ALL IMMEDIATE`` on PostgreSQL; SQLite looks up parents as it inserts). It
all runs in one transaction that is rolled back.

The figure is a lower bound for any import that stores these rows in this schema: file rows
divided by its seconds is the most rows per second such an import could reach on this machine.

``from_python=True`` measures a second floor, closer to an import written in Python: the same
rows, made beforehand (not counted), sent from Python the way the import sends its own (COPY
on PostgreSQL, ``executemany`` on SQLite), a batch at a time. It adds what handing rows to the
driver costs, still without reading, checking or scoring anything.
"""

# Only integers (ids, counts) and this module's constants are put into the SQL text.
# ruff: noqa: S608

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Max

from meerwaarde.analysis.models import OutcomePair
from meerwaarde.measurements.models import Measurement
from meerwaarde.organisations.models import Organisation
from meerwaarde.participants.models import Participant, Trajectory


@dataclass(frozen=True)
class Counts:
    participants: int
    trajectories: int
    measurements: int
    pairs: int


@dataclass(frozen=True)
class Floor:
    seconds: dict[str, float]  # per step, in the order they ran

    @property
    def total(self) -> float:
        return sum(self.seconds.values())


class _RolledBack(Exception):
    pass


_CHUNK = 50_000  # rows made and sent at a time by the floor from Python


def _series(first: int, last: int) -> str:
    """A FROM clause giving ``n`` = first .. last."""
    if connection.vendor == "postgresql":
        return f"generate_series({int(first)}, {int(last)}) AS g(n)"
    return (
        f"(WITH RECURSIVE g(n) AS (SELECT {int(first)} UNION ALL SELECT n + 1 FROM g"
        f" WHERE n < {int(last)}) SELECT n FROM g)"
    )


@dataclass(frozen=True)
class _Step:
    table: str
    columns: tuple[str, ...]
    values: str  # the SELECT list, in terms of n
    count: int
    params: tuple = ()

    def insert_select(self, first: int, last: int) -> str:
        return (
            f"INSERT INTO {self.table} ({', '.join(self.columns)})"
            f" SELECT {self.values} FROM {_series(first, last)}"
        )

    def select(self, first: int, last: int) -> str:
        return f"SELECT {self.values} FROM {_series(first, last)}"


def _steps(organisation: Organisation, counts: Counts, base: int) -> dict[str, _Step]:
    """One INSERT per table; row ``n`` of each refers to rows of the tables before it.
    Every statement gets parameters, so ``%%`` is a literal % on both drivers."""
    postgres = connection.vendor == "postgresql"
    pseudonym = "lpad(to_hex(n), 64, '0')" if postgres else "printf('%%064x', n)"
    now = "now()" if postgres else "datetime('now')"
    day = (
        "DATE '2025-01-01' + CAST({r} AS integer)"
        if postgres
        else "date('2025-01-01', '+' || ({r}) || ' days')"
    )
    P, T = counts.participants, counts.trajectories
    offer = organisation.offers.values_list("pk", "intervention_type_id").first()
    if offer is None:
        raise LookupError("The organisation has no offer.")
    offer_id, type_id = offer
    sample = Measurement.objects.filter(organisation=organisation).first()
    if sample is None:
        raise LookupError("The organisation has no measurement to copy answers from.")
    answers, scores = json.dumps(sample.answers), json.dumps(sample.scores)
    cast = "::jsonb" if postgres else ""
    # A trajectory per row, round r = how often the trajectories were gone through before:
    # intake, end, then interim measurements a day apart (the partial unique indexes hold).
    traj = f"{base} + (n - 1) %% {T} + 1"
    rnd = f"div(n - 1, {T})" if postgres else f"((n - 1) / {T})"
    org, instrument = organisation.pk, sample.instrument_id
    return {
        "deelnemers": _Step(
            "participants_participant",
            (
                *("id", "created_at", "updated_at", "pseudonym", "age_band", "gender"),
                *("postcode4", "organisation_id"),
            ),
            f"{base} + n, {now}, {now}, {pseudonym}, '65-74', '', '', {org}",
            P,
        ),
        "trajecten": _Step(
            "participants_trajectory",
            (
                *("id", "created_at", "updated_at", "start_date", "end_date", "status"),
                *("offer_id", "organisation_id", "participant_id"),
            ),
            f"{base} + n, {now}, {now}, '2025-01-01', '2025-06-01', 'completed',"
            f" {offer_id}, {org}, {base} + (n - 1) %% {P} + 1",
            T,
        ),
        "metingen": _Step(
            "measurements_measurement",
            (
                *("id", "moment", "measured_on", "answers", "scores", "version"),
                *("is_current", "created_at", "instrument_id", "organisation_id"),
                "trajectory_id",
            ),
            f"{base} + n, CASE {rnd} WHEN 0 THEN 'intake' WHEN 1 THEN 'end' ELSE 'interim' END,"
            f" {day.format(r=rnd)}, %s{cast}, %s{cast}, 1, TRUE, {now}, {instrument}, {org},"
            f" {traj}",
            counts.measurements,
            (answers, scores),
        ),
        "paren": _Step(
            "analysis_outcomepair",
            (
                *("id", "month", "scale", "start_value", "end_value", "start_category"),
                *("end_category", "reliable_change", "instrument_id", "intervention_type_id"),
                *("offer_id", "organisation_id", "trajectory_id"),
            ),
            f"{base} + n, '2025-06-01', 'schaal' || {rnd}, 3.0, 2.0, 'a', 'b', 1,"
            f" {instrument}, {type_id}, {offer_id}, {org}, {traj}",
            counts.pairs,
        ),
    }


def _from_python(cursor: Any, step: _Step) -> float:
    """Seconds for sending the step's rows from Python as the import sends its own (COPY on
    PostgreSQL, one ``executemany`` per batch on SQLite); making the rows is not counted."""
    spent = 0.0
    names = ", ".join(step.columns)
    for first in range(1, step.count + 1, _CHUNK):
        last = min(step.count, first + _CHUNK - 1)
        cursor.execute(step.select(first, last), step.params)
        # jsonb comes back as dicts; the import sends JSON text.
        rows = [
            tuple(json.dumps(v) if isinstance(v, dict) else v for v in row)
            for row in cursor.fetchall()
        ]
        started = time.perf_counter()
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {step.table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(step.columns))
            cursor.executemany(f"INSERT INTO {step.table} ({names}) VALUES ({marks})", rows)
        spent += time.perf_counter() - started
    return spent


def write_floor(
    organisation: Organisation,
    counts: Counts,
    *,
    from_python: bool = False,
    after_each: Callable[[str], None] | None = None,
) -> Floor:
    """Seconds per step for writing ``counts`` rows (rolled back): made inside the database
    by ``INSERT ... SELECT``, or, ``from_python``, sent from Python as the import's bulk
    writes send them. ``after_each(step)`` runs inside the transaction after each step."""
    base = 1 + max(
        model.objects.aggregate(top=Max("pk"))["top"] or 0
        for model in (Participant, Trajectory, Measurement, OutcomePair)
    )
    base += 10**9  # clear of ids the sequences may still hand out
    seconds: dict[str, float] = {}
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for name, step in _steps(organisation, counts, base).items():
                if step.count <= 0:
                    continue  # a recursive count starts at one row, even for none
                if from_python:
                    seconds[name] = _from_python(cursor, step)
                else:
                    started = time.perf_counter()
                    cursor.execute(step.insert_select(1, step.count), step.params)
                    seconds[name] = time.perf_counter() - started
                if after_each is not None:
                    after_each(name)
            if connection.vendor == "postgresql":
                started = time.perf_counter()
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                seconds["uitgestelde controles"] = time.perf_counter() - started
            raise _RolledBack
    except _RolledBack:
        pass
    return Floor(seconds)

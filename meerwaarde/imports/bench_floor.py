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
"""

# Only integers (ids, counts) and this module's constants are put into the SQL text.
# ruff: noqa: S608

import json
import time
from collections.abc import Callable
from dataclasses import dataclass

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


def _series(count: int) -> str:
    """A FROM clause giving ``n`` = 1 .. count."""
    if connection.vendor == "postgresql":
        return f"generate_series(1, {int(count)}) AS g(n)"
    return (
        f"(WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {int(count)})"
        " SELECT n FROM g)"
    )


def _sql(organisation: Organisation, counts: Counts, base: int) -> dict[str, tuple[str, tuple]]:
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
        "deelnemers": (
            f"INSERT INTO participants_participant (id, created_at, updated_at, pseudonym,"
            f" age_band, gender, postcode4, organisation_id)"
            f" SELECT {base} + n, {now}, {now}, {pseudonym}, '65-74', '', '', {org}"
            f" FROM {_series(P)}",
            (),
        ),
        "trajecten": (
            f"INSERT INTO participants_trajectory (id, created_at, updated_at, start_date,"
            f" end_date, status, offer_id, organisation_id, participant_id)"
            f" SELECT {base} + n, {now}, {now}, '2025-01-01', '2025-06-01', 'completed',"
            f" {offer_id}, {org}, {base} + (n - 1) %% {P} + 1 FROM {_series(T)}",
            (),
        ),
        "metingen": (
            f"INSERT INTO measurements_measurement (id, moment, measured_on, answers, scores,"
            f" version, is_current, created_at, instrument_id, organisation_id, trajectory_id)"
            f" SELECT {base} + n,"
            f" CASE {rnd} WHEN 0 THEN 'intake' WHEN 1 THEN 'end' ELSE 'interim' END,"
            f" {day.format(r=rnd)}, %s{cast}, %s{cast}, 1, TRUE, {now}, {instrument}, {org},"
            f" {traj} FROM {_series(counts.measurements)}",
            (answers, scores),
        ),
        "paren": (
            f"INSERT INTO analysis_outcomepair (id, month, scale, start_value, end_value,"
            f" start_category, end_category, reliable_change, instrument_id,"
            f" intervention_type_id, offer_id, organisation_id, trajectory_id)"
            f" SELECT {base} + n, '2025-06-01', 'schaal' || {rnd}, 3.0, 2.0, 'a', 'b', 1,"
            f" {instrument}, {type_id}, {offer_id}, {org}, {traj} FROM {_series(counts.pairs)}",
            (),
        ),
    }


def write_floor(
    organisation: Organisation,
    counts: Counts,
    *,
    after_each: Callable[[str], None] | None = None,
) -> Floor:
    """Seconds per step for writing ``counts`` rows in the database alone (rolled back).
    ``after_each(step)`` runs inside the transaction after each step (for the tests)."""
    base = 1 + max(
        model.objects.aggregate(top=Max("pk"))["top"] or 0
        for model in (Participant, Trajectory, Measurement, OutcomePair)
    )
    base += 10**9  # clear of ids the sequences may still hand out
    statements = _sql(organisation, counts, base)
    seconds: dict[str, float] = {}
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for step, (sql, params) in statements.items():
                started = time.perf_counter()
                cursor.execute(sql, params)
                seconds[step] = time.perf_counter() - started
                if after_each is not None:
                    after_each(step)
            if connection.vendor == "postgresql":
                started = time.perf_counter()
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                seconds["uitgestelde controles"] = time.perf_counter() - started
            raise _RolledBack
    except _RolledBack:
        pass
    return Floor(seconds)

"""A million trajectories for the benchmark: organisations, offers, participants, trajectories
and their ZRM 2017 and Positieve Gezondheid intake and end measurements, in minutes.

The effects follow the demo's plans (``generate.PLANS``) but are drawn with numpy, a chunk of
trajectories at a time, and rows go in as plain INSERTs (SQLite) or COPY (PostgreSQL) with ids
assigned here. Every scale of both instruments is one item, so a measurement's stored answers
and scores are pieced together from per-answer fragments that ``instruments.scoring.score``
made (and a sample is re-scored in full to prove it). Pseudonyms are random: there are no
client references at all. Nothing here refreshes the analysis storage: call
``outcomes_rebuild()`` afterwards.
"""

import datetime
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max, Model
from django.utils import timezone

from meerwaarde.activities.generate import REFERRED_BY
from meerwaarde.instruments.definition import InstrumentDefinition
from meerwaarde.instruments.models import Instrument
from meerwaarde.instruments.scoring import score
from meerwaarde.measurements.answers import scores_for_storage
from meerwaarde.measurements.constants import Moment
from meerwaarde.measurements.generate import ADULTS, DAYS_PER_MONTH, GENDERS, Plan, plan_for
from meerwaarde.measurements.models import Measurement
from meerwaarde.offers.constants import OfferStatus
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.constants import OrganisationKind
from meerwaarde.organisations.models import Organisation
from meerwaarde.participants.constants import TrajectoryStatus
from meerwaarde.participants.models import Participant, Trajectory
from meerwaarde.places.models import Place
from meerwaarde.vocabulary.models import Concept

BENCH_NOTE = "Gegenereerde organisatie (benchmark van de uitkomsten)."
CHUNK = 50_000
ZRM, PG = "zrm-2017", "pg-1"
# Used where an intervention type has no plan of its own.
DEFAULT_PLAN = Plan((PG,), (10, 20), (3, 9))
_NOT_ASSESSED = {"justitie": 0.45, "middelengebruik": 0.3, "werk-opleiding": 0.12}

PARTICIPANT_FIELDS = ("id", "created_at", "updated_at", "organisation", "pseudonym", "age_band",
                      "gender", "postcode4")  # fmt: skip
TRAJECTORY_FIELDS = ("id", "created_at", "updated_at", "organisation", "participant",
                     "offer", "start_date", "end_date", "referral_source", "status",
                     "created_by")  # fmt: skip
MEASUREMENT_FIELDS = ("id", "organisation", "trajectory", "instrument", "moment", "measured_on",
                      "answers", "scores", "version", "supersedes", "is_current", "created_by",
                      "created_at")  # fmt: skip


# Organisations and offers ----------------------------------------------------------------


@transaction.atomic
def bench_offers(*, organisations: int, seed: int) -> list[Offer]:
    """``organisations`` generated organisations with two to eight offers each, over the
    intervention types; made once, found again on the next run."""
    existing = Organisation.objects.filter(description=BENCH_NOTE)
    missing = organisations - existing.count()
    if missing > 0:
        rng = np.random.default_rng(seed)
        places = list(Place.objects.order_by("-population")[:400])
        types = list(Concept.objects.filter(scheme__code="intervention_types").order_by("code"))
        if not places or not types:
            raise LookupError("No places or intervention types: load them first")
        start = existing.count()
        new = [
            Organisation(
                name=f"Sociaal Werk Benchmark {n}",
                slug=f"benchmark-uitkomsten-{n}",
                kind=OrganisationKind.SOCIAL_WORK,
                place=places[int(rng.integers(len(places)))],
                description=BENCH_NOTE,
            )
            for n in range(start + 1, start + missing + 1)
        ]
        Organisation.objects.bulk_create(new, batch_size=1000)
        offers = []
        for organisation in new:
            count = min(len(types), int(rng.integers(2, 9)))
            for kind in rng.choice(len(types), size=count, replace=False):
                concept = types[int(kind)]
                offers.append(
                    Offer(
                        organisation=organisation,
                        name=f"{concept.pref_label_nl} ({organisation.name})"[:200],
                        intervention_type=concept,
                        description="Gegenereerd aanbod voor de benchmark van de uitkomsten.",
                    )
                )
        Offer.objects.bulk_create(offers, batch_size=1000)
    return list(
        Offer.objects.filter(
            organisation__description=BENCH_NOTE,
            status__in=[OfferStatus.ACTIVE, OfferStatus.PAUSED],
        )
        .select_related("intervention_type__broader")
        .order_by("pk")
    )


# Answers and scores as fragments ---------------------------------------------------------


@dataclass(frozen=True)
class _Fragments:
    """Per item and answer code, the JSON text of its answer and of its scale's score."""

    instrument: Instrument
    answers: list[list[str]]  # [item][code] → '"financien": "3"'
    scores: list[list[str]]  # [item][code] → '"financien": {"value": 3.0, "category": "..."}'

    def json(self, codes: Sequence[int], table: list[list[str]]) -> str:
        return "{" + ", ".join(table[i][code] for i, code in enumerate(codes)) + "}"


def _fragments(instrument: Instrument, values: Sequence[str]) -> _Fragments:
    """``values`` are the answers of each code (the last ones "na" and "", as they apply)."""
    definition = instrument.parsed
    answers, scores = [], []
    for item in definition.items:
        scale = next(s for s in definition.scales if item.code in s.items)
        if scale.method != "item" or scale.items != (item.code,):
            raise ValueError(f"{definition.key}: scale {scale.code} is not one item")
        answers.append([json.dumps({item.code: v})[1:-1] for v in values])
        stored = [scores_for_storage(score(definition, {item.code: v})) for v in values]
        scores.append([json.dumps({scale.code: s[scale.code]})[1:-1] for s in stored])
    return _Fragments(instrument, answers, scores)


def _check(fragments: _Fragments, codes: np.ndarray, values: Sequence[str]) -> None:
    """Re-score a sample in full: the pieced-together text must equal what the form stores."""
    definition: InstrumentDefinition = fragments.instrument.parsed
    for row in codes[:50].tolist():
        answers = {item.code: values[c] for item, c in zip(definition.items, row, strict=True)}
        expected = scores_for_storage(score(definition, answers))
        assert json.loads(fragments.json(row, fragments.scores)) == expected
        assert json.loads(fragments.json(row, fragments.answers)) == answers


# Drawing ---------------------------------------------------------------------------------


def _effects(plan: Plan, codes: Sequence[str], table: str) -> np.ndarray:
    mapping = getattr(plan, table)
    return np.array([mapping.get(code, mapping["*"]) for code in codes])


def _zrm_codes(
    rng: np.random.Generator,
    plans: list[Plan],
    strength: np.ndarray,
    definition: InstrumentDefinition,
) -> tuple[np.ndarray, np.ndarray]:
    """Answer codes (0-4: scores 1-5, 5: "na", 6: "") at intake and end, trajectories × items."""
    items = [item.code for item in definition.items]
    n, k = len(plans), len(items)
    means = np.array([[p.zrm_intake.get(c, p.zrm_intake["*"]) for c in items] for p in plans])
    effects = np.array([_effects(p, items, "zrm") for p in plans])
    start = rng.normal(means, 0.85)
    end = start + effects * strength[:, None] + rng.normal(0, 0.7, (n, k))
    out: list[np.ndarray] = []
    skip = rng.random((n, k)) < np.array([_NOT_ASSESSED.get(c, 0.04) for c in items])
    for level in (start, end):
        codes = np.clip(np.rint(level), 1, 5).astype(np.int8) - 1
        codes[skip & (rng.random((n, k)) < 0.9)] = 5
        codes[rng.random((n, k)) < 0.015] = 6
        out.append(codes)
    return out[0], out[1]


def _pg_codes(
    rng: np.random.Generator,
    plans: list[Plan],
    strength: np.ndarray,
    definition: InstrumentDefinition,
) -> tuple[np.ndarray, np.ndarray]:
    """Answer codes (0-10: the grade, 11: "") at intake and end, trajectories × dimensions."""
    dims = [scale.code for scale in definition.scales]
    n, k = len(plans), len(dims)
    effects = np.array([_effects(p, dims, "pg") for p in plans]) * 1.5
    intake = np.array([p.pg_intake for p in plans])[:, None]
    start = rng.normal(intake, 1.5, (n, k))
    end = start + effects * strength[:, None] + rng.normal(0, 1.05, (n, k))
    out: list[np.ndarray] = []
    for level in (start, end):
        codes = np.clip(np.rint(level), 0, 10).astype(np.int8)
        codes[rng.random((n, k)) < 0.03] = 11
        out.append(codes)
    return out[0], out[1]


@dataclass
class _Offers:
    """The offers as arrays, by position."""

    ids: np.ndarray
    organisations: np.ndarray
    plans: list[Plan]
    strength: np.ndarray
    zrm: np.ndarray  # bool: measures with the ZRM
    pg: np.ndarray


def _offer_arrays(offers: Sequence[Offer], rng: np.random.Generator) -> _Offers:
    plans = [plan_for(offer) or DEFAULT_PLAN for offer in offers]
    uses_zrm = np.array([ZRM in p.instruments for p in plans])
    uses_pg = np.array([PG in p.instruments for p in plans])
    roll = rng.random(len(offers))
    zrm = uses_zrm | (~uses_zrm & uses_pg & (roll < 0.1)) | (~uses_zrm & ~uses_pg & (roll < 0.4))
    pg = ~zrm | (uses_zrm & (roll < 0.25)) | uses_pg
    return _Offers(
        ids=np.array([o.pk for o in offers]),
        organisations=np.array([o.organisation_id for o in offers]),
        plans=plans,
        strength=rng.uniform(0.6, 1.4, len(offers)),
        zrm=zrm,
        pg=pg,
    )


# Writing ---------------------------------------------------------------------------------


def _columns(model: type[Model], names: Sequence[str]) -> list[str]:
    return [str(model._meta.get_field(name).column) for name in names]  # type: ignore[union-attr]


def insert_rows(model: type[Model], names: Sequence[str], rows: list[tuple]) -> None:
    """COPY on PostgreSQL, executemany elsewhere; values as text where a date or JSON goes."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _columns(model, names))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608


def _next_id(model: type[Model]) -> int:
    return (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


def _dates(days: np.ndarray) -> list[str]:
    return np.datetime_as_string(days.astype("datetime64[D]")).tolist()


@transaction.atomic
def bench_trajectories(
    *,
    offers: Sequence[Offer],
    trajectories: int,
    end: datetime.date,
    months: int,
    seed: int,
    progress: Callable[[int], Any] = lambda done: None,
) -> int:
    """``trajectories`` finished trajectories over ``offers`` (sizes vary by offer), each with
    an intake and an end measurement per instrument of its offer; returns the measurements."""
    rng = np.random.default_rng(seed)
    instruments = {
        f"{i.code}-{i.version}": i
        for i in Instrument.objects.filter(organisation__isnull=True, code__in=["zrm", "pg"])
    }
    zrm_values = ["1", "2", "3", "4", "5", "na", ""]
    pg_values = [str(v) for v in range(11)] + [""]
    zrm = _fragments(instruments[ZRM], zrm_values)
    pg = _fragments(instruments[PG], pg_values)
    arrays = _offer_arrays(offers, rng)
    # Offers differ in size, so organisations do too.
    per_offer = rng.multinomial(trajectories, _share(rng.lognormal(0, 0.8, len(offers))))
    offer_of = np.repeat(np.arange(len(offers)), per_offer)
    sources = {
        c.pk: REFERRED_BY[c.code]
        for c in Concept.objects.filter(code__in=list(REFERRED_BY), scheme__code="referral_sources")
    }
    now = timezone.now()
    stamp = (
        connection.ops.adapt_datetimefield_value(now) if connection.vendor != "postgresql" else now
    )
    last = np.datetime64(end)
    first_month = np.datetime64(end, "M") - np.timedelta64(months - 1, "M")
    ids = {m: _next_id(m) for m in (Participant, Trajectory, Measurement)}
    measurements = 0
    for lo in range(0, trajectories, CHUNK):
        idx = offer_of[lo : lo + CHUNK]
        n = len(idx)
        plans = [arrays.plans[i] for i in idx]
        organisation = arrays.organisations[idx].tolist()
        # End in a month of the period, start as long before as the plan's trajectories last.
        month = first_month + rng.integers(0, months, n).astype("timedelta64[M]")
        finished = np.minimum(month.astype("datetime64[D]") + rng.integers(0, 28, n), last)
        duration = np.array([rng.uniform(*p.months) for p in plans]) * DAYS_PER_MONTH
        stopped = rng.random(n) < 0.12
        duration = np.where(stopped, duration * rng.uniform(0.15, 0.6, n), duration)
        started = finished - np.maximum(7, duration).astype(np.int64).astype("timedelta64[D]")
        intake_on = np.minimum(started + rng.integers(0, 15, n), finished)
        end_on = np.maximum(finished - rng.integers(0, 11, n), intake_on)
        strength = arrays.strength[idx] * rng.uniform(0.5, 1.5, n)
        worse = rng.random(n) < np.array([p.worse for p in plans])
        strength = np.where(worse, -rng.uniform(0.4, 1.0, n), strength)

        pseudonyms = rng.bytes(32 * n).hex()
        ages = rng.choice(list(ADULTS), n, p=_share(ADULTS.values())).tolist()
        genders = rng.choice(list(GENDERS), n, p=_share(GENDERS.values())).tolist()
        source_ids = (
            rng.choice(list(sources), n, p=_share(sources.values())).tolist()
            if sources
            else [None] * n
        )
        no_source = (rng.random(n) < 0.1).tolist()
        p0, t0 = ids[Participant] + lo, ids[Trajectory] + lo
        insert_rows(
            Participant,
            PARTICIPANT_FIELDS,
            [
                (p0 + i, stamp, stamp, organisation[i], pseudonyms[64 * i : 64 * i + 64], ages[i],
                 genders[i], "")
                for i in range(n)
            ],
        )  # fmt: skip
        start_text, finished_text = _dates(started), _dates(finished)
        status = [TrajectoryStatus.STOPPED if s else TrajectoryStatus.COMPLETED for s in stopped]
        offer_ids = arrays.ids[idx].tolist()
        insert_rows(
            Trajectory,
            TRAJECTORY_FIELDS,
            [
                (t0 + i, stamp, stamp, organisation[i], p0 + i, offer_ids[i], start_text[i],
                 finished_text[i], None if no_source[i] else source_ids[i], status[i], None)
                for i in range(n)
            ],
        )  # fmt: skip

        rows: list[tuple] = []
        dates = {Moment.INTAKE: _dates(intake_on), Moment.END: _dates(end_on)}
        for fragments, uses, draw, values in (
            (zrm, arrays.zrm[idx], _zrm_codes, zrm_values),
            (pg, arrays.pg[idx], _pg_codes, pg_values),
        ):
            chosen = np.flatnonzero(uses)
            if not len(chosen):
                continue
            codes = draw(
                rng, [plans[i] for i in chosen], strength[chosen], fragments.instrument.parsed
            )
            instrument_id = fragments.instrument.pk
            for moment, moment_codes in zip((Moment.INTAKE, Moment.END), codes, strict=True):
                _check(fragments, moment_codes, values)
                for i, row in zip(chosen.tolist(), moment_codes.tolist(), strict=True):
                    rows.append(
                        (None, organisation[i], t0 + i, instrument_id, moment, dates[moment][i],
                         fragments.json(row, fragments.answers),
                         fragments.json(row, fragments.scores), 1, None, True, None, stamp)
                    )  # fmt: skip
        m0 = ids[Measurement] + measurements
        insert_rows(
            Measurement, MEASUREMENT_FIELDS, [(m0 + j, *row[1:]) for j, row in enumerate(rows)]
        )
        measurements += len(rows)
        progress(lo + n)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                no_style(), [Participant, Trajectory, Measurement]
            ):
                cursor.execute(sql)
    return measurements


def _share(weights: Any) -> np.ndarray:
    values = np.array(list(weights), dtype=float)
    return values / values.sum()

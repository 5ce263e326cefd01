"""Believable outcome data for the demo: a year of trajectories and measurements per offer.

Each offer measures with the instruments that fit its intervention type (``PLANS``): the De
Jong Gierveld scale for buddy projects and meeting places, the ZRM for social work, debt help
and housing, Positieve Gezondheid for some, GAS with one to three weighted goals for
individual support. Effects fit the intervention and vary a little per offer: a buddy project
lowers loneliness by about half an SD, debt help lifts ZRM Financiën most, a few participants
get worse, some answers are missing. Answers are drawn and then scored by the same code as the
entry form (``measurements.answers``, i.e. ``instruments.scoring.score``), so the stored scores
are what the form would store. A few interim measurements, a few corrections (version 2
superseding version 1).

Deterministic for a seed: each offer draws from a generator seeded by the seed, its
organisation and its name. Client references are synthetic (``demo-<n>``) and only ever turned
into pseudonyms. Offers that already have trajectories are left alone, so running it twice
adds nothing. Rows go in with ``bulk_create``; the analysis storage is rebuilt at the end.
"""

import datetime
import random
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Case, IntegerField, Value, When

from meerwaarde.accounts.constants import OrgRole
from meerwaarde.accounts.models import User
from meerwaarde.activities.generate import REFERRED_BY, THEME_SOURCES
from meerwaarde.analysis.services import outcomes_rebuild
from meerwaarde.instruments.definition import InstrumentDefinition, Item
from meerwaarde.instruments.models import Instrument
from meerwaarde.measurements.answers import (
    expected_keys,
    normalise,
    score_answers,
    scores_for_storage,
)
from meerwaarde.measurements.constants import Moment
from meerwaarde.measurements.models import Measurement
from meerwaarde.offers.constants import OfferStatus
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.models import Membership, Organisation
from meerwaarde.participants.constants import AgeBand, Gender, TrajectoryStatus
from meerwaarde.participants.models import Goal, Participant, Trajectory
from meerwaarde.participants.pseudonyms import pseudonym_for
from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept

BATCH = 2000
DAYS_PER_MONTH = 30.44
A = AgeBand
ADULTS: dict[str, float] = {
    A.YOUNG_ADULT: 2, A.ADULT: 4, A.MIDDLE_AGED: 4, A.SENIOR: 1.5, A.ELDERLY: 0.5
}  # fmt: skip
OLDER: dict[str, float] = {A.MIDDLE_AGED: 1, A.SENIOR: 3, A.ELDERLY: 5}
YOUNG: dict[str, float] = {A.TEEN: 3, A.YOUNG_ADULT: 5}
PARENTS: dict[str, float] = {A.YOUNG_ADULT: 1, A.ADULT: 5, A.MIDDLE_AGED: 2}
GENDERS: dict[str, float] = {
    Gender.FEMALE: 55, Gender.MALE: 40, Gender.OTHER: 2, Gender.UNDISCLOSED: 3
}  # fmt: skip


@dataclass(frozen=True, eq=False)  # compared (and hashed) by identity: one per kind
class Plan:
    """How an intervention type measures and what it achieves.

    Effects are mean improvements in the scale's reference SD (the ``sd`` of its definition),
    per scale code with ``"*"`` for the rest; intake levels likewise (ZRM 1-5, a PG grade).
    ``lonely`` is the intake loneliness as a share of the DJG maximum.
    """

    instruments: tuple[str, ...]  # "code-version"
    size: tuple[int, int]  # trajectories starting a year in an offer of average size
    months: tuple[int, int]  # how long a trajectory runs
    loneliness: float = 0.0
    lonely: float = 0.55
    zrm: Mapping[str, float] = field(default_factory=lambda: {"*": 0.1})
    zrm_intake: Mapping[str, float] = field(default_factory=lambda: {"*": 3.3})
    pg: Mapping[str, float] = field(default_factory=lambda: {"*": 0.15})
    pg_intake: float = 5.6
    gas: float = 0.4  # mean attainment of a goal, on GAS's −2..+2
    goals: tuple[str, ...] = ()  # outcome domains of the GAS goals
    worse: float = 0.06  # share whose situation gets worse
    ages: Mapping[str, float] = field(default_factory=lambda: ADULTS)


_SOCIAL_GOALS = ("domein-financien", "domein-sociaal-netwerk", "domein-geestelijke-gezondheid",
                 "domein-huisvesting", "domein-maatschappelijke-participatie")  # fmt: skip
BUDDY = Plan(("djg11-1",), (8, 18), (6, 12), loneliness=0.5, lonely=0.62)
CONTACT = Plan(("djg6-1",), (8, 18), (4, 10), loneliness=0.3, lonely=0.58, ages=OLDER)
MEETING = Plan(("djg6-1",), (10, 22), (3, 9), loneliness=0.25, lonely=0.5)
VISIT = Plan(("djg6-1",), (10, 22), (2, 5), loneliness=0.1, lonely=0.42, ages=OLDER)
MOVING = Plan(
    ("djg6-1", "pg-1"), (8, 16), (3, 6), loneliness=0.15, ages=OLDER,
    pg={"lichaamsfuncties": 0.35, "dagelijks-functioneren": 0.25, "*": 0.1},
)  # fmt: skip
RECIPE = Plan(
    ("djg6-1", "pg-1"), (10, 22), (3, 6), loneliness=0.35, lonely=0.6, pg_intake=5.2,
    pg={"mentaal-welbevinden": 0.45, "meedoen": 0.4, "zingeving": 0.3, "*": 0.15},
)  # fmt: skip
RECOVERY = Plan(
    ("pg-1",), (6, 15), (4, 10), pg_intake=5.0,
    pg={"zingeving": 0.45, "meedoen": 0.35, "mentaal-welbevinden": 0.3, "*": 0.1},
)  # fmt: skip
CARERS = Plan(
    ("pg-1", "gas-1"), (10, 22), (3, 9), pg={"mentaal-welbevinden": 0.3, "*": 0.1}, gas=0.3,
    goals=("domein-mantelzorgbelasting", "domein-sociaal-netwerk"), ages=OLDER,
)  # fmt: skip
DEBT = Plan(
    ("zrm-2017",), (10, 25), (4, 12),
    zrm={"financien": 0.8, "geestelijke-gezondheid": 0.2, "huiselijke-relaties": 0.15, "*": 0.05},
    zrm_intake={"financien": 1.9, "geestelijke-gezondheid": 2.9, "*": 3.4},
)  # fmt: skip
SOCIAL_WORK = Plan(
    ("zrm-2017", "gas-1"), (12, 28), (3, 9), gas=0.45, goals=_SOCIAL_GOALS,
    zrm={"geestelijke-gezondheid": 0.35, "huiselijke-relaties": 0.35, "financien": 0.3,
         "sociaal-netwerk": 0.25, "*": 0.12},
    zrm_intake={"geestelijke-gezondheid": 2.6, "huiselijke-relaties": 2.7, "financien": 2.6,
                "*": 3.3},
)  # fmt: skip
HOUSING = Plan(
    ("zrm-2017",), (5, 12), (4, 12), worse=0.12,
    zrm={"huisvesting": 0.7, "financien": 0.3, "tijdsbesteding": 0.2, "*": 0.1},
    zrm_intake={"huisvesting": 1.7, "financien": 2.2, "tijdsbesteding": 2.3, "*": 3.0},
)  # fmt: skip
NIGHT_SHELTER = Plan(
    ("zrm-2017",), (6, 15), (1, 4), worse=0.2, zrm={"huisvesting": 0.3, "*": 0.0},
    zrm_intake={"huisvesting": 1.3, "financien": 1.9, "middelengebruik": 2.4, "*": 2.6},
)  # fmt: skip
COACHING = Plan(
    ("gas-1",), (10, 22), (3, 9), gas=0.5, ages=YOUNG,
    goals=("domein-maatschappelijke-participatie", "domein-sociaal-netwerk",
           "domein-geestelijke-gezondheid"),
)  # fmt: skip
PARENTING = Plan(
    ("gas-1",), (8, 18), (2, 6), gas=0.35, ages=PARENTS,
    goals=("domein-opvoedvaardigheden", "domein-veiligheid-thuis"),
)  # fmt: skip

_KINDS: dict[Plan, tuple[str, ...]] = {
    BUDDY: ("maatjesproject", "taalmaatje"),
    CONTACT: ("burenhulp", "telefooncirkel", "vervoersdienst"),
    MEETING: ("huiskamer", "inloopvoorziening", "buurtmaaltijd", "ontmoetingscentrum-dementie"),
    VISIT: ("preventief-huisbezoek", "ouderenadvies"),
    MOVING: ("beweegactiviteiten-ouderen",),
    RECIPE: ("welzijn-op-recept",),
    RECOVERY: ("herstelacademie", "zelfhulpgroep", "ervaringsdeskundige-inzet", "dagbesteding"),
    CARERS: ("mantelzorgondersteuning", "respijtzorg"),
    DEBT: ("schuldhulpmaatje", "vroegsignalering-schulden", "thuisadministratie",
           "budgetcursus", "sociaal-raadslieden", "formulierenhulp"),
    SOCIAL_WORK: ("maatschappelijk-werk", "schoolmaatschappelijk-werk", "sociaal-wijkteam",
                  "clientondersteuning", "statushoudersbegeleiding", "aanpak-huiselijk-geweld"),
    HOUSING: ("woonbegeleiding", "opvang", "vrouwenopvang", "bemoeizorg", "outreachend-werken"),
    NIGHT_SHELTER: ("nachtopvang",),
    COACHING: ("jongerencoaching",),
    PARENTING: ("opvoedondersteuning", "oudercursus", "ouders-scheiding"),
}  # fmt: skip
# Types without a plan (a food bank, a language café, community work) measure no outcomes.
PLANS = {f"interventie-{code}": plan for plan, codes in _KINDS.items() for code in codes}


def plan_for(offer: Offer) -> Plan | None:
    kind = offer.intervention_type
    for code in (kind.code, kind.broader.code if kind.broader else ""):
        if code in PLANS:
            return PLANS[code]
    return None


# Drawing answers --------------------------------------------------------------------------


def _clip(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


@dataclass
class _Person:
    """One participant's change: how strongly the offer works for them, or that they worsen."""

    rng: random.Random
    strength: float  # the offer's effect times the person's response; negative: worse

    def change(self, effect: float, sd: float) -> float:
        """Mean-plus-noise change in scale units, better = positive."""
        return (effect * self.strength + self.rng.gauss(0, 0.7)) * sd


@dataclass
class _Drawn:
    """Answers at intake, an optional interim, and the end, for one instrument."""

    intake: dict[str, str]
    interim: dict[str, str]
    end: dict[str, str]


def _djg(definition: InstrumentDefinition, plan: Plan, person: _Person) -> _Drawn:
    rng, items = person.rng, definition.items
    total = definition.scale("total")
    assert total.sd is not None
    start = _clip(rng.gauss(plan.lonely * len(items), 0.8 * total.sd), 0, len(items))
    # Lower is better on loneliness: an improvement lowers the total.
    end = start - person.change(plan.loneliness, total.sd)

    def answers(level: float) -> dict[str, str]:
        count = round(_clip(level, 0, len(items)))
        lonely = set(rng.sample(range(len(items)), count))
        drawn = {item.code: _djg_answer(rng, item, i in lonely) for i, item in enumerate(items)}
        if rng.random() < 0.05:  # one question left open; the total still counts
            drawn[rng.choice(items).code] = ""
        return drawn

    return _Drawn(answers(start), answers((start + end) / 2), answers(end))


def _djg_answer(rng: random.Random, item: Item, lonely: bool) -> str:
    options = [o for o in item.options if o.score == (1 if lonely else 0)]
    # The middle answer ("min of meer") counts as lonely on every item, but people give the
    # outer answers (yes, no) more often.
    outer = [o for o in options if o in (item.options[0], item.options[-1])]
    if outer and (len(options) == 1 or rng.random() < 0.65):
        return outer[0].value
    return rng.choice(options).value


# ZRM domains that often do not apply, and how often.
_NOT_ASSESSED = {"justitie": 0.45, "middelengebruik": 0.3, "werk-opleiding": 0.12}


def _zrm(definition: InstrumentDefinition, plan: Plan, person: _Person) -> _Drawn:
    rng = person.rng
    drawn = _Drawn({}, {}, {})
    for item in definition.items:
        code = item.code
        skip = rng.random() < _NOT_ASSESSED.get(code, 0.04)
        mean = plan.zrm_intake.get(code, plan.zrm_intake["*"])
        start = rng.gauss(mean, 0.85)
        end = start + person.change(plan.zrm.get(code, plan.zrm["*"]), 1.0)
        for answers, level in ((drawn.intake, start), (drawn.interim, (start + end) / 2),
                               (drawn.end, end)):  # fmt: skip
            if skip and rng.random() < 0.9:
                answers[code] = "na"
            elif rng.random() < 0.015:
                answers[code] = ""
            else:
                answers[code] = str(round(_clip(level, 1, 5)))
    return drawn


def _grade(rng: random.Random, level: float) -> str:
    if rng.random() < 0.03:
        return ""
    if rng.random() < 0.06:  # now and then a half grade, typed the Dutch way
        half = round(_clip(level, 0, 10) * 2) / 2
        return f"{half:g}".replace(".", ",")
    return str(round(_clip(level, 0, 10)))


def _pg(definition: InstrumentDefinition, plan: Plan, person: _Person) -> _Drawn:
    rng = person.rng
    drawn = _Drawn({}, {}, {})
    for scale in definition.scales:
        assert scale.sd is not None
        start = rng.gauss(plan.pg_intake, 1.5)
        end = start + person.change(plan.pg.get(scale.code, plan.pg["*"]), scale.sd)
        code = scale.items[0]
        drawn.intake[code] = _grade(rng, start)
        drawn.interim[code] = _grade(rng, (start + end) / 2)
        drawn.end[code] = _grade(rng, end)
    return drawn


def _gas(rng: random.Random, plan: Plan, person: _Person, goals: int) -> dict[str, str]:
    """GAS attainment (−2..+2) per goal, keyed by the goal's position until it has a pk."""
    mean = plan.gas * min(person.strength, 1.5) if person.strength >= 0 else -0.8
    return {
        str(position): str(round(_clip(rng.gauss(mean, 0.95), -2, 2)))
        for position in range(1, goals + 1)
    }


def _typo(rng: random.Random, answers: dict[str, str], definition: InstrumentDefinition) -> dict:
    """The answers as first entered, with one slip that a correction later put right."""
    code = rng.choice([k for k, v in answers.items() if v not in ("", "na")] or list(answers))
    item = definition.items[0] if definition.kind == "gas" else definition.item(code)
    if item.kind == "choice":
        choices = [o.value for o in item.options if o.value != answers[code]]
    else:
        low, high = item.score_range
        choices = [str(v) for v in range(int(low), int(high) + 1) if str(v) != answers[code]]
    return {**answers, code: rng.choice(choices)}


# Trajectories -----------------------------------------------------------------------------


@dataclass
class _Context:
    end: datetime.date
    first: datetime.date  # the first day of the period
    instruments: dict[str, Instrument]
    sources: dict[str, Concept]
    domains: dict[str, Concept]
    workers: dict[int, User | None]
    taken: set[tuple[int, str]]  # (organisation, pseudonym) already registered


@dataclass
class _Planned:
    """A measurement drawn but not yet scored; GAS answers wait for their goals' pks."""

    trajectory: Trajectory
    instrument: Instrument
    moment: str
    on: datetime.date
    answers: dict[str, str]
    goals: list[Goal] = field(default_factory=list)


@dataclass
class _Rows:
    participants: list[Participant] = field(default_factory=list)
    groups: list[tuple[Participant, Concept]] = field(default_factory=list)
    trajectories: list[Trajectory] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    measurements: list[_Planned] = field(default_factory=list)


def _weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _source_weights(offer: Offer, sources: dict[str, Concept]) -> dict[str, float]:
    themes = {t.code for t in offer.themes.all()}
    weights = {code: w for code, w in REFERRED_BY.items() if code in sources}
    for theme, source, factor in THEME_SOURCES:
        if theme in themes and source in weights:
            weights[source] *= factor
    return weights


def _dates(rng: random.Random, plan: Plan, ctx: _Context) -> tuple:
    """(start, end or None, status) of one trajectory; some started before the period."""
    months = rng.uniform(*plan.months)
    lead = round(plan.months[1] * DAYS_PER_MONTH)
    start = ctx.end - datetime.timedelta(days=rng.randint(3, (ctx.end - ctx.first).days + lead))
    roll = rng.random()
    if roll < 0.15:  # stopped early
        months *= rng.uniform(0.15, 0.6)
    finished = start + datetime.timedelta(days=max(7, round(months * DAYS_PER_MONTH)))
    if finished > ctx.end:
        return start, None, TrajectoryStatus.ACTIVE
    status = TrajectoryStatus.STOPPED if roll < 0.15 else TrajectoryStatus.COMPLETED
    return start, finished, status


def _day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _new_pseudonym(organisation: Organisation, numbers: Iterator[int], taken: set) -> str:
    """The pseudonym of the next synthetic reference ("demo-<n>") not registered yet."""
    while True:
        pseudonym = pseudonym_for(organisation=organisation, reference=f"demo-{next(numbers)}")
        if (organisation.pk, pseudonym) not in taken:
            taken.add((organisation.pk, pseudonym))
            return pseudonym


def _offer_rows(
    offer: Offer,
    plan: Plan,
    rng: random.Random,
    ctx: _Context,
    numbers: Iterator[int],
    rows: _Rows,
) -> None:
    """Participants, trajectories, goals and measurements of one offer, into ``rows``."""
    organisation = offer.organisation
    worker = ctx.workers.get(organisation.pk)
    groups = list(offer.target_groups.all())
    sources = _source_weights(offer, ctx.sources)
    strength = rng.uniform(0.6, 1.4)  # offers of one kind do not all work equally well
    days = (ctx.end - ctx.first).days + plan.months[1] * DAYS_PER_MONTH
    count = round(rng.uniform(*plan.size) * rng.uniform(0.6, 1.4) * days / 365)
    domains = [ctx.domains[c] for c in plan.goals if c in ctx.domains]
    for _i in range(count):
        participant = Participant(
            organisation=organisation,
            pseudonym=_new_pseudonym(organisation, numbers, ctx.taken),
            age_band=_weighted(rng, plan.ages),
            gender=_weighted(rng, GENDERS) if rng.random() < 0.9 else "",
        )
        rows.participants.append(participant)
        if groups and rng.random() < 0.6:
            rows.groups.append((participant, rng.choice(groups)))
        start, finished, status = _dates(rng, plan, ctx)
        source = ctx.sources[_weighted(rng, sources)] if sources and rng.random() < 0.9 else None
        trajectory = Trajectory(
            organisation=organisation,
            participant=participant,
            offer=offer,
            start_date=start,
            end_date=finished,
            status=status,
            referral_source=source,
            created_by=worker,
        )
        rows.trajectories.append(trajectory)
        person = _Person(rng, strength * rng.uniform(0.5, 1.5))
        if rng.random() < plan.worse:
            person.strength = -rng.uniform(0.4, 1.0)
        last = finished or ctx.end
        intake_on = _day_between(rng, start, min(start + datetime.timedelta(days=14), last))
        end_on = _day_between(rng, max(intake_on, last - datetime.timedelta(days=10)), last)
        measured_end = finished is not None and rng.random() < (
            0.9 if status == TrajectoryStatus.COMPLETED else 0.4
        )
        interim = (last - intake_on).days > 90 and rng.random() < 0.2
        for key in plan.instruments:
            instrument = ctx.instruments.get(key)
            if instrument is None:
                continue
            definition = instrument.parsed
            if definition.kind == "gas":
                if not domains:
                    continue
                goals = [
                    Goal(trajectory=trajectory, domain=domain, weight=weight, position=position)
                    for position, (domain, weight) in enumerate(
                        zip(
                            rng.sample(domains, min(len(domains), rng.choice((1, 1, 2, 2, 3)))),
                            rng.choices((1, 1, 1, 2, 3), k=3),
                            strict=False,
                        ),
                        start=1,
                    )
                ]
                rows.goals += goals
                if measured_end:
                    answers = _gas(rng, plan, person, len(goals))
                    rows.measurements.append(
                        _Planned(trajectory, instrument, Moment.END, end_on, answers, goals)
                    )
                continue
            draw = {"djg6": _djg, "djg11": _djg, "zrm": _zrm, "pg": _pg}[definition.code]
            drawn = draw(definition, plan, person)
            if rng.random() < 0.97:
                rows.measurements.append(
                    _Planned(trajectory, instrument, Moment.INTAKE, intake_on, drawn.intake)
                )
            if interim and key == plan.instruments[0]:
                on = intake_on + datetime.timedelta(days=(end_on - intake_on).days // 2)
                rows.measurements.append(
                    _Planned(trajectory, instrument, Moment.INTERIM, on, drawn.interim)
                )
            if measured_end:
                rows.measurements.append(
                    _Planned(trajectory, instrument, Moment.END, end_on, drawn.end)
                )


def _measurements(rows: _Rows, ctx: _Context, rng: random.Random) -> list[Measurement]:
    """Score every drawn measurement as the form does; a few get a corrected version."""
    first_versions, current = [], []
    for planned in rows.measurements:
        trajectory, instrument, goals = planned.trajectory, planned.instrument, planned.goals
        definition = instrument.parsed
        answers = planned.answers
        if goals:  # GAS: answers keyed by goal id, as the form posts them
            answers = {str(goal.pk): answers[str(goal.position)] for goal in goals}
        normalised = normalise(answers, expected_keys(definition, goals))
        result = score_answers(definition, goals, normalised)
        if result.errors or all(s.value is None for s in result.scales.values()):
            continue  # what the form would refuse
        common = {
            "organisation": trajectory.organisation,
            "trajectory": trajectory,
            "instrument": instrument,
            "moment": planned.moment,
            "measured_on": planned.on,
            "created_by": trajectory.created_by,
        }
        measurement = Measurement(answers=normalised, scores=scores_for_storage(result), **common)
        if planned.moment != Moment.INTERIM and rng.random() < 0.03:
            slip = normalise(_typo(rng, normalised, definition), expected_keys(definition, goals))
            first = score_answers(definition, goals, slip)
            if not first.errors and any(s.value is not None for s in first.scales.values()):
                old = Measurement(
                    answers=slip, scores=scores_for_storage(first), is_current=False, **common
                )
                first_versions.append(old)
                measurement.version, measurement.supersedes = 2, old
        current.append(measurement)
    Measurement.objects.bulk_create(first_versions, batch_size=BATCH)
    return current


def _workers(organisations: Sequence[Organisation]) -> dict[int, User | None]:
    """Who enters the measurements: a worker of the organisation if it has one."""
    order = Case(
        When(role=OrgRole.WORKER, then=Value(0)),
        When(role=OrgRole.COORDINATOR, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    found: dict[int, User | None] = {}
    for membership in (
        Membership.objects.filter(organisation__in=organisations)
        .select_related("user")
        .order_by(order, "pk")
    ):
        found.setdefault(membership.organisation_id, membership.user)
    return found


def _accepted(scheme: str) -> dict[str, Concept]:
    return {
        c.code: c
        for c in Concept.objects.filter(scheme__code=scheme, status=ConceptStatus.ACCEPTED)
    }


def _first_month(end: datetime.date, months: int) -> datetime.date:
    index = end.year * 12 + end.month - months
    return datetime.date(index // 12, index % 12 + 1, 1)


@transaction.atomic
def generate_outcomes(
    *,
    organisations: Iterable[Organisation],
    end: datetime.date,
    months: int = 12,
    seed: int,
) -> dict[str, int]:
    """Trajectories and measurements of the ``months`` months up to ``end`` for every active
    or paused offer of ``organisations`` whose intervention type measures outcomes; then a
    rebuild of the analysis storage. Needs the shipped instruments and the organisations'
    pseudonym keys. Returns how many rows of each kind were written.
    """
    organisations = list(organisations)
    offers = list(
        Offer.objects.filter(
            organisation__in=organisations, status__in=[OfferStatus.ACTIVE, OfferStatus.PAUSED]
        )
        .select_related("organisation", "intervention_type__broader")
        .prefetch_related("themes", "target_groups")
        .order_by("organisation__slug", "name", "pk")
    )
    measured = set(Trajectory.objects.filter(offer__in=offers).values_list("offer_id", flat=True))
    if all(offer.pk in measured or plan_for(offer) is None for offer in offers):
        return {"participants": 0, "trajectories": 0, "goals": 0, "measurements": 0}
    ctx = _Context(
        end=end,
        first=_first_month(end, months),
        instruments={
            f"{i.code}-{i.version}": i
            for i in Instrument.objects.filter(organisation__isnull=True, is_active=True)
        },
        sources=_accepted("referral_sources"),
        domains=_accepted("outcome_domains"),
        workers=_workers(organisations),
        taken=set(
            Participant.objects.filter(organisation__in=organisations).values_list(
                "organisation_id", "pseudonym"
            )
        ),
    )
    rows = _Rows()
    numbers: dict[int, Iterator[int]] = {}
    for offer in offers:
        plan = plan_for(offer)
        if plan is None:
            continue
        rng = random.Random(f"{seed}:{offer.organisation.slug}:{offer.name}")
        counter = numbers.setdefault(offer.organisation_id, iter(range(1, 10**9)))
        # An offer that has its trajectories still draws, so the others' numbers stay put.
        target = _Rows() if offer.pk in measured else rows
        _offer_rows(offer, plan, rng, ctx, counter, target)

    Participant.objects.bulk_create(rows.participants, batch_size=BATCH)
    Participant.target_groups.through.objects.bulk_create(
        [Participant.target_groups.through(participant=p, concept=c) for p, c in rows.groups],
        batch_size=BATCH,
    )
    Trajectory.objects.bulk_create(rows.trajectories, batch_size=BATCH)
    Goal.objects.bulk_create(rows.goals, batch_size=BATCH)
    measurements = _measurements(rows, ctx, random.Random(f"{seed}:corrections"))
    Measurement.objects.bulk_create(measurements, batch_size=BATCH)
    outcomes_rebuild()
    return {
        "participants": len(rows.participants),
        "trajectories": len(rows.trajectories),
        "goals": len(rows.goals),
        "measurements": len(measurements) + sum(m.version > 1 for m in measurements),
    }

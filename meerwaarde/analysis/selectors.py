"""The figures of a selection, read from the running sums: a few grouped queries, never a
measurement, never a loop over rows in Python.

A selection by organisation, offer, theme or target group sums the offer rows of the offers
it holds; theme and target group are the offer's (``Offer.themes``, ``Offer.target_groups``),
not the participant's. A selection by intervention type alone, or of everything, reads the
rows of its own scope. Not scoped to a user: the dashboard always sets the organisation to
the user's own, and figures that leave an organisation must be suppressed by their caller.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db.models import Max, Min, QuerySet, Sum
from django.utils.translation import gettext as _

from meerwaarde.activities.models import ActivityRecord
from meerwaarde.activities.selectors import (
    MonthTotals,
    activity_totals,
    activity_totals_bounds,
    activity_totals_for_scope,
)
from meerwaarde.analysis import stats
from meerwaarde.analysis.constants import GAS_EXPECTED_T, GAS_KIND, Scope
from meerwaarde.analysis.models import CategoryMoves, OutcomeSums
from meerwaarde.bundling.suppression import HIDDEN
from meerwaarde.instruments.definition import Scale
from meerwaarde.instruments.models import Instrument
from meerwaarde.instruments.selectors import domain_labels
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.models import Organisation
from meerwaarde.vocabulary.models import Concept

INTERVENTION_TYPES = "intervention_types"
THEMES = "themes"
TARGET_GROUPS = "target_groups"


def _first_of_month(day: datetime.date | None) -> datetime.date | None:
    return None if day is None else day.replace(day=1)


@dataclass(frozen=True)
class Selection:
    """What to compute figures over; every part optional, the months inclusive.

    ``start`` and ``end`` may be any day: they stand for their month. Raises ValidationError
    (Dutch, per field) for an offer of another organisation, a concept from the wrong list or
    a period that ends before it starts.
    """

    organisation: Organisation | None = None
    offer: Offer | None = None
    intervention_type: Concept | None = None
    theme: Concept | None = None
    target_group: Concept | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", _first_of_month(self.start))
        object.__setattr__(self, "end", _first_of_month(self.end))
        errors: dict[str, str] = {}
        if (
            self.offer is not None
            and self.organisation is not None
            and self.offer.organisation_id != self.organisation.pk
        ):
            errors["offer"] = _("Dit aanbod hoort niet bij de gekozen organisatie.")
        concepts = (
            ("intervention_type", INTERVENTION_TYPES, _("Kies een soort interventie.")),
            ("theme", THEMES, _("Kies een thema.")),
            ("target_group", TARGET_GROUPS, _("Kies een doelgroep.")),
        )
        for name, scheme, message in concepts:
            concept = getattr(self, name)
            if concept is not None and concept.scheme.code != scheme:
                errors[name] = message
        if self.start is not None and self.end is not None and self.start > self.end:
            errors["end"] = _("De laatste maand ligt vóór de eerste. Draai ze om.")
        if errors:
            raise ValidationError(errors)

    @property
    def by_offers(self) -> bool:
        """Whether the figures sum offer rows (else the intervention-type or all rows)."""
        return any(
            part is not None
            for part in (self.organisation, self.offer, self.theme, self.target_group)
        )

    def offers(self) -> QuerySet[Offer]:
        """The offers the selection holds (all offers when it names none)."""
        offers = Offer.objects.all()
        if self.organisation is not None:
            offers = offers.filter(organisation=self.organisation)
        if self.offer is not None:
            offers = offers.filter(pk=self.offer.pk)
        if self.intervention_type is not None:
            offers = offers.filter(intervention_type=self.intervention_type)
        if self.theme is not None:
            offers = offers.filter(themes=self.theme)
        if self.target_group is not None:
            offers = offers.filter(target_groups=self.target_group)
        return offers


# The figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Category:
    code: str
    label: str


@dataclass(frozen=True)
class CategoryMovement:
    """How many went from each category (rows) to each (columns), in the scale's order."""

    categories: tuple[Category, ...]
    counts: tuple[tuple[int, ...], ...]
    higher_is_better: bool
    # Figures made shareable (bundling.figures) hide some counts; these sums (keys "total",
    # "better", "worse", "same", ("row", i)) were checked for publication with them.
    margins: dict | None = None

    @property
    def total(self) -> int:
        if self.margins is not None:
            return self.margins["total"]
        return sum(sum(row) for row in self.counts)

    def row_total(self, i: int) -> int:
        if self.margins is not None:
            return self.margins[("row", i)]
        return sum(self.counts[i])

    def _count(self, better: bool) -> int:
        if self.margins is not None:
            return self.margins["better" if better else "worse"]
        # Categories run from low to high values: up is better when higher is better.
        size = len(self.categories)
        return sum(
            self.counts[i][j]
            for i in range(size)
            for j in range(size)
            if (j > i if self.higher_is_better == better else j < i)
        )

    @property
    def to_better(self) -> int:
        return self._count(better=True)

    @property
    def to_worse(self) -> int:
        return self._count(better=False)

    @property
    def same(self) -> int:
        if self.margins is not None:
            return self.margins["same"]
        return sum(self.counts[i][i] for i in range(len(self.categories)))


@dataclass(frozen=True)
class ScaleFigures:
    """Paired change on one scale; shares are None when the scale has no reliable change."""

    code: str
    label: str
    domain: str
    domain_label: str
    higher_is_better: bool
    result: stats.PairedResult
    improved: stats.Share | None
    deteriorated: stats.Share | None
    movement: CategoryMovement | None

    @property
    def n(self) -> int:
        return self.result.n

    @property
    def hidden(self) -> bool:
        """Too few participants to share (bundling.figures): every figure is HIDDEN or None."""
        return self.result.n is HIDDEN

    @property
    def small(self) -> bool:
        return not self.hidden and stats.is_small(self.result.n)


@dataclass(frozen=True)
class GasFigures:
    """GAS T-scores against the expected outcome (50): their mean with its 95% interval."""

    instrument_id: int
    name: str
    version: str
    label: str
    result: stats.PairedResult  # start = 50, so the change is T − 50 and d_z is (T − 50) / SD
    distribution: tuple[tuple[Category, int], ...]

    @property
    def n(self) -> int:
        return self.result.n

    @property
    def hidden(self) -> bool:
        return self.result.n is HIDDEN

    @property
    def small(self) -> bool:
        return not self.hidden and stats.is_small(self.result.n)

    @property
    def mean(self) -> float | None:
        return self.result.mean_end

    @property
    def ci_low(self) -> float | None:
        return None if self.result.ci_low is None else self.result.ci_low + GAS_EXPECTED_T

    @property
    def ci_high(self) -> float | None:
        return None if self.result.ci_high is None else self.result.ci_high + GAS_EXPECTED_T


@dataclass(frozen=True)
class InstrumentFigures:
    instrument_id: int
    code: str
    version: str
    name: str
    notice: str
    rankable: bool  # False: a conversation tool (Positieve Gezondheid), never to rank on
    scales: tuple[ScaleFigures, ...]

    @property
    def n(self) -> int:
        return max((scale.n for scale in self.scales if not scale.hidden), default=0)


@dataclass(frozen=True)
class Figures:
    """Everything the dashboard shows for one selection."""

    selection: Selection
    scope: Scope
    activity: list[MonthTotals]
    instruments: list[InstrumentFigures] = field(default_factory=list)
    gas: list[GasFigures] = field(default_factory=list)
    # Set by bundling.figures.shareable_figures: some values are HIDDEN, and these are the
    # activity totals over all months that were checked for publication with them.
    activity_totals: dict[str, int] | None = None

    @property
    def shared(self) -> bool:
        return self.activity_totals is not None

    @property
    def has_outcomes(self) -> bool:
        return bool(self.instruments or self.gas)

    @property
    def has_activity(self) -> bool:
        return any(month.offers_reporting for month in self.activity)


# Reading the sums -------------------------------------------------------------------------


def _scope_of(selection: Selection) -> Scope:
    if selection.by_offers:
        return Scope.OFFER
    if selection.intervention_type is not None:
        return Scope.INTERVENTION_TYPE
    return Scope.ALL


def _scoped(rows: QuerySet, selection: Selection, scope: Scope) -> QuerySet:
    rows = rows.filter(scope=scope)
    if scope == Scope.ALL:
        # Implied by the scope, but lets SQLite find the few rows of all by the organisation
        # index (it cannot match a bound scope to the partial index of all).
        rows = rows.filter(organisation__isnull=True, intervention_type__isnull=True)
    elif scope == Scope.INTERVENTION_TYPE:
        rows = rows.filter(intervention_type=selection.intervention_type)
    elif scope == Scope.OFFER:
        if selection.organisation is not None:
            rows = rows.filter(organisation=selection.organisation)
        if any(
            part is not None
            for part in (
                selection.offer,
                selection.intervention_type,
                selection.theme,
                selection.target_group,
            )
        ):
            rows = rows.filter(offer__in=selection.offers().values("pk"))
    if selection.start is not None:
        rows = rows.filter(month__gte=selection.start)
    if selection.end is not None:
        rows = rows.filter(month__lte=selection.end)
    return rows.order_by()


@lru_cache(maxsize=4096)
def _paired_result(sums: stats.PairedSums) -> stats.PairedResult:
    """paired_result() takes milliseconds (its d_z interval inverts the noncentral t); the
    same sums give the same figures, so repeated views of a dashboard reuse them."""
    return stats.paired_result(sums)


@lru_cache(maxsize=16384)
def _share(k: int, n: int) -> stats.Share:
    """share() costs a SciPy call (0.15 ms); a dashboard asks for dozens of the same ones."""
    return stats.share(k, n)


def _movement(scale: Scale, moves: dict[tuple[str, str], int]) -> CategoryMovement | None:
    if not scale.cutoffs or not moves:
        return None
    codes = [cutoff.code for cutoff in scale.cutoffs]
    return CategoryMovement(
        categories=tuple(Category(c.code, c.label) for c in scale.cutoffs),
        counts=tuple(tuple(moves.get((a, b), 0) for b in codes) for a in codes),
        higher_is_better=scale.higher_is_better,
    )


def _has_reliable_change(scale: Scale) -> bool:
    return (
        scale.sd is not None
        and scale.sd > 0
        and scale.reliability is not None
        and scale.reliability < 1
    )


def analysis_figures(*, selection: Selection) -> Figures:
    """Activity over time and, per instrument and scale, the paired outcome figures.

    Queries: two grouped reads of the sums, one of instruments, one of domain labels and
    four for activity, whatever the number of trajectories. Scales without pairs are left
    out; instruments come by name and version, scales in the order of their definition.
    """
    scope = _scope_of(selection)
    sums_rows = (
        _scoped(OutcomeSums.objects.all(), selection, scope)
        .values("instrument_id", "scale")
        .annotate(
            total_n=Sum("n"),
            total_x1=Sum("sum_x1"),
            total_x1_sq=Sum("sum_x1_sq"),
            total_x2=Sum("sum_x2"),
            total_x2_sq=Sum("sum_x2_sq"),
            total_d=Sum("sum_d"),
            total_d_sq=Sum("sum_d_sq"),
            total_improved=Sum("improved"),
            total_deteriorated=Sum("deteriorated"),
        )
    )
    sums: dict[tuple[int, str], dict] = {(r["instrument_id"], r["scale"]): r for r in sums_rows}
    moves: dict[tuple[int, str], dict[tuple[str, str], int]] = defaultdict(dict)
    moves_rows = (
        _scoped(CategoryMoves.objects.all(), selection, scope)
        .values("instrument_id", "scale", "from_category", "to_category")
        .annotate(total=Sum("count"))
    )
    for row in moves_rows:
        moves[(row["instrument_id"], row["scale"])][(row["from_category"], row["to_category"])] = (
            row["total"]
        )

    instruments = sorted(
        Instrument.objects.filter(pk__in={key[0] for key in sums}),
        key=lambda i: (i.name, i.version, i.pk),
    )
    labels = domain_labels(codes={scale.domain for i in instruments for scale in i.parsed.scales})
    outcome_figures, gas_figures = [], []
    for instrument in instruments:
        definition = instrument.parsed
        scales = []
        for scale in definition.scales:
            row = sums.get((instrument.pk, scale.code))
            if row is None or not row["total_n"]:
                continue
            n = row["total_n"]
            result = _paired_result(
                stats.PairedSums(
                    n=n,
                    sum_x1=row["total_x1"],
                    sum_x1_sq=row["total_x1_sq"],
                    sum_x2=row["total_x2"],
                    sum_x2_sq=row["total_x2_sq"],
                    sum_d=row["total_d"],
                    sum_d_sq=row["total_d_sq"],
                )
            )
            scale_moves = moves.get((instrument.pk, scale.code), {})
            if definition.kind == GAS_KIND:
                gas_figures.append(
                    GasFigures(
                        instrument_id=instrument.pk,
                        name=definition.name,
                        version=definition.version,
                        label=scale.label,
                        result=result,
                        distribution=tuple(
                            (Category(c.code, c.label), scale_moves.get(("", c.code), 0))
                            for c in scale.cutoffs
                        ),
                    )
                )
                continue
            reliable = _has_reliable_change(scale)
            scales.append(
                ScaleFigures(
                    code=scale.code,
                    label=scale.label,
                    domain=scale.domain,
                    domain_label=labels.get(scale.domain, scale.domain),
                    higher_is_better=scale.higher_is_better,
                    result=result,
                    improved=_share(row["total_improved"], n) if reliable else None,
                    deteriorated=_share(row["total_deteriorated"], n) if reliable else None,
                    movement=_movement(scale, scale_moves),
                )
            )
        if scales:
            outcome_figures.append(
                InstrumentFigures(
                    instrument_id=instrument.pk,
                    code=definition.code,
                    version=definition.version,
                    name=definition.name,
                    notice=definition.notice,
                    rankable=definition.rankable,
                    scales=tuple(scales),
                )
            )
    return Figures(
        selection=selection,
        scope=scope,
        activity=_activity(selection, scope),
        instruments=outcome_figures,
        gas=gas_figures,
    )


def _activity(selection: Selection, scope: Scope | None = None) -> list[MonthTotals]:
    """Activity totals per month over the selection's period; without a period, from the
    first to the last month with records. Like the outcome sums, a selection by intervention
    type alone or of everything reads the totals of its scope, others the offers' records."""
    scope = scope or _scope_of(selection)
    offers = selection.offers()
    start, end = selection.start, selection.end
    if start is None or end is None:
        if scope == Scope.OFFER:
            bounds = ActivityRecord.objects.filter(offer__in=offers.values("pk")).aggregate(
                first=Min("month"), last=Max("month")
            )
            first, last = bounds["first"], bounds["last"]
        else:
            first, last = activity_totals_bounds(intervention_type=selection.intervention_type)
        start = start or first or end
        end = end or last or start
    if start is None or end is None or start > end:
        return []
    if scope == Scope.OFFER:
        return activity_totals(offers=offers, start=start, end=end)
    return activity_totals_for_scope(
        intervention_type=selection.intervention_type, start=start, end=end
    )


# For the filter form and the start page ---------------------------------------------------


@dataclass(frozen=True)
class FilterChoices:
    """What an organisation's dashboard can be filtered on: only what its offers have."""

    offers: QuerySet[Offer]
    intervention_types: QuerySet[Concept]
    themes: QuerySet[Concept]
    target_groups: QuerySet[Concept]


def filter_choices(*, organisation: Organisation) -> FilterChoices:
    offers = Offer.objects.filter(organisation=organisation)
    concepts = Concept.objects.select_related("scheme").order_by("pref_label_nl", "pk")
    return FilterChoices(
        offers=offers.select_related("intervention_type").order_by("name", "pk"),
        intervention_types=concepts.filter(pk__in=offers.values("intervention_type")),
        themes=concepts.filter(scheme__code=THEMES, pk__in=offers.values("themes")),
        target_groups=concepts.filter(
            scheme__code=TARGET_GROUPS, pk__in=offers.values("target_groups")
        ),
    )

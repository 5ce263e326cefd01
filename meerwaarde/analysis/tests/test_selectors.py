import datetime
import math
import random

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from scipy import optimize, stats

from meerwaarde.activities.selectors import activity_totals
from meerwaarde.activities.services import activity_totals_rebuild
from meerwaarde.activities.tests.factories import (
    ActivityRecordFactory,
    EarlySignalCountFactory,
    ReferralCountFactory,
    ReferralSourceFactory,
    ThemeFactory,
)
from meerwaarde.analysis.constants import Scope
from meerwaarde.analysis.selectors import Selection, analysis_figures, filter_choices
from meerwaarde.analysis.stats import PairedSums, paired_result
from meerwaarde.offers.models import Offer
from meerwaarde.offers.tests.factories import InterventionTypeFactory
from meerwaarde.organisations.tests.factories import OrganisationFactory
from meerwaarde.participants.tests.factories import TargetGroupFactory

pytestmark = pytest.mark.django_db


def _scale(figures, code="total", instrument="djg6"):
    found = next(i for i in figures.instruments if i.code == instrument)
    return next(s for s in found.scales if s.code == code)


def _d_z_interval(d: np.ndarray, confidence: float = 0.95) -> tuple[float, float]:
    """The exact interval of d_z by inverting scipy's noncentral t, written out independently."""
    n = len(d)
    t = d.mean() / d.std(ddof=1) * math.sqrt(n)

    def ncp_for(target: float) -> float:
        return optimize.brentq(
            lambda ncp: stats.nct.cdf(t, n - 1, ncp) - target, t - 10, t + 10, xtol=1e-14
        )

    return ncp_for((1 + confidence) / 2) / math.sqrt(n), ncp_for((1 - confidence) / 2) / math.sqrt(
        n
    )


def _wilson(k: int, n: int) -> tuple[float, float]:
    z = stats.norm.ppf(0.975)
    centre = (k + z * z / 2) / (n + z * z)
    half = z * math.sqrt(k * (n - k) / n + z * z / 4) / (n + z * z)
    return centre - half, centre + half


def test_it_matches_a_direct_computation_from_the_raw_pairs(outcomes):
    rng = random.Random(7)
    offer = outcomes.offer()
    raw = [(rng.randint(2, 6), rng.randint(0, 6)) for _ in range(30)]
    for start, end in raw:
        outcomes.loneliness(offer, start, end)

    figures = analysis_figures(selection=Selection(organisation=outcomes.organisation))

    scale = _scale(figures)
    x1, x2 = np.array(raw, dtype=float).T
    d = x2 - x1
    result = scale.result
    assert result.n == 30
    assert result.mean_start == pytest.approx(x1.mean(), abs=1e-9)
    assert result.mean_end == pytest.approx(x2.mean(), abs=1e-9)
    assert result.mean_change == pytest.approx(d.mean(), abs=1e-9)
    low, high = stats.t.interval(0.95, len(d) - 1, loc=d.mean(), scale=stats.sem(d))
    assert (result.ci_low, result.ci_high) == pytest.approx((low, high), abs=1e-9)
    assert result.d_z == pytest.approx(d.mean() / d.std(ddof=1), abs=1e-9)
    assert (result.d_z_low, result.d_z_high) == pytest.approx(_d_z_interval(d), abs=1e-9)
    # Reliable change by hand: |RCI| > 1.96 with S_diff = √2 · 1.6 · √(1 − 0.72); lower is better.
    rci = d / (math.sqrt(2) * 1.6 * math.sqrt(1 - 0.72))
    improved, deteriorated = int((rci < -1.96).sum()), int((rci > 1.96).sum())
    assert (scale.improved.k, scale.deteriorated.k) == (improved, deteriorated)
    assert (scale.improved.low, scale.improved.high) == pytest.approx(
        _wilson(improved, 30), abs=1e-9
    )
    assert scale.improved.proportion == pytest.approx(improved / 30)
    assert not scale.small


def test_it_reads_an_intervention_type_from_its_own_rows_as_the_sum_of_its_offers(outcomes):
    kind, other_kind = InterventionTypeFactory(), InterventionTypeFactory()
    offers = [
        outcomes.offer(intervention_type=kind),
        outcomes.offer(organisation=OrganisationFactory(), intervention_type=kind),
    ]
    other = outcomes.offer(intervention_type=other_kind)
    raw = [(5, 2), (4, 4), (6, 1), (3, 5)]
    for offer, (start, end) in zip([*offers, *offers], raw, strict=True):
        outcomes.loneliness(offer, start, end)
    outcomes.loneliness(other, 0, 6)

    by_type = analysis_figures(selection=Selection(intervention_type=kind))
    by_offers = [analysis_figures(selection=Selection(offer=offer)) for offer in offers]

    assert by_type.scope == Scope.INTERVENTION_TYPE
    assert {f.scope for f in by_offers} == {Scope.OFFER}
    assert _scale(by_type).result == paired_result(PairedSums.from_pairs(raw))
    assert _scale(by_type).n == sum(_scale(f).n for f in by_offers)
    everything = analysis_figures(selection=Selection())
    assert everything.scope == Scope.ALL
    assert _scale(everything).n == 5


def test_it_selects_on_the_themes_and_target_groups_of_offers(outcomes):
    theme, group = ThemeFactory(), TargetGroupFactory()
    with_theme = outcomes.offer(themes=[theme])
    with_group = outcomes.offer(target_groups=[group])
    outcomes.loneliness(with_theme, 5, 2)
    outcomes.loneliness(with_group, 4, 1)
    outcomes.loneliness(with_group, 4, 0)
    organisation = outcomes.organisation

    themed = analysis_figures(selection=Selection(organisation=organisation, theme=theme))
    grouped = analysis_figures(selection=Selection(organisation=organisation, target_group=group))

    assert _scale(themed).n == 1
    assert _scale(grouped).n == 2
    assert _scale(grouped).result.mean_end == 0.5


def test_it_keeps_to_the_period_of_the_end_measurements(outcomes):
    offer = outcomes.offer()
    outcomes.loneliness(offer, 5, 2, end_on=outcomes.day(1))
    outcomes.loneliness(offer, 5, 3, end_on=outcomes.day(4))
    outcomes.loneliness(offer, 5, 4, end_on=outcomes.day(8))

    recent = Selection(organisation=outcomes.organisation, start=outcomes.day(5))
    middle = Selection(
        organisation=outcomes.organisation, start=outcomes.day(5), end=outcomes.day(2)
    )

    assert _scale(analysis_figures(selection=recent)).result.mean_end == 2.5
    assert _scale(analysis_figures(selection=middle)).result.mean_end == 3


def test_it_counts_moves_between_categories(outcomes):
    offer = outcomes.offer()
    for start, end in [(5, 3), (6, 2), (5, 1), (2, 5), (3, 3)]:
        outcomes.loneliness(offer, start, end)

    movement = _scale(analysis_figures(selection=Selection(offer=offer))).movement

    assert [c.code for c in movement.categories] == [
        "niet-eenzaam",
        "matig-eenzaam",
        "ernstig-eenzaam",
    ]
    assert movement.counts == ((0, 0, 0), (0, 1, 1), (1, 2, 0))
    assert (movement.to_better, movement.same, movement.to_worse, movement.total) == (3, 1, 1, 5)
    # Subscales have no categories.
    assert _scale(analysis_figures(selection=Selection(offer=offer)), "social").movement is None


def test_it_flags_fewer_than_twenty_pairs_as_uncertain(outcomes):
    offer = outcomes.offer()
    for _ in range(19):
        outcomes.loneliness(offer, 4, 2)
    selection = Selection(offer=offer)
    assert _scale(analysis_figures(selection=selection)).small
    assert _scale(analysis_figures(selection=selection)).improved.small

    outcomes.loneliness(offer, 4, 1)

    assert not _scale(analysis_figures(selection=selection)).small


def test_it_gives_gas_t_scores_against_the_expected_outcome(outcomes):
    offer = outcomes.offer()
    for scores in ([1], [0], [2], [-1]):
        outcomes.gas_end(outcomes.trajectory(offer), scores)

    figures = analysis_figures(selection=Selection(offer=offer))

    (gas,) = figures.gas
    t = np.array([50 + 10 * s / 1.0 for s in (1, 0, 2, -1)])  # one goal: T = 50 + 10x
    assert gas.n == 4
    assert gas.mean == pytest.approx(t.mean())
    low, high = stats.t.interval(0.95, 3, loc=t.mean(), scale=stats.sem(t))
    assert (gas.ci_low, gas.ci_high) == pytest.approx((low, high), abs=1e-9)
    assert [(c.code, count) for c, count in gas.distribution] == [
        ("minder-dan-verwacht", 1),
        ("zoals-verwacht", 1),
        ("beter-dan-verwacht", 2),
    ]
    assert gas.small
    assert figures.instruments == []


def test_it_says_positieve_gezondheid_is_not_for_ranking(outcomes):
    trajectory = outcomes.trajectory(outcomes.offer())
    outcomes.record(trajectory, outcomes.pg, "intake", {"zingeving": "4"}, outcomes.day(5))
    outcomes.record(trajectory, outcomes.pg, "end", {"zingeving": "7,5"}, outcomes.day(1))

    (pg,) = analysis_figures(selection=Selection(organisation=outcomes.organisation)).instruments

    assert not pg.rankable
    assert "gespreksinstrument" in pg.notice
    assert [s.code for s in pg.scales] == ["zingeving"]
    assert pg.scales[0].result.mean_change == 3.5
    assert pg.scales[0].movement is None


def test_it_includes_activity_over_the_selected_months(outcomes):
    offer = outcomes.offer()
    ActivityRecordFactory(offer=offer, month=outcomes.day(3).replace(day=1), meetings_held=4)
    ActivityRecordFactory(offer=offer, month=outcomes.day(1).replace(day=1), meetings_held=6)
    ActivityRecordFactory(offer=outcomes.offer(organisation=OrganisationFactory()))

    figures = analysis_figures(selection=Selection(organisation=outcomes.organisation))

    assert [m.meetings_held for m in figures.activity] == [4, 0, 6]
    assert figures.has_activity
    assert not figures.has_outcomes
    chosen = Selection(
        organisation=outcomes.organisation, start=outcomes.day(5), end=outcomes.day(0)
    )
    assert len(analysis_figures(selection=chosen).activity) == 6


def test_it_reads_the_activity_of_a_type_or_of_everything_from_the_totals(outcomes):
    kind, other = InterventionTypeFactory(), InterventionTypeFactory()
    source, theme = ReferralSourceFactory(), ThemeFactory()
    offers = [
        outcomes.offer(intervention_type=kind),
        outcomes.offer(intervention_type=other),
        outcomes.offer(organisation=OrganisationFactory(), intervention_type=kind),
    ]
    for number, offer in enumerate(offers):
        for months_ago in (number, number + 2):
            record = ActivityRecordFactory(
                offer=offer, month=outcomes.day(months_ago).replace(day=1), meetings_held=number
            )
            ReferralCountFactory(record=record, source=source, count=number + 1)
            EarlySignalCountFactory(record=record, theme=theme, count=2)
    activity_totals_rebuild()
    first, last = outcomes.day(4).replace(day=1), outcomes.day(0).replace(day=1)

    everything = analysis_figures(selection=Selection())
    of_kind = analysis_figures(selection=Selection(intervention_type=kind))
    chosen = analysis_figures(
        selection=Selection(intervention_type=kind, start=outcomes.day(1), end=outcomes.day(0))
    )

    assert everything.scope == Scope.ALL
    assert everything.activity == activity_totals(offers=Offer.objects.all(), start=first, end=last)
    kind_offers = Offer.objects.filter(intervention_type=kind)
    assert of_kind.activity == activity_totals(offers=kind_offers, start=first, end=last)
    assert chosen.activity == activity_totals(
        offers=kind_offers, start=outcomes.day(1), end=outcomes.day(0)
    )
    assert [m.offers_reporting for m in everything.activity] == [1, 1, 2, 1, 1]


def test_it_has_nothing_for_an_organisation_without_data(outcomes):
    figures = analysis_figures(selection=Selection(organisation=outcomes.organisation))

    assert figures.activity == []
    assert not figures.has_outcomes


def test_it_costs_the_same_few_queries_however_many_trajectories(
    outcomes, django_assert_max_num_queries
):
    offer = outcomes.offer()
    for i in range(25):
        outcomes.loneliness(offer, 5, i % 7)
    outcomes.gas_end(outcomes.trajectory(offer), [1])
    ActivityRecordFactory(offer=offer, month=outcomes.day(1).replace(day=1))

    with django_assert_max_num_queries(8):
        analysis_figures(selection=Selection(organisation=outcomes.organisation))


def test_it_validates_a_selection(outcomes, org_b):
    theme = ThemeFactory()
    with pytest.raises(ValidationError) as error:
        Selection(
            organisation=outcomes.organisation,
            offer=outcomes.offer(organisation=org_b),
            intervention_type=theme,
            theme=InterventionTypeFactory(),
            target_group=theme,
            start=datetime.date(2025, 5, 17),
            end=datetime.date(2025, 4, 30),
        )
    assert set(error.value.message_dict) == {
        "offer",
        "intervention_type",
        "theme",
        "target_group",
        "end",
    }


def test_it_takes_any_day_for_its_month():
    selection = Selection(start=datetime.date(2025, 5, 17), end=datetime.date(2025, 5, 2))

    assert (selection.start, selection.end) == (
        datetime.date(2025, 5, 1),
        datetime.date(2025, 5, 1),
    )


def test_it_offers_only_filters_the_organisation_has(outcomes, org_b):
    theme, group = ThemeFactory(), TargetGroupFactory()
    own = outcomes.offer(themes=[theme], target_groups=[group])
    outcomes.offer(
        organisation=org_b, themes=[ThemeFactory()], target_groups=[TargetGroupFactory()]
    )

    choices = filter_choices(organisation=outcomes.organisation)

    assert list(choices.offers) == [own]
    assert list(choices.intervention_types) == [own.intervention_type]
    assert list(choices.themes) == [theme]
    assert list(choices.target_groups) == [group]


def test_it_answers_everything_from_a_fresh_rebuild_alike(outcomes):
    from meerwaarde.analysis.services import outcomes_rebuild

    offer = outcomes.offer()
    for start, end in [(5, 3), (6, 2), (4, 4)]:
        outcomes.loneliness(offer, start, end)
    before = analysis_figures(selection=Selection(organisation=outcomes.organisation))

    outcomes_rebuild()

    after = analysis_figures(selection=Selection(organisation=outcomes.organisation))
    assert after.instruments == before.instruments

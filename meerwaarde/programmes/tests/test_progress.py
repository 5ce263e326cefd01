"""Progress numbers, checked against the selectors they come from, and the gate."""

import datetime

import pytest

from meerwaarde.activities.selectors import activity_totals
from meerwaarde.activities.tests.factories import ActivityRecordFactory
from meerwaarde.analysis.selectors import Selection, analysis_figures
from meerwaarde.analysis.tests.factories import Outcomes
from meerwaarde.bundling.suppression import HIDDEN
from meerwaarde.offers.models import Offer
from meerwaarde.programmes import services
from meerwaarde.programmes.constants import (
    ActivityMeasure,
    DataSource,
    Direction,
    Level,
    OutcomeStatistic,
    Status,
)
from meerwaarde.programmes.progress import programme_progress

from .conftest import month

pytestmark = pytest.mark.django_db


def _activity_node(programme, measure, **kwargs):
    return services.node_create(
        programme=programme,
        level=kwargs.pop("level", Level.OUTPUT),
        title=kwargs.pop("title", "Bereik"),
        indicator="Telling uit de activiteiten.",
        source=DataSource.ACTIVITY,
        activity_measure=measure,
        **kwargs,
    )


def _year(progress, node, year):
    item = next(item for item in progress.nodes if item.node.pk == node.pk)
    return next(value for value in item.years if value.year == year)


def test_it_takes_activity_totals_of_the_owners_offers_per_year(programme, offers, activity, today):
    node = _activity_node(programme, ActivityMeasure.NEW_PARTICIPANTS)
    progress = programme_progress(programme=programme, today=today)
    months = activity_totals(
        offers=Offer.objects.filter(organisation=programme.organisation),
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 12, 1),
    )
    assert _year(progress, node, 2025).actual == sum(m.new_participants for m in months) == 72
    assert _year(progress, node, 2025).basis == 50  # mean reach of a month


def test_it_reads_only_the_chosen_type_of_the_owner_never_another_organisation(
    programme, offers, activity, maatjes, today
):
    node = _activity_node(
        programme, ActivityMeasure.PARTICIPANTS_REACHED, intervention_types=[maatjes]
    )
    progress = programme_progress(programme=programme, today=today)
    months = activity_totals(
        offers=Offer.objects.filter(pk=offers["maatjes"].pk),
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 12, 1),
    )
    assert _year(progress, node, 2025).actual == 20.0  # mean per month, not the beta's 99
    assert sum(m.participants_reached for m in months) / 12 == 20.0
    assert _year(progress, node, 2026).actual is None  # no maatjes counts in 2026
    assert _year(progress, node, 2026).status == Status.NO_VALUE


def test_it_compares_with_the_target_and_says_whether_on_track(programme, offers, activity, today):
    node = _activity_node(programme, ActivityMeasure.MEETINGS)
    services.targets_set(
        node=node,
        targets={2025: 140, 2026: 60, 2027: 48, 2028: 60},
    )
    ActivityRecordFactory(
        offer=offers["maatjes"], month=month(2027, 1), meetings_held=25, participants_reached=40
    )
    progress = programme_progress(programme=programme, today=today)
    assert _year(progress, node, 2025).actual == 144  # 12 × (8 + 4)
    assert _year(progress, node, 2025).status == Status.MET
    assert _year(progress, node, 2025).on_track is True
    # 2026: 48 meetings, but on only three participants a month: hidden, never a value.
    assert _year(progress, node, 2026).actual is HIDDEN
    assert _year(progress, node, 2026).status == Status.HIDDEN
    assert _year(progress, node, 2026).on_track is None
    # 2027 runs: five complete months of a target of 48 ask for 20; 25 is on course.
    assert _year(progress, node, 2027).status == Status.ON_TRACK
    assert _year(progress, node, 2027).running
    assert _year(progress, node, 2028).status == Status.FUTURE


def test_lower_is_better_turns_the_comparison_around(programme, offers, activity, today):
    node = _activity_node(programme, ActivityMeasure.NEW_PARTICIPANTS, direction=Direction.LOWER)
    services.targets_set(node=node, targets={2025: 70})
    progress = programme_progress(programme=programme, today=today)
    assert _year(progress, node, 2025).status == Status.NOT_MET
    assert _year(progress, node, 2025).on_track is False


def test_the_owner_sees_values_below_k_marked(programme, offers, activity, today):
    node = _activity_node(programme, ActivityMeasure.NEW_PARTICIPANTS)
    progress = programme_progress(programme=programme, today=today, suppressed=False)
    value = _year(progress, node, 2026)
    assert value.actual == 12
    assert value.below_k and not value.hidden
    assert progress.has_below_k


def test_it_hides_a_small_count_of_people_even_when_many_were_reached(
    programme, offers, activity, today
):
    node = _activity_node(programme, ActivityMeasure.VOLUNTEERS)
    signals = _activity_node(programme, ActivityMeasure.NEW_PARTICIPANTS, title="Nieuw")
    ActivityRecordFactory(
        offer=offers["maatjes"], month=month(2027, 2), participants_reached=40, new_participants=3
    )
    progress = programme_progress(programme=programme, today=today)
    assert _year(progress, signals, 2027).actual is HIDDEN  # 3 new people
    assert _year(progress, node, 2027).actual == 2.0  # volunteers rest on the 40 reached


def test_a_hidden_step_cannot_be_computed_from_two_published_ones(programme, offers, today):
    for number in range(1, 6):
        ActivityRecordFactory(
            offer=offers["maatjes"], month=month(2027, number), participants_reached=20
        )
        ActivityRecordFactory(
            offer=offers["huiskamer"],
            month=month(2027, number),
            participants_reached=3,
            new_participants=1,
        )
    both = _activity_node(programme, ActivityMeasure.MEETINGS, title="Alles")
    maatjes = _activity_node(
        programme, ActivityMeasure.MEETINGS, title="Maatjes", offers=[offers["maatjes"]]
    )
    huiskamer = _activity_node(
        programme, ActivityMeasure.MEETINGS, title="Huiskamer", offers=[offers["huiskamer"]]
    )
    progress = programme_progress(programme=programme, today=today)
    assert _year(progress, huiskamer, 2027).hidden
    # Huiskamer = Alles − Maatjes: one of the two must go as well.
    assert _year(progress, both, 2027).hidden or _year(progress, maatjes, 2027).hidden


@pytest.fixture
def outcomes(shipped_instruments, org_a) -> Outcomes:
    return Outcomes(
        instruments=shipped_instruments, organisation=org_a, today=datetime.date.today()
    )


def _outcome_node(programme, outcomes, statistic, **kwargs):
    return services.node_create(
        programme=programme,
        level=Level.OUTCOME,
        title=kwargs.pop("title", "Minder eenzaam"),
        indicator="Verandering op de De Jong Gierveld-schaal.",
        source=DataSource.OUTCOME,
        instrument=outcomes.djg6,
        scale="total",
        statistic=statistic,
        direction=Direction.LOWER,
        **kwargs,
    )


def test_it_takes_outcome_figures_per_year_from_analysis_figures(programme, offers, outcomes):
    end_year = outcomes.day(1).year
    for _ in range(12):
        outcomes.loneliness(offers["maatjes"], 5, 1)
    for _ in range(3):
        outcomes.loneliness(offers["huiskamer"], 4, 3)
    change = _outcome_node(
        programme, outcomes, OutcomeStatistic.MEAN_CHANGE, offers=[offers["maatjes"]]
    )
    improved = _outcome_node(
        programme, outcomes, OutcomeStatistic.IMPROVED_SHARE, title="Verbeterd"
    )
    pairs = _outcome_node(
        programme,
        outcomes,
        OutcomeStatistic.PAIRS,
        title="Paren",
        offers=[offers["maatjes"], offers["huiskamer"]],
    )
    progress = programme_progress(programme=programme, today=datetime.date(end_year, 12, 31))
    figures = analysis_figures(
        selection=Selection(
            organisation=programme.organisation,
            offer=offers["maatjes"],
            start=datetime.date(end_year, 1, 1),
            end=datetime.date(end_year, 12, 1),
        )
    )
    scale = figures.instruments[0].scales[0]
    assert scale.code == "total"
    assert _year(progress, change, end_year).actual == pytest.approx(scale.result.mean_change)
    assert _year(progress, change, end_year).basis == 12
    everything = (
        analysis_figures(
            selection=Selection(
                organisation=programme.organisation,
                start=datetime.date(end_year, 1, 1),
                end=datetime.date(end_year, 12, 1),
            )
        )
        .instruments[0]
        .scales[0]
    )
    assert _year(progress, improved, end_year).actual == pytest.approx(
        100 * everything.improved.k / everything.n
    )
    # Two offers, summed offer by offer: the same pairs as the whole organisation.
    assert _year(progress, pairs, end_year).actual == everything.n == 15


def test_it_hides_outcome_figures_of_few_participants(programme, offers, outcomes):
    end_year = outcomes.day(1).year
    for _ in range(3):
        outcomes.loneliness(offers["huiskamer"], 4, 3)
    node = _outcome_node(programme, outcomes, OutcomeStatistic.MEAN_END)
    shared = programme_progress(programme=programme, today=datetime.date(end_year, 12, 31))
    own = programme_progress(
        programme=programme, today=datetime.date(end_year, 12, 31), suppressed=False
    )
    assert _year(shared, node, end_year).actual is HIDDEN
    assert _year(own, node, end_year).actual == pytest.approx(3.0)


def test_manual_values_come_with_their_source_and_are_never_suppressed(programme, carol, today):
    node = services.node_create(
        programme=programme,
        level=Level.IMPACT,
        title="Minder eenzame inwoners",
        indicator="Aandeel inwoners van 65+ dat zich sterk eenzaam voelt.",
        unit="procent",
        direction=Direction.LOWER,
        baseline_value=12,
        baseline_year=2024,
    )
    services.targets_set(node=node, targets={2025: 11, 2026: 10})
    services.manual_value_set(
        node=node, year=2025, value=3, source="Gezondheidsmonitor GGD 2025", entered_by=carol
    )
    progress = programme_progress(programme=programme, today=today)
    value = _year(progress, node, 2025)
    assert value.actual == 3.0 and not value.hidden
    assert value.source_text == "Gezondheidsmonitor GGD 2025"
    assert value.status == Status.MET
    assert _year(progress, node, 2026).status == Status.NO_VALUE

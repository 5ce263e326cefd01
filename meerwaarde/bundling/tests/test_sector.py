import pytest
from django.core.exceptions import ValidationError

from meerwaarde.analysis.selectors import Selection, analysis_figures
from meerwaarde.bundling.sector import (
    DIMENSIONS,
    Dimension,
    SectorSelection,
    sector_figures,
)
from meerwaarde.bundling.suppression import HIDDEN, Cell, recoverable
from meerwaarde.places.constants import Province

pytestmark = pytest.mark.django_db


def _djg6_keys(figures, scale="total"):
    return next(s.key for s in figures.scales if s.code == scale)


def test_it_gives_the_dashboard_figures_when_the_selection_is_one_organisation(sector):
    figures = sector_figures(selection=SectorSelection(municipality=sector.places["zwolle"]))
    dashboard = analysis_figures(selection=Selection(organisation=sector.organisations["a"]))

    expected = {(i.instrument_id, s.code): s for i in dashboard.instruments for s in i.scales}
    assert expected
    shown = figures.total.outcomes
    assert {(s.instrument_id, s.code) for s in figures.scales} == set(expected)
    for scale in figures.scales:
        mine, theirs = shown[scale.key], expected[(scale.instrument_id, scale.code)]
        assert mine.n == theirs.n == 12
        for name in ("mean_start", "mean_end", "mean_change", "ci_low", "ci_high", "d_z",
                     "d_z_low", "d_z_high"):  # fmt: skip
            assert getattr(mine.result, name) == pytest.approx(getattr(theirs.result, name))
        if theirs.improved is not None:
            assert mine.improved.k == theirs.improved.k
            assert mine.deteriorated.k == theirs.deteriorated.k
    assert figures.total.reach.participants_reached == 40


def test_it_hides_the_small_cell_in_every_breakdown_and_keeps_it_underivable(sector):
    figures = sector_figures(selection=SectorSelection())
    key = _djg6_keys(figures)
    offers = {o.pk: o for o in sector.offers.values()}

    deventer = next(
        r for r in figures.breakdown(Dimension.MUNICIPALITY) if r.label.startswith("Deventer")
    )
    assert deventer.outcomes[key].n is HIDDEN
    assert deventer.reach is HIDDEN

    # Everything published about this scale, with the offers each figure sums: an attacker
    # with every table of the selection must not be able to pin the hidden ones down.
    groups = {
        Dimension.PROVINCE: lambda o: {o.organisation.place.province},
        Dimension.MUNICIPALITY: lambda o: {str(o.organisation.place.geonameid)},
        Dimension.THEME: lambda o: {c.code for c in o.themes.all()},
        Dimension.TARGET_GROUP: lambda o: {c.code for c in o.target_groups.all()},
        Dimension.INTERVENTION_TYPE: lambda o: {o.intervention_type.code},
    }
    counts = {o.pk: n for o, n in ((sector.offers["a"], 12), (sector.offers["b"], 3),
                                   (sector.offers["c"], 11))}  # fmt: skip
    cells, hidden = [], set()
    for dimension in DIMENSIONS:
        for row in figures.breakdown(dimension):
            members = frozenset(pk for pk, o in offers.items() if row.key in groups[dimension](o))
            cells.append(Cell((dimension, row.key), sum(counts[m] for m in members), members))
            outcome = row.outcomes[key]
            if outcome.n is HIDDEN:
                hidden.add((dimension, row.key))
            else:
                assert outcome.n == cells[-1].count
    total = figures.total.outcomes[key]
    cells.append(Cell("total", 26, frozenset(offers), margin=True))
    if total.n is HIDDEN:
        hidden.add("total")
    assert ("municipality", "2757345") in hidden
    assert recoverable(cells, hidden) == {}


def test_it_shows_hidden_figures_as_hidden_never_as_zero(sector):
    figures = sector_figures(selection=SectorSelection())
    for dimension in DIMENSIONS:
        for row in figures.breakdown(dimension):
            for outcome in row.outcomes.values():
                assert outcome.n is HIDDEN or outcome.n >= 10
                assert outcome.n is not HIDDEN or outcome.result is None


def test_it_selects_a_focus_group_through_the_offers_target_groups(sector):
    older = sector_figures(selection=SectorSelection(focus="ouderen"))
    vulnerable = sector_figures(selection=SectorSelection(focus="psychisch-kwetsbaren"))

    assert older.offers == 1 and older.total.outcomes[_djg6_keys(older)].n == 12
    assert vulnerable.offers == 1 and vulnerable.total.outcomes[_djg6_keys(vulnerable)].n == 11


def test_it_filters_by_province_and_counts_only_social_work_organisations(sector):
    from meerwaarde.organisations.constants import OrganisationKind

    figures = sector_figures(selection=SectorSelection(province=Province.DRENTHE))
    assert figures.offers == 1

    gamma = sector.organisations["c"]
    gamma.kind = OrganisationKind.MUNICIPALITY
    gamma.save()
    assert sector_figures(selection=SectorSelection(province=Province.DRENTHE)).offers == 0


def test_it_refuses_an_inconsistent_selection_in_dutch(sector):
    with pytest.raises(ValidationError) as error:
        SectorSelection(province=Province.DRENTHE, municipality=sector.places["zwolle"])
    assert error.value.message_dict["municipality"] == [
        "Deze plaats ligt niet in de gekozen provincie."
    ]
    with pytest.raises(ValidationError) as error:
        SectorSelection(theme=sector.concepts["ouderen"], focus="kinderen")
    assert set(error.value.message_dict) == {"theme", "focus"}


def test_it_follows_a_new_measurement_pair_at_once(sector):
    before = sector_figures(selection=SectorSelection())
    key = _djg6_keys(before)
    assert before.total.outcomes[key].n == 26

    sector.outcomes.loneliness(sector.offers["c"], 6, 2)  # through measurement_record

    assert sector_figures(selection=SectorSelection()).total.outcomes[key].n == 27


def test_it_follows_an_activity_month_saved_at_once(sector):
    import datetime

    from meerwaarde.activities.services import activity_record_save

    before = sector_figures(selection=SectorSelection())
    assert before.total.reach.participants_reached == 74
    offer = sector.offers["a"]
    month = sector.outcomes.day(1).replace(day=1) - datetime.timedelta(days=40)
    activity_record_save(
        organisation=offer.organisation, offer=offer, month=month, recorded_by=None,
        meetings_held=4, participants_reached=20, new_participants=2, active_volunteers=1,
        volunteer_hours=3, referrals_in={}, referrals_out={}, early_signals={},
    )  # fmt: skip

    after = sector_figures(selection=SectorSelection())
    assert after.total.reach.participants_reached == 94

"""The services' rules, each with its Dutch message on the field it belongs to."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from meerwaarde.offers.tests.factories import OfferFactory
from meerwaarde.programmes import services
from meerwaarde.programmes.constants import ActivityMeasure, DataSource, Level, OutcomeStatistic
from meerwaarde.programmes.tests.factories import ManualValueFactory, ResultNodeFactory
from meerwaarde.vocabulary.tests.factories import ConceptFactory

pytestmark = pytest.mark.django_db


def _messages(error: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return error.value.message_dict


def _create(org_a, **kwargs):
    fields = {"name": "Samen", "start_year": 2025, "end_year": 2028, **kwargs}
    return services.programme_create(organisation=org_a, created_by=None, **fields)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": " "}, "name", "Geef het programma een naam."),
        ({"end_year": 2025}, "end_year", "Een programma loopt meerdere jaren"),
        ({"end_year": 2035}, "end_year", "hooguit 10 jaar"),
        ({"start_year": 1900}, "start_year", "Kies een eerste jaar tussen 2000 en 2100."),
        ({"province": "XX"}, "province", "Kies een provincie uit de lijst."),
    ],
)
def test_a_programme_is_checked_field_by_field(org_a, fields, field, message):
    with pytest.raises(ValidationError) as error:
        _create(org_a, **fields)
    assert message in _messages(error)[field][0]


def test_themes_must_come_from_the_themes_list(org_a):
    with pytest.raises(ValidationError) as error:
        _create(org_a, themes=[ConceptFactory()])
    assert _messages(error)["themes"] == ["Kies thema's uit de lijst."]


def test_a_shorter_period_must_keep_every_target_and_value(org_a):
    programme = _create(org_a)
    ManualValueFactory(node=ResultNodeFactory(programme=programme), year=2028)
    with pytest.raises(ValidationError) as error:
        services.programme_update(programme=programme, name="Samen", start_year=2025, end_year=2027)
    assert "2028" in _messages(error)["end_year"][0]


def test_a_partner_is_neither_the_owner_nor_named_twice(org_a, org_b, programme):
    with pytest.raises(ValidationError) as error:
        services.partner_add(programme=programme, organisation=org_a)
    assert "eigenaar" in _messages(error)["organisation"][0]
    partner = services.partner_add(programme=programme, organisation=org_b, role="opdrachtgever")
    assert (partner.name, partner.kind) == (org_b.name, org_b.kind)
    with pytest.raises(ValidationError) as error:
        services.partner_add(programme=programme, name=org_b.name.upper(), kind="municipality")
    assert _messages(error)["name"] == ["Er is al een partner met deze naam."]


def _node(programme, **kwargs):
    fields = {"level": Level.OUTPUT, "title": "Bereik", "indicator": "Telling", **kwargs}
    return services.node_create(programme=programme, **fields)


def test_a_node_reads_only_offers_of_the_owner(programme, org_b):
    with pytest.raises(ValidationError) as error:
        _node(
            programme,
            source=DataSource.ACTIVITY,
            activity_measure=ActivityMeasure.MEETINGS,
            offers=[OfferFactory(organisation=org_b)],
        )
    assert _messages(error)["offers"] == ["Kies aanbod van de eigen organisatie."]


def test_a_node_leads_only_to_a_higher_level(programme):
    outcome = _node(programme, level=Level.OUTCOME, title="Effect")
    with pytest.raises(ValidationError) as error:
        _node(programme, level=Level.IMPACT, title="Impact", leads_to=[outcome])
    assert "hoger niveau" in _messages(error)["leads_to"][0]
    output = _node(programme, leads_to=[outcome])
    assert list(output.leads_to.all()) == [outcome]
    with pytest.raises(ValidationError) as error:
        services.node_update(node=outcome, level=Level.INPUT, title="Effect", indicator="x")
    assert "Bereik" in _messages(error)["level"][0]


def test_an_outcome_node_needs_a_scale_of_its_instrument(programme, shipped_instruments):
    djg = shipped_instruments["djg6-1"]
    with pytest.raises(ValidationError) as error:
        _node(programme, source=DataSource.OUTCOME, instrument=djg, scale="nope", statistic="pairs")
    assert _messages(error)["scale"] == ["Kies een schaal van dit meetinstrument."]
    gas = shipped_instruments["gas-1"]
    with pytest.raises(ValidationError) as error:
        _node(
            programme,
            source=DataSource.OUTCOME,
            instrument=gas,
            scale="t",
            statistic=OutcomeStatistic.IMPROVED_SHARE,
        )
    assert "betrouwbare verandering" in _messages(error)["statistic"][0]


def test_switching_a_node_to_manual_clears_its_binding(programme, offers):
    node = _node(
        programme,
        source=DataSource.ACTIVITY,
        activity_measure=ActivityMeasure.MEETINGS,
        offers=[offers["maatjes"]],
    )
    services.node_update(node=node, level=Level.OUTPUT, title="Bereik", indicator="Telling")
    node.refresh_from_db()
    assert (node.source, node.activity_measure, list(node.offers.all())) == ("manual", "", [])


def test_targets_lie_in_the_programme_and_shares_below_100(programme, shipped_instruments):
    node = _node(
        programme,
        source=DataSource.OUTCOME,
        instrument=shipped_instruments["djg6-1"],
        scale="total",
        statistic=OutcomeStatistic.IMPROVED_SHARE,
    )
    with pytest.raises(ValidationError) as error:
        services.targets_set(node=node, targets={2030: Decimal(5), 2026: Decimal(120)})
    assert set(_messages(error)) == {"target_2030", "target_2026"}
    services.targets_set(node=node, targets={2026: Decimal(40)})
    services.targets_set(node=node, targets={2026: None})
    assert not node.targets.exists()


def test_a_manual_value_needs_a_source_and_a_manual_node(programme, carol):
    node = _node(programme)
    with pytest.raises(ValidationError) as error:
        services.manual_value_set(
            node=node, year=2026, value=Decimal(4), source=" ", entered_by=carol
        )
    assert "bron" in _messages(error)["source"][0]
    bound = _node(programme, source=DataSource.ACTIVITY, activity_measure=ActivityMeasure.MEETINGS)
    with pytest.raises(ValidationError) as error:
        services.manual_value_set(
            node=bound, year=2026, value=Decimal(4), source="x", entered_by=carol
        )
    assert "handmatige bron" in _messages(error)["value"][0]
    first = services.manual_value_set(
        node=node, year=2026, value=Decimal(4), source="a", entered_by=carol
    )
    second = services.manual_value_set(
        node=node, year=2026, value=Decimal(5), source="b", entered_by=carol
    )
    assert first.pk == second.pk and (second.value, second.source) == (Decimal(5), "b")

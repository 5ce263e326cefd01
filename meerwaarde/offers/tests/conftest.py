import pytest

from meerwaarde.offers.services import LocationInput
from meerwaarde.offers.signals import offer_changed, offer_deleted
from meerwaarde.places.tests.factories import PlaceFactory
from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.tests.factories import ConceptFactory, ConceptSchemeFactory


def _concept(scheme: str, code: str, label: str, **kwargs):
    return ConceptFactory(
        scheme=ConceptSchemeFactory(code=scheme), code=code, pref_label_nl=label, **kwargs
    )


@pytest.fixture
def concepts(db) -> dict:
    """A few concepts of each list an offer uses, and some that must not be chosen."""
    return {
        "maatjes": _concept("intervention_types", "interventie-maatjesproject", "Maatjesproject"),
        "opvang": _concept("intervention_types", "interventie-nachtopvang", "Nachtopvang"),
        "draft_type": _concept(
            "intervention_types", "interventie-nieuw", "Nieuw soort", status=ConceptStatus.DRAFT
        ),
        "eenzaamheid": _concept("themes", "thema-eenzaamheid", "Eenzaamheid"),
        "opvang_thema": _concept(
            "themes", "thema-maatschappelijke-opvang", "Maatschappelijke opvang"
        ),
        "ouderen": _concept("target_groups", "doelgroep-ouderen", "Ouderen"),
        "relatie": _concept("working_elements", "element-vertrouwensrelatie", "Vertrouwensrelatie"),
    }


@pytest.fixture
def zwolle(db):
    return PlaceFactory(name="Zwolle", latitude=52.5125, longitude=6.0944)


@pytest.fixture
def offer_fields(concepts, zwolle) -> dict:
    """Everything offer_create needs, valid."""
    return {
        "name": "Maatjes Zwolle",
        "intervention_type": concepts["maatjes"],
        "description": "Een vrijwilliger komt wekelijks op bezoek.",
        "themes": [concepts["eenzaamheid"]],
        "target_groups": [concepts["ouderen"]],
        "working_elements": [concepts["relatie"]],
        "locations": [LocationInput(place=zwolle, name="Buurthuis De Boog")],
    }


@pytest.fixture
def sent():
    """What offer_changed and offer_deleted sent during the test, in order."""
    calls: list[tuple[str, object]] = []

    def changed(sender, offer, **kwargs):
        calls.append(("changed", offer.pk))

    def deleted(sender, offer_id, **kwargs):
        calls.append(("deleted", offer_id))

    offer_changed.connect(changed, weak=False)
    offer_deleted.connect(deleted, weak=False)
    yield calls
    offer_changed.disconnect(changed)
    offer_deleted.disconnect(deleted)

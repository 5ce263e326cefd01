"""Instruments for tests: definitions as data, and an organisation's own instrument row."""

import copy

import factory

from meerwaarde.instruments.models import Instrument
from meerwaarde.organisations.tests.factories import OrganisationFactory


def likert_item(code: str, label: str, points: int = 5, *, reverse: bool = False) -> dict:
    return {
        "code": code,
        "label": label,
        "kind": "choice",
        "options": [
            {"value": str(n), "label": str(n), "score": points + 1 - n if reverse else n}
            for n in range(1, points + 1)
        ],
    }


WELLBEING = {
    "code": "eigen-welbevinden",
    "version": "1",
    "name": "Welbevinden",
    "description": "Drie vragen over welbevinden.",
    "kind": "items",
    "licence_note": "Eigen vragenlijst.",
    "notice": "",
    "rankable": False,
    "items": [
        likert_item("v1", "Slaapt goed"),
        likert_item("v2", "Voelt zich gespannen", reverse=True),
        likert_item("v3", "Heeft plezier"),
    ],
    "scales": [
        {
            "code": "totaal",
            "label": "Welbevinden",
            "domain": "domein-geestelijke-gezondheid",
            "method": "mean",
            "items": ["v1", "v2", "v3"],
            "max_missing": 1,
            "min": 1,
            "max": 5,
            "higher_is_better": True,
            "cutoffs": [
                {"min": 1, "max": 2.49, "code": "laag", "label": "laag"},
                {"min": 2.5, "max": 5, "code": "voldoende", "label": "voldoende"},
            ],
        }
    ],
}


def wellbeing(**changes) -> dict:
    """A valid own definition (three 1-5 items, one reversed, a mean scale), with changes."""
    data = copy.deepcopy(WELLBEING)
    data.update(changes)
    return data


class InstrumentFactory(factory.django.DjangoModelFactory):
    """An organisation's own instrument with the welbevinden definition."""

    class Meta:
        model = Instrument

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"eigen-welbevinden-{n}")
    version = "1"
    name = "Welbevinden"
    definition = factory.LazyAttribute(lambda o: wellbeing(code=o.code, name=o.name))

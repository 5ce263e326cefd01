"""The instrument pages: who may see and build what, the detail in plain Dutch, the builder."""

import re

import pytest
from django.urls import reverse

from meerwaarde.instruments.models import Instrument
from meerwaarde.instruments.scoring import score
from meerwaarde.instruments.tests.factories import InstrumentFactory

pytestmark = pytest.mark.django_db


def _url(name: str, org, **kwargs) -> str:
    return reverse(f"instruments:{name}", kwargs={"slug": org.slug, **kwargs})


def _rows(prefix: str, rows: list[dict]) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(len(rows)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "60",
    }
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{key}": value for key, value in row.items()})
    return data


BLANK_ITEM = {"label": "", "kind": "likert", "points": "5", "whole": "on"}
BLANK_SCALE = {"label": "", "method": "sum", "max_missing": "0", "direction": ""}


def _builder_data(items=None, scales=None, **fields) -> dict:
    items = items or [
        {
            **BLANK_ITEM,
            "label": "Slaapt goed",
            "option_labels": "nooit; soms; vaak; altijd",
            "points": "4",
        },
        {**BLANK_ITEM, "label": "Piekert", "points": "4", "reverse": "on"},
        {"label": "Cijfer voor het leven", "kind": "number", "min": "1", "max": "10"},
        BLANK_ITEM,
    ]
    scales = scales or [
        {
            **BLANK_SCALE,
            "label": "Rust",
            "direction": "hoger",
            "domain": "domein-geestelijke-gezondheid",
            "items": "1-2",
            "cutoffs": "2-4: onrustig\n5-8: rustig",
            "sd": "1,5",
            "reliability": "0,75",
        },
        {
            **BLANK_SCALE,
            "label": "Levenscijfer",
            "direction": "hoger",
            "domain": "domein-geestelijke-gezondheid",
            "method": "mean",
            "items": "3",
        },
        BLANK_SCALE,
    ]
    return {
        "name": "Rust en plezier",
        "description": "Drie korte vragen.",
        "licence_note": "Eigen vragenlijst.",
        **_rows("vragen", items),
        **_rows("schalen", scales),
        **fields,
    }


# Who may do what -----------------------------------------------------------------------------


def test_it_lets_a_worker_read_but_not_build(bob_client, org_a, shipped_instruments):
    pg = shipped_instruments["pg-1"]
    assert bob_client.get(_url("list", org_a)).status_code == 200
    assert bob_client.get(_url("detail", org_a, pk=pg.pk)).status_code == 200
    assert bob_client.get(_url("create", org_a)).status_code == 403
    assert bob_client.post(_url("create", org_a), _builder_data()).status_code == 403
    own = InstrumentFactory(organisation=org_a)
    assert bob_client.post(_url("deactivate", org_a, pk=own.pk)).status_code == 403


def test_it_lets_a_coordinator_read_but_not_build(carol_client, org_a):
    assert carol_client.get(_url("list", org_a)).status_code == 200
    assert carol_client.get(_url("create", org_a)).status_code == 403


def test_it_gives_charlie_404_on_a_own_instrument_and_on_as_pages(
    charlie_client, org_a, org_b, shipped_instruments
):
    own = InstrumentFactory(organisation=org_a)
    # Charlie's own organisation does not show A's instrument either.
    assert charlie_client.get(_url("detail", org_b, pk=own.pk)).status_code == 404
    assert charlie_client.post(_url("deactivate", org_b, pk=own.pk)).status_code == 404
    for url in (_url("list", org_a), _url("create", org_a), _url("detail", org_a, pk=own.pk)):
        assert charlie_client.get(url).status_code == 404
    assert charlie_client.post(_url("deactivate", org_a, pk=own.pk)).status_code == 404
    assert (
        charlie_client.get(_url("detail", org_b, pk=shipped_instruments["pg-1"].pk)).status_code
        == 200
    )


def test_it_sends_anonymous_visitors_to_the_login(client, org_a):
    response = client.get(_url("list", org_a))
    assert response.status_code == 302 and "/inloggen" in response["Location"]


# The list and the detail ---------------------------------------------------------------------


def test_it_lists_shipped_and_own_instruments_and_offers_the_builder_to_admins(
    alice_client, bob_client, org_a, org_b, shipped_instruments
):
    InstrumentFactory(organisation=org_a, name="Onze vragenlijst")
    InstrumentFactory(organisation=org_a, name="Oude vragenlijst", is_active=False)
    InstrumentFactory(organisation=org_b, name="Vragenlijst van B")
    html = alice_client.get(_url("list", org_a)).content.decode()
    assert len(re.findall(r"data-instrument=", html)) == 8
    assert "Onze vragenlijst" in html and "Oude vragenlijst" in html and "Uitgezet" in html
    assert "Vragenlijst van B" not in html
    assert _url("create", org_a) in html
    html = bob_client.get(_url("list", org_a)).content.decode()
    assert "Oude vragenlijst" not in html and _url("create", org_a) not in html


def test_it_explains_the_djg6_in_plain_dutch(bob_client, org_a, shipped_instruments):
    djg6 = shipped_instruments["djg6-1"]
    html = bob_client.get(_url("detail", org_a, pk=djg6.pk)).content.decode()
    assert "Ervaart een gevoel van leegte" in html
    assert "nee (0), min of meer (1), ja (1)" in html  # emotional item
    assert "nee (1), min of meer (1), ja (0)" in html  # social item, reversed
    assert "Een lagere score is gunstiger." in html
    assert "De som van de scores op alle 6 vragen." in html
    assert "Antwoorden die mogen ontbreken: hoogstens 1." in html
    assert "er wordt niet bijgeschat" in html
    assert "matig eenzaam" in html and "2 tot en met 4" in html
    assert "niet-commerciële doeleinden" in html
    assert "meer dan 2,35 punten" in html  # 1.96·√2·1.6·√(1−0.72)


def test_it_shows_the_positive_health_notice_and_that_it_is_never_ranked(
    bob_client, org_a, shipped_instruments
):
    html = bob_client.get(_url("detail", org_a, pk=shipped_instruments["pg-1"].pk)).content.decode()
    assert "data-notice" in html and "gespreksinstrument" in html
    assert "data-not-rankable" in html
    assert "Institute for Positive Health" in html


def test_it_explains_gas_goals_and_the_formula(bob_client, org_a, shipped_instruments):
    html = bob_client.get(
        _url("detail", org_a, pk=shipped_instruments["gas-1"].pk)
    ).content.decode()
    assert "+2: veel meer dan verwacht" in html and "ρ = 0,3" in html
    assert "Voor deze schaal wordt geen betrouwbare verandering berekend." in html


def test_it_lists_the_zrm_levels_and_not_assessed(bob_client, org_a, shipped_instruments):
    html = bob_client.get(
        _url("detail", org_a, pk=shipped_instruments["zrm-2013"].pk)
    ).content.decode()
    assert "een heel getal van 1 tot en met 5" in html and "niet beoordeeld" in html
    assert "acute problematiek" in html and "GGD Amsterdam" in html
    assert "Financiën" in html


# The builder ---------------------------------------------------------------------------------


def test_it_shows_an_empty_builder_with_five_item_rows_and_two_scale_rows(
    alice_client, org_a, outcome_domains
):
    html = alice_client.get(_url("create", org_a)).content.decode()
    assert len(re.findall(r"data-item-row=", html)) == 5
    assert len(re.findall(r"data-scale-row=", html)) == 2
    assert "Ervaren eenzaamheid" in html  # an outcome domain to choose
    assert 'role="alert"' not in html


def test_it_builds_a_usable_instrument(alice_client, org_a, outcome_domains):
    response = alice_client.post(_url("create", org_a), _builder_data())
    instrument = Instrument.objects.get(organisation=org_a)
    assert response.status_code == 302
    assert response["Location"] == _url("detail", org_a, pk=instrument.pk)
    definition = instrument.parsed
    assert (instrument.code, instrument.version) == ("eigen-rust-en-plezier", "1")
    assert [i.code for i in definition.items] == ["v1", "v2", "v3"]
    assert [o.label for o in definition.item("v1").options] == ["nooit", "soms", "vaak", "altijd"]
    assert [o.score for o in definition.item("v2").options] == [4, 3, 2, 1]  # reversed
    assert (definition.item("v3").kind, definition.item("v3").max) == ("number", 10)
    rust = definition.scale("rust")
    assert (rust.min, rust.max, rust.sd, rust.reliability) == (2, 8, 1.5, 0.75)
    assert definition.scale("levenscijfer").method == "mean"
    result = score(definition, {"v1": "4", "v2": "1", "v3": "7,5"})
    assert result.scales["rust"].value == 8 and result.scales["rust"].category_label == "rustig"
    assert result.scales["levenscijfer"].value == 7.5
    assert not definition.rankable
    page = alice_client.get(response["Location"]).content.decode()
    assert "Rust en plezier" in page and "Uitzetten" in page


def test_it_keeps_everything_typed_and_shows_the_parsers_messages(
    alice_client, org_a, outcome_domains
):
    data = _builder_data()
    data["schalen-0-cutoffs"] = "2-5: onrustig\n5-8: rustig"
    response = alice_client.post(_url("create", org_a), data)
    html = response.content.decode()
    assert response.status_code == 200 and not Instrument.objects.exists()
    assert "Het instrument is niet opgeslagen" in html
    assert (
        "Schaal ‘Rust’: de categorieën ‘onrustig’ en ‘rustig’ overlappen; laat ‘rustig’ "
        "beginnen bij 6 (nu 5)." in html
    )
    assert 'value="Rust en plezier"' in html and "nooit; soms; vaak; altijd" in html
    assert "2-5: onrustig\n5-8: rustig" in html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"vragen-0-points": ""}, "Geef het aantal antwoordmogelijkheden (2 tot en met 11)."),
        ({"vragen-0-points": "5"}, "Geef 5 namen, één per antwoord, of laat het veld leeg (nu 4)."),
        ({"vragen-2-max": "1"}, "De hoogste waarde moet hoger zijn dan de laagste."),
        (
            {"vragen-2-min": "1,5", "vragen-2-whole": "on"},
            "Bij alleen hele getallen zijn de grenzen ook hele getallen.",
        ),
        ({"vragen-3-min": "3"}, "Geef de vraag een omschrijving, of maak de rij leeg."),
        (
            {"schalen-0-items": "1 en 2"},
            "Schrijf de nummers van de vragen, bijvoorbeeld 1, 2, 3 of 1-5.",
        ),
        ({"schalen-0-items": "1, 4"}, "Vraag 4 is leeg of bestaat niet."),
        ({"schalen-0-domain": ""}, "Kies het uitkomstdomein waar deze schaal over gaat."),
        (
            {"schalen-0-cutoffs": "laag"},
            "Schrijf elke categorie als ‘van-tot: naam’, bijvoorbeeld ‘5-10: laag’ (nu: ‘laag’).",
        ),
        (
            {"schalen-0-reliability": "1,2"},
            "De betrouwbaarheid ligt tussen 0 en 1, bijvoorbeeld 0,80.",
        ),
        ({"schalen-2-items": "1"}, "Geef de schaal een naam, of maak de rij leeg."),
        (
            {"schalen-0-max_missing": "1"},
            "mag ontbrekende antwoorden hebben. Dat kan alleen als 0 een mogelijke score is",
        ),
        ({"name": ""}, "Dit veld is verplicht."),
    ],
)
def test_it_says_in_dutch_what_to_fix(alice_client, org_a, outcome_domains, change, message):
    response = alice_client.post(_url("create", org_a), {**_builder_data(), **change})
    assert response.status_code == 200 and not Instrument.objects.exists()
    html = response.content.decode()
    assert message.replace("‘", "&lsquo;") in html or message in html


def test_it_wants_at_least_one_item_and_one_scale(alice_client, org_a, outcome_domains):
    data = _builder_data(items=[BLANK_ITEM], scales=[BLANK_SCALE])
    html = alice_client.post(_url("create", org_a), data).content.decode()
    assert "Geef minstens één vraag." in html
    assert "Geef minstens één schaal" in html


def test_it_adds_rows_without_losing_what_was_typed_or_showing_errors(
    alice_client, org_a, outcome_domains
):
    data = {**_builder_data(), "actie": "vragen", "schalen-0-cutoffs": "onzin"}
    html = alice_client.post(_url("create", org_a), data).content.decode()
    assert len(re.findall(r"data-item-row=", html)) == 9
    assert 'value="Slaapt goed"' in html and "onzin" in html
    assert 'role="alert"' not in html and not Instrument.objects.exists()
    html = alice_client.post(
        _url("create", org_a), {**_builder_data(), "actie": "schalen"}
    ).content.decode()
    assert len(re.findall(r"data-scale-row=", html)) == 8


def test_it_deactivates_and_reactivates_an_own_instrument(alice_client, org_a):
    own = InstrumentFactory(organisation=org_a, name="Onze vragenlijst")
    response = alice_client.post(_url("deactivate", org_a, pk=own.pk))
    assert response.status_code == 302
    own.refresh_from_db()
    assert not own.is_active
    alice_client.post(_url("activate", org_a, pk=own.pk))
    own.refresh_from_db()
    assert own.is_active


def test_it_offers_no_deactivation_of_a_shipped_instrument(
    alice_client, org_a, shipped_instruments
):
    pg = shipped_instruments["pg-1"]
    assert "Uitzetten" not in alice_client.get(_url("detail", org_a, pk=pg.pk)).content.decode()
    assert alice_client.post(_url("deactivate", org_a, pk=pg.pk)).status_code == 404

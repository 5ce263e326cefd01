"""The definition files and the parser: the schema and every check it cannot make."""

import json

import pytest

from meerwaarde.instruments import definition as definition_module
from meerwaarde.instruments.checks import schema_messages
from meerwaarde.instruments.definition import (
    DefinitionError,
    load_shipped,
    parse_definition,
    shipped_data,
)
from meerwaarde.instruments.tests.factories import likert_item, wellbeing


def _errors(data: dict, **kwargs) -> list[str]:
    with pytest.raises(DefinitionError) as raised:
        parse_definition(data, **kwargs)
    return raised.value.messages


def _scale(data: dict, **changes) -> dict:
    data["scales"][0].update(changes)
    return data


# The shipped files ---------------------------------------------------------------------------


def test_it_ships_the_six_definitions_named_in_the_contract(shipped):
    assert sorted(shipped) == ["djg11-1", "djg6-1", "gas-1", "pg-1", "zrm-2013", "zrm-2017"]


def test_it_gives_every_shipped_scale_an_sd_and_a_source_note(shipped):
    for definition in shipped.values():
        assert definition.licence_note
        for scale in definition.scales:
            assert scale.sd and scale.sd > 0, (definition.key, scale.code)
            assert scale.reliability_source, (definition.key, scale.code)
            assert scale.reliability is None or 0 < scale.reliability < 1


def test_it_ships_the_djg_structure_of_design_section_3(shipped):
    djg6, djg11 = shipped["djg6-1"], shipped["djg11-1"]
    assert djg6.scale("emotional").items == ("e1", "e2", "e3")
    assert djg6.scale("social").items == ("s1", "s2", "s3")
    assert (djg6.scale("total").max_missing, djg6.scale("emotional").max_missing) == (1, 0)
    assert not djg6.scale("total").higher_is_better
    assert djg11.scale("emotional").items == ("i2", "i3", "i5", "i6", "i9", "i10")
    assert djg11.scale("social").items == ("i1", "i4", "i7", "i8", "i11")
    assert [(s.domain) for s in djg6.scales] == [
        "domein-eenzaamheid",
        "domein-emotionele-eenzaamheid",
        "domein-sociale-eenzaamheid",
    ]


def test_it_ships_zrm_domains_as_whole_numbers_that_may_be_not_assessed(shipped):
    for key, count in (("zrm-2017", 13), ("zrm-2013", 11)):
        definition = shipped[key]
        assert len(definition.items) == count
        for item, scale in zip(definition.items, definition.scales, strict=True):
            assert (item.kind, item.min, item.max, item.not_assessed) == ("integer", 1, 5, True)
            assert (scale.method, scale.items, scale.higher_is_better) == (
                "item",
                (item.code,),
                True,
            )


def test_it_ships_no_licensed_item_wording(shipped):
    # Short labels in our own words: none is a full questionnaire sentence.
    for definition in shipped.values():
        for item in definition.items:
            assert len(item.label) <= 70, item.label
            assert not item.label.startswith("Ik "), item.label


def test_it_refuses_a_shipped_file_named_after_another_version(tmp_path, monkeypatch):
    (tmp_path / "schema.json").write_text(
        (definition_module.DEFINITIONS_DIR / "schema.json").read_text(), encoding="utf-8"
    )
    (tmp_path / "welbevinden-2.json").write_text(json.dumps(wellbeing()), encoding="utf-8")
    monkeypatch.setattr(definition_module, "DEFINITIONS_DIR", tmp_path)
    with pytest.raises(DefinitionError) as raised:
        load_shipped()
    assert raised.value.messages == [
        "welbevinden-2.json: de bestandsnaam moet eigen-welbevinden-1.json zijn."
    ]


def test_it_names_the_file_of_a_broken_shipped_definition(tmp_path, monkeypatch):
    (tmp_path / "broken-1.json").write_text(json.dumps({"code": "broken"}), encoding="utf-8")
    monkeypatch.setattr(definition_module, "DEFINITIONS_DIR", tmp_path)
    with pytest.raises(DefinitionError) as raised:
        load_shipped()
    assert "broken-1.json: het instrument: ‘version’ ontbreekt." in raised.value.messages


# The schema ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("scales"), "het instrument: ‘scales’ ontbreekt."),
        (lambda d: d.update(rankable="ja"), "‘rankable’ moet een ja of nee (true/false) zijn."),
        (lambda d: d.update(kind="vragen"), "‘kind’ moet een van deze waarden zijn: items, gas."),
        (lambda d: d.update(extra=1), "het instrument: ‘extra’ hoort niet in een definitie."),
        (lambda d: d.update(code="Eigen Code"), "‘code’ heeft niet de juiste vorm: ‘Eigen Code’."),
        (lambda d: d.update(items=[]), "‘items’ mag niet leeg zijn."),
        (lambda d: d.update(name=""), "‘name’ mag niet leeg zijn."),
        (
            lambda d: d["items"][1].update(kind="tekst"),
            "vraag 2, ‘kind’ moet een van deze waarden zijn: choice, integer, number.",
        ),
        (
            lambda d: d["items"][0]["options"][0].update(score="1"),
            "vraag 1, antwoord 1, ‘score’ moet een getal of leeg (null) zijn.",
        ),
        (
            lambda d: d["scales"][0].update(reliability=1),
            "schaal 1, ‘reliability’ is te hoog (bovengrens 1).",
        ),
        (lambda d: d["scales"][0].update(sd=0), "schaal 1, ‘sd’ is te laag (ondergrens 0)."),
        (
            lambda d: d["scales"][0].update(max_missing=-1),
            "schaal 1, ‘max_missing’ is te laag (ondergrens 0).",
        ),
        (
            lambda d: d["scales"][0].update(method="mediaan"),
            "schaal 1, ‘method’ moet een van deze waarden zijn: sum, mean, item, gas.",
        ),
        (
            lambda d: d["scales"][0].update(domain="welzijn"),
            "schaal 1, ‘domain’ heeft niet de juiste vorm: ‘welzijn’.",
        ),
        (
            lambda d: d["scales"][0]["cutoffs"][0].pop("label"),
            "schaal 1, categorie 1: ‘label’ ontbreekt.",
        ),
    ],
)
def test_it_rejects_a_file_that_breaks_the_schema(change, message):
    data = wellbeing()
    change(data)
    assert message in _errors(data)


def test_it_rejects_what_is_not_a_definition_at_all():
    assert _errors([]) == ["het instrument moet een object zijn."]


def test_it_checks_every_shipped_file_against_the_schema():
    for data in shipped_data():
        assert schema_messages(data) == [], data["code"]


# What the schema cannot check ----------------------------------------------------------------


def test_it_accepts_the_test_definition():
    parsed = parse_definition(wellbeing())
    assert parsed.scale("totaal").cutoffs[0].label == "laag"
    assert parsed.step(parsed.scale("totaal")) == 0.01


def test_it_rejects_a_scale_naming_an_item_that_does_not_exist():
    data = _scale(wellbeing(), items=["v1", "v9"])
    assert _errors(data) == ["Schaal ‘Welbevinden’: de vraag ‘v9’ bestaat niet in dit instrument."]


def test_it_rejects_duplicate_codes():
    data = wellbeing()
    data["items"][1]["code"] = "v1"
    data["scales"].append(dict(data["scales"][0]))
    messages = _errors(data)
    assert "De vraagcode ‘v1’ komt twee keer voor." in messages
    assert "De schaalcode ‘totaal’ komt twee keer voor." in messages


def test_it_rejects_an_item_twice_in_one_scale():
    data = _scale(wellbeing(), items=["v1", "v1", "v2"])
    assert "Schaal ‘Welbevinden’: de vraag ‘v1’ staat er twee keer in." in _errors(data)


def test_it_rejects_an_unknown_outcome_domain():
    data = _scale(wellbeing(), domain="domein-geluk")
    assert _errors(data) == [
        "Schaal ‘Welbevinden’: ‘domein-geluk’ is geen uitkomstdomein uit het vocabulaire."
    ]
    assert parse_definition(data, domains={"domein-geluk"})


@pytest.mark.parametrize(
    ("max_missing", "accepted"), [(0, True), (2, True), (3, False), (4, False)]
)
def test_it_allows_fewer_missing_answers_than_items(max_missing, accepted):
    data = _scale(wellbeing(), max_missing=max_missing)
    if accepted:
        parse_definition(data)
    else:
        assert (
            f"Schaal ‘Welbevinden’: het aantal antwoorden dat mag ontbreken ({max_missing}) moet "
            "kleiner zijn dan het aantal vragen (3)."
        ) in _errors(data)


def test_it_refuses_a_sum_with_missing_answers_when_0_is_no_possible_score():
    data = _scale(wellbeing(), method="sum", min=3, max=15, max_missing=1, cutoffs=[])
    assert _errors(data) == [
        "Schaal ‘Welbevinden’ telt de ingevulde vragen op en mag ontbrekende antwoorden hebben. "
        "Dat kan alleen als 0 een mogelijke score is van elke vraag, en bij ‘Slaapt goed’ is "
        "de laagste score 1. Kies het gemiddelde, of sta geen ontbrekende antwoorden toe."
    ]
    assert parse_definition(_scale(data, max_missing=0))


def test_it_rejects_a_range_that_does_not_follow_from_the_items():
    data = _scale(wellbeing(), method="sum", min=0, max=15, max_missing=0, cutoffs=[])
    assert _errors(data) == [
        "Schaal ‘Welbevinden’: volgens de vragen loopt de score van 3 tot en met 15, niet van 0 "
        "tot en met 15."
    ]


def test_it_takes_the_lowest_possible_mean_with_missing_answers_into_account():
    data = wellbeing()
    data["items"][2] = {"code": "v3", "label": "Cijfer", "kind": "integer", "min": 0, "max": 10}
    data = _scale(data, max_missing=1, cutoffs=[])
    assert _errors(data) == [
        "Schaal ‘Welbevinden’: volgens de vragen loopt de score van 0,5 tot en met 7,5, niet van "
        "1 tot en met 5."
    ]


def test_it_rejects_item_definitions_that_cannot_be_scored():
    data = wellbeing()
    data["items"] = [
        {
            "code": "v1",
            "label": "Eén",
            "kind": "choice",
            "options": [{"value": "a", "label": "a", "score": 1}],
        },
        {
            "code": "v2",
            "label": "Twee",
            "kind": "choice",
            "options": [
                {"value": "a", "label": "a", "score": None},
                {"value": "a", "label": "b", "score": None},
            ],
        },
        {
            "code": "v3",
            "label": "Drie",
            "kind": "choice",
            "min": 0,
            "options": [
                {"value": "NA", "label": "a", "score": 1},
                {"value": "b", "label": "b", "score": 2},
            ],
        },
        {"code": "v4", "label": "Vier", "kind": "integer", "min": 5, "max": 1},
        {"code": "v5", "label": "Vijf", "kind": "integer", "min": 0.5, "max": 2},
        {
            "code": "v6",
            "label": "Zes",
            "kind": "number",
            "max": 2,
            "options": [{"value": "a", "label": "a", "score": 1}],
        },
    ]
    data["scales"] = [_scale(wellbeing())["scales"][0] | {"items": ["v1"], "max_missing": 0}]
    assert _errors(data) == [
        "Vraag ‘Eén’ (v1): geef minstens twee antwoorden.",
        "Vraag ‘Twee’ (v2): het antwoord ‘a’ komt twee keer voor.",
        "Vraag ‘Twee’ (v2): minstens één antwoord moet een score hebben.",
        "Vraag ‘Drie’ (v3): ‘na’ staat voor ‘niet beoordeeld’ en kan geen antwoord zijn.",
        "Vraag ‘Drie’ (v3): een keuzevraag heeft geen minimum of maximum; die volgen uit de "
        "scores van de antwoorden.",
        "Vraag ‘Vier’ (v4): het minimum (5) moet lager zijn dan het maximum (1).",
        "Vraag ‘Vijf’ (v5): bij hele getallen zijn het minimum en het maximum ook hele getallen.",
        "Vraag ‘Zes’ (v6): alleen een keuzevraag heeft antwoorden.",
        "Vraag ‘Zes’ (v6): geef een minimum en een maximum.",
    ]


def test_it_wants_one_item_for_a_scale_of_one_item():
    data = _scale(wellbeing(), method="item", cutoffs=[], max_missing=0)
    assert "Schaal ‘Welbevinden’: een schaal van één vraag noemt precies één vraag." in _errors(
        data
    )


# Cut-offs ------------------------------------------------------------------------------------


def _cutoffs(*bands) -> list[dict]:
    return [
        {"min": a, "max": b, "code": f"c{i}", "label": f"band {i}"}
        for i, (a, b) in enumerate(bands)
    ]


@pytest.mark.parametrize(
    ("low", "high", "message"),
    [
        (
            (1, 2.5),
            (2.5, 5),
            "Schaal ‘Welbevinden’: de categorieën ‘band 0’ en ‘band 1’ overlappen; laat ‘band 1’ "
            "beginnen bij 2,51 (nu 2,5).",
        ),
        (
            (1, 2.49),
            (2.6, 5),
            "Schaal ‘Welbevinden’: tussen ‘band 0’ en ‘band 1’ zit een gat; laat ‘band 1’ "
            "beginnen bij 2,5 (nu 2,6).",
        ),
        (
            (1.5, 2.49),
            (2.5, 5),
            "Schaal ‘Welbevinden’: de laagste categorie (‘band 0’) moet beginnen bij 1, de "
            "laagste mogelijke score (nu 1,5).",
        ),
        (
            (1, 2.49),
            (2.5, 4),
            "Schaal ‘Welbevinden’: de hoogste categorie (‘band 1’) moet eindigen bij 5, de "
            "hoogste mogelijke score (nu 4).",
        ),
        (
            (1, 2.495),
            (2.5, 5),
            "Schaal ‘Welbevinden’, categorie ‘band 0’: geef de grenzen met hoogstens twee "
            "decimalen (nu 1 tot en met 2,495).",
        ),
    ],
)
def test_it_wants_cut_offs_that_cover_the_range_without_overlap(low, high, message):
    data = _scale(wellbeing(), cutoffs=_cutoffs(low, high))
    assert _errors(data) == [message]


def test_it_wants_whole_cut_offs_on_a_scale_of_whole_scores():
    data = _scale(wellbeing(), method="sum", min=3, max=15, max_missing=0)
    data["scales"][0]["cutoffs"] = _cutoffs((3, 7.5), (8, 15))
    assert _errors(data) == [
        "Schaal ‘Welbevinden’, categorie ‘band 0’: de scores zijn hele getallen, dus de grenzen "
        "ook (nu 3 tot en met 7,5)."
    ]
    data["scales"][0]["cutoffs"] = _cutoffs((3, 7), (8, 15))
    assert parse_definition(data)


def test_it_rejects_a_reversed_cut_off_and_a_repeated_category_code():
    data = _scale(wellbeing(), cutoffs=_cutoffs((2.5, 1), (2.5, 5)))
    data["scales"][0]["cutoffs"][1]["code"] = "c0"
    messages = _errors(data)
    assert "Schaal ‘Welbevinden’: de categoriecode ‘c0’ komt twee keer voor." in messages
    assert (
        "Schaal ‘Welbevinden’, categorie ‘band 0’: de ondergrens (2,5) ligt boven de bovengrens "
        "(1)." in messages
    )


def test_it_takes_cut_offs_in_any_order():
    data = _scale(wellbeing(), cutoffs=list(reversed(wellbeing()["scales"][0]["cutoffs"])))
    assert [c.code for c in parse_definition(data).scales[0].cutoffs] == ["laag", "voldoende"]


# Goal Attainment Scaling ---------------------------------------------------------------------


def test_it_keeps_the_gas_method_to_gas_and_gas_to_one_template_and_one_scale(shipped):
    data = _scale(wellbeing(), method="gas")
    assert (
        "Schaal ‘Welbevinden’: de methode ‘gas’ hoort alleen bij Goal Attainment Scaling."
        in _errors(data)
    )
    gas = next(d for d in shipped_data() if d["code"] == "gas")
    gas["items"].append(likert_item("extra", "Extra"))
    assert _errors(gas)[0].startswith("Goal Attainment Scaling heeft precies één vraag")
    gas = next(d for d in shipped_data() if d["code"] == "gas")
    gas["scales"][0].update(method="mean", min=-2, max=2, cutoffs=[])
    assert _errors(gas) == ["De schaal van Goal Attainment Scaling rekent met de methode ‘gas’."]

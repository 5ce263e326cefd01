"""Worked examples for every shipped instrument: scales, categories, missing-data rules, errors."""

import pytest

from meerwaarde.instruments.definition import parse_definition, shipped_data
from meerwaarde.instruments.scoring import gas_t_score, score


def _djg6(**answers: str) -> dict:
    """DJG6 answers: every item answered in the least lonely way, except ``answers``."""
    base = {"e1": "nee", "e2": "nee", "e3": "nee", "s1": "ja", "s2": "ja", "s3": "ja"}
    return {**base, **answers}


def _values(result) -> dict:
    assert result.errors == {}
    return {code: (s.value, s.category) for code, s in result.scales.items()}


# De Jong Gierveld, 6 items -------------------------------------------------------------------


def test_it_scores_a_djg6_answer_set_worked_out_by_hand(shipped):
    # e1 ja (1), e2 min of meer (1), e3 nee (0); s1 nee (1), s2 ja (0), s3 min of meer (1)
    answers = {"e1": "ja", "e2": "min-of-meer", "e3": "nee", "s1": "nee", "s2": "ja"}
    result = score(shipped["djg6-1"], {**answers, "s3": "min-of-meer"})
    assert _values(result) == {
        "total": (4.0, "matig-eenzaam"),
        "emotional": (2.0, ""),
        "social": (2.0, ""),
    }
    assert result.scales["total"].category_label == "matig eenzaam"


def test_it_scores_social_items_reversed_and_min_of_meer_as_lonely_on_djg6(shipped):
    least = score(shipped["djg6-1"], _djg6())
    most = score(shipped["djg6-1"], _djg6(e1="ja", e2="ja", e3="ja", s1="nee", s2="nee", s3="nee"))
    hedged = score(shipped["djg6-1"], {code: "min-of-meer" for code in _djg6()})
    assert least.scales["total"].value == 0 and least.scales["social"].value == 0
    assert most.scales["total"].value == 6 and most.scales["social"].value == 3
    assert hedged.scales["total"].value == 6


@pytest.mark.parametrize(
    ("lonely_items", "expected_total", "category"),
    [
        ({}, 0, "niet-eenzaam"),
        ({"e1": "ja"}, 1, "niet-eenzaam"),
        ({"e1": "ja", "s1": "nee"}, 2, "matig-eenzaam"),
        ({"e1": "ja", "e2": "ja", "s1": "nee", "s2": "nee"}, 4, "matig-eenzaam"),
        ({"e1": "ja", "e2": "ja", "e3": "ja", "s1": "nee", "s2": "nee"}, 5, "ernstig-eenzaam"),
    ],
)
def test_it_puts_each_djg6_total_in_its_category(shipped, lonely_items, expected_total, category):
    total = score(shipped["djg6-1"], _djg6(**lonely_items)).scales["total"]
    assert (total.value, total.category) == (expected_total, category)


def test_it_sums_the_answered_djg6_items_when_one_is_missing(shipped):
    result = score(shipped["djg6-1"], _djg6(e1="", e2="ja", s1="nee"))
    assert _values(result) == {
        "total": (2.0, "matig-eenzaam"),  # no prorating: the missing item adds nothing
        "emotional": (None, ""),  # a subscale is missing when any of its items is
        "social": (1.0, ""),
    }


def test_it_leaves_the_djg6_total_out_when_two_items_are_missing(shipped):
    answers = _djg6(e1=None)
    del answers["s1"]  # an item left out of the answers counts as missing too
    result = score(shipped["djg6-1"], answers)
    assert _values(result) == {"total": (None, ""), "emotional": (None, ""), "social": (None, "")}


# De Jong Gierveld, 11 items ------------------------------------------------------------------

DJG11_LEAST = {
    **{f"i{n}": "nee" for n in (2, 3, 5, 6, 9, 10)},
    **{f"i{n}": "ja" for n in (1, 4, 7, 8, 11)},
}


def test_it_scores_a_djg11_answer_set_worked_out_by_hand(shipped):
    # emotional 2 ja, 3 min of meer, 6 ja → 3; social 4 nee, 8 min of meer → 2
    answers = {**DJG11_LEAST, "i2": "ja", "i3": "min-of-meer", "i6": "ja"}
    answers.update({"i4": "nee", "i8": "min-of-meer"})
    result = score(shipped["djg11-1"], answers)
    assert _values(result) == {
        "total": (5.0, "matig-eenzaam"),
        "emotional": (3.0, "emotioneel-eenzaam"),
        "social": (2.0, "sociaal-eenzaam"),
    }


@pytest.mark.parametrize(
    ("lonely", "category"),
    [
        (2, "niet-eenzaam"),
        (3, "matig-eenzaam"),
        (8, "matig-eenzaam"),
        (9, "ernstig-eenzaam"),
        (10, "ernstig-eenzaam"),
        (11, "zeer-ernstig-eenzaam"),
    ],
)
def test_it_puts_each_djg11_total_at_a_boundary_in_its_category(shipped, lonely, category):
    answers = {
        f"i{n}": "min-of-meer" if n <= lonely else DJG11_LEAST[f"i{n}"] for n in range(1, 12)
    }
    total = score(shipped["djg11-1"], answers).scales["total"]
    assert (total.value, total.category) == (lonely, category)


def test_it_calls_two_unfavourable_djg11_items_lonely_on_a_subscale_by_default(shipped):
    one = score(shipped["djg11-1"], {**DJG11_LEAST, "i2": "ja"}).scales["emotional"]
    two = score(shipped["djg11-1"], {**DJG11_LEAST, "i2": "ja", "i3": "ja"}).scales["emotional"]
    assert one.category == "niet-emotioneel-eenzaam"
    assert two.category == "emotioneel-eenzaam"


def test_it_takes_a_djg11_subscale_threshold_of_three_from_the_definition():
    data = next(d for d in shipped_data() if d["code"] == "djg11")
    emotional = next(s for s in data["scales"] if s["code"] == "emotional")
    emotional["cutoffs"][0]["max"], emotional["cutoffs"][1]["min"] = 2, 3
    two = score(parse_definition(data), {**DJG11_LEAST, "i2": "ja", "i3": "ja"})
    assert two.scales["emotional"].category == "niet-emotioneel-eenzaam"


def test_it_allows_one_missing_djg11_item_for_the_total_and_none_for_a_subscale(shipped):
    one_missing = score(shipped["djg11-1"], {**DJG11_LEAST, "i2": "", "i4": "nee"})
    assert _values(one_missing) == {
        "total": (1.0, "niet-eenzaam"),
        "emotional": (None, ""),
        "social": (1.0, "niet-sociaal-eenzaam"),
    }
    two_missing = score(shipped["djg11-1"], {**DJG11_LEAST, "i2": "", "i4": ""})
    assert two_missing.scales["total"].value is None


# Zelfredzaamheid-Matrix ----------------------------------------------------------------------


def test_it_scores_every_zrm_2017_domain_on_its_own_and_never_sums_them(shipped):
    definition = shipped["zrm-2017"]
    answers = {item.code: "4" for item in definition.items}
    answers.update({"financien": "1", "huisvesting": "na", "sociaal-netwerk": "5"})
    result = score(definition, answers)
    assert len(result.scales) == 13 and "total" not in result.scales
    assert _values(result)["financien"] == (1.0, "acute-problematiek")
    assert _values(result)["huisvesting"] == (None, "")  # niet beoordeeld
    assert _values(result)["sociaal-netwerk"] == (5.0, "volledig-zelfredzaam")
    assert result.scales["justitie"].category_label == "voldoende zelfredzaam"


@pytest.mark.parametrize(
    ("level", "category"),
    [
        ("1", "acute-problematiek"),
        ("2", "niet-zelfredzaam"),
        ("3", "beperkt-zelfredzaam"),
        ("4", "voldoende-zelfredzaam"),
        ("5", "volledig-zelfredzaam"),
    ],
)
def test_it_names_each_zrm_level(shipped, level, category):
    assert (
        score(shipped["zrm-2013"], {"verslaving": level}).scales["verslaving"].category == category
    )


def test_it_keeps_the_zrm_2013_domains_apart_from_2017(shipped):
    assert len(shipped["zrm-2013"].scales) == 11
    result = score(shipped["zrm-2013"], {"tijdsbesteding": "3", "dagbesteding": "3"})
    assert result.errors == {"tijdsbesteding": "Deze vraag hoort niet bij het instrument."}
    assert result.scales == {}


def test_it_maps_zrm_domains_to_outcome_domains_where_one_fits(shipped):
    domains = {s.code: s.domain for s in shipped["zrm-2017"].scales}
    assert domains["financien"] == "domein-financien"
    assert domains["sociaal-netwerk"] == "domein-sociaal-netwerk"
    assert domains["justitie"] == "domein-zelfredzaamheid"


def test_it_accepts_a_whole_number_with_a_decimal_zero_on_zrm(shipped):
    assert score(shipped["zrm-2017"], {"justitie": "3,0"}).scales["justitie"].value == 3


# Positieve Gezondheid ------------------------------------------------------------------------


def test_it_takes_positive_health_marks_with_a_dutch_decimal_comma(shipped):
    result = score(shipped["pg-1"], {"zingeving": "7,5", "meedoen": "10", "lichaamsfuncties": "0"})
    assert _values(result)["zingeving"] == (7.5, "")
    assert _values(result)["meedoen"] == (10.0, "")
    assert _values(result)["lichaamsfuncties"] == (0.0, "")
    assert _values(result)["mentaal-welbevinden"] == (None, "")


def test_it_marks_positive_health_as_a_conversation_tool_never_ranked(shipped):
    definition = shipped["pg-1"]
    assert definition.rankable is False and "gespreksinstrument" in definition.notice
    assert {s.domain for s in definition.scales} == {"domein-positieve-gezondheid"}


# Goal Attainment Scaling ---------------------------------------------------------------------


def test_it_gives_a_t_score_of_50_when_every_goal_is_met_as_expected():
    assert gas_t_score([0, 0, 0]) == 50


def test_it_computes_a_weighted_t_score_worked_out_by_hand():
    # Σwx = 2·1 + 1·(−1) + 1·2 = 3; Σw² = 6; (Σw)² = 16; √(0.7·6 + 0.3·16) = √9 = 3
    assert gas_t_score([1, -1, 2], [2, 1, 1]) == pytest.approx(60)


def test_it_computes_unweighted_t_scores_worked_out_by_hand():
    assert gas_t_score([2]) == pytest.approx(70)  # 50 + 10·2/√1
    assert gas_t_score([1, 1, 1]) == pytest.approx(50 + 30 / 4.8**0.5)  # √(2.1 + 2.7)


def test_it_refuses_a_t_score_without_goals_or_with_bad_weights():
    with pytest.raises(ValueError):
        gas_t_score([])
    with pytest.raises(ValueError):
        gas_t_score([1, 2], [1])
    with pytest.raises(ValueError):
        gas_t_score([1], [0])


def test_it_scores_goals_with_their_weights_into_a_category(shipped):
    result = score(shipped["gas-1"], {"a": "1", "b": "-1", "c": "2"}, weights={"a": 2})
    assert _values(result) == {"t": (60.0, "beter-dan-verwacht")}
    expected = score(shipped["gas-1"], {"a": "0", "b": "0"})
    assert _values(expected) == {"t": (50.0, "zoals-verwacht")}
    less = score(shipped["gas-1"], {"a": "-1"})
    assert _values(less) == {"t": (40.0, "minder-dan-verwacht")}


def test_it_leaves_the_t_score_out_when_a_goal_has_no_score(shipped):
    assert score(shipped["gas-1"], {"a": "1", "b": ""}).scales["t"].value is None
    assert score(shipped["gas-1"], {}).scales["t"].value is None


def test_it_rejects_a_goal_score_outside_minus_two_to_two_and_a_bad_weight(shipped):
    result = score(shipped["gas-1"], {"a": "3", "b": "1"}, weights={"b": 0})
    assert result.scales == {}
    assert result.errors["a"].startswith("Kies een van de antwoorden: −2: veel minder dan verwacht")
    assert result.errors["b"] == "Het gewicht van een doel moet een getal groter dan 0 zijn."


# Every error message -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "answers", "message"),
    [
        ("djg6-1", {"e1": "misschien"}, "Kies een van de antwoorden: nee, min of meer, ja."),
        (
            "djg6-1",
            {"e1": "na"},
            "‘Niet beoordeeld’ kan bij deze vraag niet. Laat het antwoord leeg als het ontbreekt.",
        ),
        ("zrm-2017", {"e1": "2"}, "Deze vraag hoort niet bij het instrument."),
        ("zrm-2017", {"financien": "twee"}, "Vul een heel getal in van 1 tot en met 5."),
        (
            "zrm-2017",
            {"financien": "2,5"},
            "Vul een heel getal in van 1 tot en met 5; 2,5 is geen heel getal.",
        ),
        (
            "zrm-2017",
            {"financien": "6"},
            "Vul een getal in van 1 tot en met 5; 6 valt daarbuiten.",
        ),
        (
            "zrm-2017",
            {"financien": "0"},
            "Vul een getal in van 1 tot en met 5; 0 valt daarbuiten.",
        ),
        ("pg-1", {"zingeving": "1e3"}, "Vul een getal in van 0 tot en met 10."),
        (
            "pg-1",
            {"zingeving": "-0,5"},
            "Vul een getal in van 0 tot en met 10; -0,5 valt daarbuiten.",
        ),
        (
            "pg-1",
            {"zingeving": "na"},
            "‘Niet beoordeeld’ kan bij deze vraag niet. Laat het antwoord leeg als het ontbreekt.",
        ),
    ],
)
def test_it_says_in_dutch_what_is_wrong_with_an_answer(shipped, key, answers, message):
    result = score(shipped[key], answers)
    assert list(result.errors.values()) == [message]
    assert result.scales == {} and not result.is_valid


def test_it_reports_every_wrong_answer_at_once(shipped):
    result = score(shipped["djg6-1"], {"e1": "x", "s2": "y", "e3": "ja"})
    assert set(result.errors) == {"e1", "s2"}


def test_it_treats_blank_and_whitespace_answers_as_missing(shipped):
    result = score(shipped["zrm-2017"], {"financien": "  ", "justitie": None})
    assert result.errors == {} and result.scales["financien"].value is None

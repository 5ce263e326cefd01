"""Property-based tests (hypothesis): ranges, reversals and categories hold for any answers."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meerwaarde.instruments.definition import (
    DECIMALS,
    item_from_data,
    load_shipped,
    parse_definition,
    scale_range,
)
from meerwaarde.instruments.scoring import gas_t_score, score

SHIPPED = {d.key: d for d in load_shipped()}
ITEM_INSTRUMENTS = sorted(key for key, d in SHIPPED.items() if d.kind == "items")
# No example database in the checkout, and no deadline on a machine shared with others.
PROPERTY = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def _answer(item) -> st.SearchStrategy:
    missing = [st.just(""), st.none()] + ([st.just("na")] if item.not_assessed else [])
    if item.kind == "choice":
        given_answer = st.sampled_from([o.value for o in item.options])
    elif item.kind == "integer":
        given_answer = st.integers(int(item.min), int(item.max)).map(str)
    else:
        given_answer = st.floats(item.min, item.max, allow_nan=False).map(
            lambda x: f"{x:.2f}".replace(".", ",")
        )
    return st.one_of(given_answer, given_answer, given_answer, *missing)


def _answers(definition) -> st.SearchStrategy:
    return st.fixed_dictionaries({item.code: _answer(item) for item in definition.items})


def _assert_in_range_and_category(definition, result) -> None:
    assert result.errors == {}
    for scale in definition.scales:
        scored = result.scales[scale.code]
        if scored.value is None:
            assert scored.category == ""
            continue
        assert scale.min <= scored.value <= scale.max
        containing = [c for c in scale.cutoffs if c.min <= scored.value <= c.max]
        if scale.cutoffs:
            assert len(containing) == 1
            assert (scored.category, scored.category_label) == (
                containing[0].code,
                containing[0].label,
            )
        else:
            assert scored.category == ""


@pytest.mark.parametrize("key", ITEM_INSTRUMENTS)
@PROPERTY
@given(data=st.data())
def test_it_keeps_every_shipped_score_in_range_and_in_the_category_that_contains_it(key, data):
    definition = SHIPPED[key]
    answers = data.draw(_answers(definition))
    _assert_in_range_and_category(definition, score(definition, answers))


def _reverse(answer: str) -> str:
    return {"nee": "ja", "ja": "nee"}.get(answer, answer)


@pytest.mark.parametrize(("key", "n"), [("djg6-1", 6), ("djg11-1", 11)])
@PROPERTY
@given(data=st.data())
def test_it_maps_a_djg_total_t_to_n_minus_t_when_every_answer_is_reversed(key, n, data):
    definition = SHIPPED[key]
    codes = [item.code for item in definition.items]
    answers = data.draw(st.fixed_dictionaries({c: st.sampled_from(["nee", "ja"]) for c in codes}))
    total = score(definition, answers).scales["total"].value
    reversed_total = score(definition, {c: _reverse(a) for c, a in answers.items()})
    assert reversed_total.scales["total"].value == n - total


@pytest.mark.parametrize(("key", "n"), [("djg6-1", 6), ("djg11-1", 11)])
@PROPERTY
@given(data=st.data())
def test_it_keeps_min_of_meer_lonely_both_ways_when_answers_are_reversed(key, n, data):
    # "min of meer" scores 1 in both directions, so reversing gives n − t + (its count).
    definition = SHIPPED[key]
    options = st.sampled_from(["nee", "min-of-meer", "ja"])
    answers = data.draw(st.fixed_dictionaries({i.code: options for i in definition.items}))
    hedged = list(answers.values()).count("min-of-meer")
    total = score(definition, answers).scales["total"].value
    reversed_total = score(definition, {c: _reverse(a) for c, a in answers.items()})
    assert reversed_total.scales["total"].value == n - total + hedged


@PROPERTY
@given(
    goals=st.lists(
        st.tuples(st.integers(-2, 2), st.floats(0.1, 10, allow_nan=False)), min_size=1, max_size=12
    )
)
def test_it_keeps_the_gas_t_score_within_its_bounds_and_on_the_right_side_of_50(goals):
    scores, weights = [x for x, _w in goals], [w for _x, w in goals]
    t = gas_t_score(scores, weights)
    assert 13.48 < t < 86.52  # 50 ± 20/√0.3
    weighted = sum(x * w for x, w in goals)
    assert (t > 50) == (weighted > 1e-9) and (t < 50) == (weighted < -1e-9)
    definition = SHIPPED["gas-1"]
    answers = {str(i): str(x) for i, x in enumerate(scores)}
    result = score(definition, answers, weights={str(i): w for i, w in enumerate(weights)})
    _assert_in_range_and_category(definition, result)


@PROPERTY
@given(scores=st.lists(st.integers(-2, 2), min_size=1, max_size=12))
def test_it_mirrors_the_gas_t_score_around_50_when_every_goal_is_mirrored(scores):
    assert gas_t_score(scores) - 50 == pytest.approx(50 - gas_t_score([-x for x in scores]))


# Any definition an organisation could build ---------------------------------------------------


@st.composite
def _item(draw, code: str) -> dict:
    if draw(st.booleans()):
        points = draw(st.integers(2, 7))
        reverse = draw(st.booleans())
        return {
            "code": code,
            "label": code,
            "kind": "choice",
            "options": [
                {"value": str(n), "label": str(n), "score": points + 1 - n if reverse else n}
                for n in range(1, points + 1)
            ],
        }
    low = draw(st.integers(-5, 5))
    return {
        "code": code,
        "label": code,
        "kind": draw(st.sampled_from(["integer", "number"])),
        "min": low,
        "max": low + draw(st.integers(1, 10)),
        "not_assessed": draw(st.booleans()),
    }


@st.composite
def own_definitions(draw) -> dict:
    items = [draw(_item(f"v{n}")) for n in range(1, draw(st.integers(1, 5)) + 1)]
    parsed_items = [item_from_data(i) for i in items]
    method = draw(st.sampled_from(["sum", "mean"]))
    zero_possible = all(i.score_range[0] <= 0 <= i.score_range[1] for i in parsed_items)
    may_miss = method == "mean" or zero_possible
    max_missing = draw(st.integers(0, len(items) - 1)) if may_miss else 0
    low, high = scale_range(parsed_items, method, max_missing)
    whole = method == "sum" and all(i.whole_scores for i in parsed_items)
    step = 1 if whole else 10**-DECIMALS
    steps = round((high - low) / step)
    splits = sorted(draw(st.sets(st.integers(1, steps), max_size=min(steps, 4))))
    starts = [low] + [round(low + s * step, DECIMALS) for s in splits]
    ends = [round(s - step, DECIMALS) for s in starts[1:]] + [high]
    return {
        "code": "eigen-test",
        "version": "1",
        "name": "Test",
        "description": "",
        "kind": "items",
        "licence_note": "",
        "notice": "",
        "rankable": False,
        "items": items,
        "scales": [
            {
                "code": "s",
                "label": "Schaal",
                "domain": "domein-zelfredzaamheid",
                "method": method,
                "items": [i["code"] for i in items],
                "max_missing": max_missing,
                "min": low,
                "max": high,
                "higher_is_better": draw(st.booleans()),
                "cutoffs": [
                    {"min": a, "max": b, "code": f"c{n}", "label": f"c{n}"}
                    for n, (a, b) in enumerate(zip(starts, ends, strict=True))
                ],
            }
        ],
    }


@PROPERTY
@given(data=st.data())
def test_it_scores_any_buildable_definition_within_range_and_category(data):
    definition = parse_definition(data.draw(own_definitions()))
    answers = data.draw(_answers(definition))
    _assert_in_range_and_category(definition, score(definition, answers))

import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from meerwaarde.analysis import charts
from meerwaarde.analysis.formatting import num, pct, signed
from meerwaarde.analysis.presentation import effect_size_words

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own SVG


def _assert_accessible(svg: str, chart_id: str, title: str) -> None:
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
    assert root.find(f"{SVG}title").text == title
    assert root.find(f"{SVG}desc").text
    # The strict CSP allows no inline style and no script.
    assert "style" not in svg
    assert "<script" not in svg
    assert not re.search(r"\son[a-z]+=", svg)


def test_it_draws_an_accessible_bar_chart():
    svg = charts.bar_chart(
        chart_id="grafiek-x",
        title="Bereik <per> maand & meer",
        description="Samenvatting",
        labels=["jan 2025", "feb 2025"],
        series=[charts.Series("Bereikt", [10, 25]), charts.Series("Nieuw", [2, 0])],
    )

    _assert_accessible(svg, "grafiek-x", "Bereik <per> maand & meer")
    bars = [r for r in _parse(svg).iter(f"{SVG}rect") if r.get("width") != "12"][1:]
    assert len(bars) == 4
    assert {t.text for t in _parse(svg).iter(f"{SVG}text")} >= {"jan 2025", "Bereikt", "Nieuw"}


def test_it_draws_bars_of_nothing_without_dividing_by_zero():
    svg = charts.bar_chart(
        chart_id="leeg", title="t", description="d", labels=["a"], series=[charts.Series("s", [0])]
    )

    assert _parse(svg).get("role") == "img"


def test_it_draws_intervals_around_a_reference():
    svg = charts.interval_chart(
        chart_id="grafiek-y",
        title="Verandering",
        description="Samenvatting",
        rows=[
            charts.IntervalRow("Totaal", -1.2, -1.8, -0.6),
            charts.IntervalRow("Eén deelnemer", 0.5, uncertain=True),
            charts.IntervalRow("Geen gegevens", None),
        ],
        reference_label="geen verandering",
        value_text=signed,
    )

    _assert_accessible(svg, "grafiek-y", "Verandering")
    circles = list(_parse(svg).iter(f"{SVG}circle"))
    assert len(circles) == 2
    assert circles[1].get("fill") == "#ffffff"  # an open dot: uncertain
    texts = {t.text for t in _parse(svg).iter(f"{SVG}text")}
    assert {"-1,2", "+0,5", "geen verandering"} <= texts


def test_it_shortens_labels_that_do_not_fit():
    svg = charts.interval_chart(
        chart_id="z",
        title="t",
        description="d",
        rows=[charts.IntervalRow("Een heel lange naam van een schaal die niet past", 1.0)],
    )

    assert "Een heel lange naam van een schaal die…" in svg


def test_it_stacks_parts_as_shares_of_each_row():
    svg = charts.stacked_bar_chart(
        chart_id="s",
        title="Verschuivingen",
        description="d",
        rows=[charts.StackRow("matig (n = 4)", [1, 3, 0]), charts.StackRow("leeg", [0, 0, 0])],
        legend=["niet", "matig", "ernstig"],
    )

    _assert_accessible(svg, "s", "Verschuivingen")
    widths = [float(r.get("width")) for r in _parse(svg).iter(f"{SVG}rect") if r.get("stroke")]
    assert widths[1] == pytest.approx(3 * widths[0], abs=0.2)
    assert len(widths) == 2


def test_it_writes_numbers_the_dutch_way():
    assert num(1234.56) == "1.234,6"
    assert num(1234) == "1.234"
    assert num(None) == "–"
    assert num(-0.04) == "0,0"
    assert signed(0.44) == "+0,4"
    assert signed(-1.26) == "-1,3"
    assert signed(0.0) == "0,0"
    assert pct(0.126) == "13%"
    assert pct(None) == "–"


@pytest.mark.parametrize(
    ("d_z", "words"),
    [
        (0.1, "verwaarloosbaar"),
        (-0.2, "klein"),
        (0.5, "middelgroot"),
        (-0.79, "middelgroot"),
        (0.8, "groot"),
    ],
)
def test_it_names_effect_sizes_by_cohens_rule_of_thumb(d_z, words):
    assert effect_size_words(d_z) == words

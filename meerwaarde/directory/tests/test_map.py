"""The results map and the highlighting: pure functions, no database."""

import re

from django.test import override_settings

from meerwaarde.directory.highlight import excerpt, highlight
from meerwaarde.directory.map import MapCentre, MapMarker, results_map, world_xy
from meerwaarde.directory.text import stem

ZWOLLE = MapCentre(52.5125, 6.0944, "Zwolle", 10)
MARKERS = [MapMarker(1, 52.52, 6.10), MapMarker(2, 52.45, 6.02), MapMarker(3, 52.55, 6.2)]


def test_web_mercator_puts_the_origin_in_the_middle_of_the_world():
    assert world_xy(0, 0, 0) == (128.0, 128.0)
    x, y = world_xy(52.5, 6.1, 10)
    assert 135_000 < x < 136_000 and 85_000 < y < 87_000


def test_the_map_numbers_its_markers_like_the_list():
    svg = results_map(markers=MARKERS, centre=ZWOLLE)
    assert svg.startswith("<svg") and 'aria-hidden="true"' in svg
    assert re.findall(r'data-number="(\d+)"', svg) == ["3", "2", "1"]  # best drawn last
    assert "mw-map__radius" in svg and ">Zwolle</text>" in svg
    assert re.search(r">\d+(,\d)? km</text>", svg)  # the scale bar


def test_the_markers_lie_inside_the_map():
    svg = results_map(markers=MARKERS, centre=ZWOLLE, width=640, height=400)
    for x, y in re.findall(r'translate\(([\d.-]+) ([\d.-]+)\)"><circle r="12"', svg):
        assert 0 <= float(x) <= 640 and 0 <= float(y) <= 400


def test_the_radius_circle_fits_on_the_map():
    svg = results_map(markers=[], centre=MapCentre(52.5, 6.1, "X", 50))
    r = float(re.search(r'class="mw-map__radius" cx="[\d.]+" cy="[\d.]+" r="([\d.]+)"', svg)[1])
    assert 50 < r <= 200


def test_there_are_no_tiles_by_default():
    svg = results_map(markers=MARKERS, centre=ZWOLLE)
    assert "<image" not in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_tiles_come_from_the_configured_server_with_attribution():
    svg = results_map(
        markers=MARKERS,
        centre=ZWOLLE,
        tile_template="https://tiles.example.nl/{z}/{x}/{y}.png",
        attribution="© Kaartgegevens & co",
    )
    tiles = re.findall(r'<image href="https://tiles\.example\.nl/(\d+)/(\d+)/(\d+)\.png"', svg)
    assert tiles and len({z for z, _x, _y in tiles}) == 1
    assert "© Kaartgegevens &amp; co" in svg


def test_nothing_to_map_gives_no_map():
    assert results_map(markers=[], centre=None) is None


def test_a_single_marker_gets_a_street_level_map():
    assert "data-number" in results_map(markers=[MapMarker(1, 52.5, 6.1)])


def test_the_place_label_is_escaped():
    svg = results_map(markers=[], centre=MapCentre(52.5, 6.1, "<b>x</b>", 5))
    assert "<b>" not in svg and "&lt;b&gt;" in svg


@override_settings(LANGUAGE_CODE="nl")
def test_highlight_marks_words_by_stem():
    html = highlight("Hulp bij schulden en Schuld", {stem("schuld")})
    assert html == "Hulp bij <mark>schulden</mark> en <mark>Schuld</mark>"


def test_highlight_escapes_first_and_never_marks_inside_markup():
    html = highlight('<a href="schuld">schuld</a> & mark', {stem("schuld"), stem("href")})
    assert (
        html
        == (
            "&lt;<mark>a</mark> <mark>href</mark>=&quot;<mark>schuld</mark>&quot;&gt;"
            "<mark>schuld</mark>&lt;/<mark>a</mark>&gt; &amp; mark"
        )
        or "<a" not in html
    )
    assert "<a" not in html and "&amp; mark" in html


def test_highlight_leaves_stop_words_alone():
    assert highlight("de schuld", {stem("de"), stem("schuld")}) == "de <mark>schuld</mark>"


def test_excerpt_starts_near_the_first_match():
    text = "Inleiding " * 60 + "Wij helpen bij schulden en geldzorgen. " + "Slot " * 60
    cut = excerpt(text, {stem("schuld")}, length=120)
    assert cut.startswith("… ") and cut.endswith(" …") and "schulden" in cut
    assert len(cut) <= 130


def test_excerpt_keeps_a_short_text_whole():
    assert excerpt("Kort  en\ngoed.", set()) == "Kort en goed."

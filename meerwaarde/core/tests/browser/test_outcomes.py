"""Measuring outcomes in Chromium: register a participant by client reference, record an intake
and an end measurement with live scores, an entry with errors, a correction, the dashboard.

axe-core checks every page and state on the way; the client reference never reaches a URL and
appears on no page but the find form that was just posted.
"""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from meerwaarde.activities.tests.factories import ActivityRecordFactory
from meerwaarde.analysis.tests.factories import Outcomes
from meerwaarde.measurements.models import Measurement
from meerwaarde.measurements.services import measurement_record
from meerwaarde.offers.tests.factories import OfferFactory
from meerwaarde.participants.models import Participant
from meerwaarde.participants.services import participant_register, trajectory_start
from meerwaarde.vocabulary.models import Concept

from .helpers import ACTIVE_MATCHES, tab_to

pytestmark = pytest.mark.browser

REFERENCE = "CL-2024-0042"
# The DJG-6 items in form order, and each answer as the index of its option (nee, min of
# meer, ja). The intake is lonely (total 5, emotional 3, social 2), the end much less so
# (total 1, emotional 1, social 0).
DJG6_ITEMS = ("e1", "s1", "e2", "s2", "s3", "e3")
INTAKE = (2, 0, 2, 0, 2, 2)
END = (0, 2, 1, 2, 2, 0)
_OPTION_VALUES = ("nee", "min-of-meer", "ja")
_SAVE = "form.mw-form button[type=submit]:not([name])"
_DETAIL = re.compile(r"/metingen/\d+/(#.*)?$")


def _url(name: str, org, **kwargs) -> str:
    return reverse(name, kwargs={"slug": org.slug, **kwargs})


def _cells(row) -> list[str]:
    return [" ".join(text.split()) for text in row.locator("th, td").all_inner_texts()]


def _settled(page) -> None:
    """The live region's last request is done (htmx marks the form while one runs)."""
    expect(page.locator("form.mw-form")).not_to_have_class(re.compile(r"\bhtmx-request\b"))


def _assert_live_scores(page, total: str, category: str, emotional: str, social: str) -> None:
    scores = page.locator("#mw-scores")
    expect(scores.locator("tr[data-scale=total] td").nth(0)).to_have_text(total)
    expect(scores.locator("tr[data-scale=total] td").nth(1)).to_have_text(category)
    expect(scores.locator("tr[data-scale=emotional] td").nth(0)).to_have_text(emotional)
    expect(scores.locator("tr[data-scale=social] td").nth(0)).to_have_text(social)
    _settled(page)


def _djg6_answers(indexes) -> dict[str, str]:
    return {code: _OPTION_VALUES[i] for code, i in zip(DJG6_ITEMS, indexes, strict=True)}


@pytest.fixture
def offers(vocabulary, cast, org_a, shipped_instruments) -> dict:
    concept = Concept.objects.get
    return {
        "maatjes": OfferFactory(
            organisation=org_a,
            name="Maatjes Zwolle",
            intervention_type=concept(code="interventie-maatjesproject"),
            target_groups=[concept(code="doelgroep-ouderen")],
        ),
        "buren": OfferFactory(
            organisation=org_a,
            name="Burenhulp Assendorp",
            intervention_type=concept(code="interventie-burenhulp"),
        ),
        "taal": OfferFactory(
            organisation=org_a,
            name="Taalcafé",
            intervention_type=concept(code="interventie-taalmaatje"),
        ),
    }


@pytest.fixture
def trajectory(offers, cast, org_a):
    """A running trajectory of two months, made through the services."""
    participant, _created = participant_register(
        organisation=org_a, created_by=cast["worker"], reference="CL-7", age_band="27-44"
    )
    return trajectory_start(
        organisation=org_a,
        created_by=cast["worker"],
        participant=participant,
        offer=offers["maatjes"],
        start_date=timezone.localdate() - datetime.timedelta(days=60),
    )


def test_a_worker_registers_a_participant_and_records_an_intake_and_an_end(
    watch, login, cast, org_a, offers, shipped_instruments
):
    page = watch.page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    login(cast["worker"])

    # Find by client reference, with the keyboard: unknown, so the form offers to register.
    watch.visit(_url("participants:find", org_a))
    tab_to(page, "#id_reference")
    page.keyboard.type(REFERENCE)
    page.keyboard.press("Enter")
    page.locator("#registreren").wait_for()
    watch.check()
    expect(
        page.get_by_text("Uw organisatie heeft nog geen deelnemer met dit cliëntnummer.")
    ).to_be_visible()
    # Deliberately shown once: in its own field, to be checked before registering.
    assert page.locator("#id_reference").input_value() == REFERENCE
    assert page.content().lower().count(REFERENCE.lower()) == 1
    assert REFERENCE.lower() not in page.locator("body").inner_text().lower()

    tab_to(page, "input[name=age_band]")
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    assert page.locator("input[name=age_band]:checked").get_attribute("value") == "27-44"
    tab_to(page, "#id_postcode4")
    page.keyboard.type("8011")
    tab_to(page, "input[name=target_groups]")
    page.keyboard.press("Space")
    tab_to(page, "button[value=registreren]", limit=80)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/deelnemers/\d+/$"))
    watch.check()
    expect(page.get_by_text("De deelnemer is geregistreerd.")).to_be_visible()
    participant = Participant.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert participant.organisation == org_a and participant.postcode4 == "8011"
    assert REFERENCE.lower() not in participant.pseudonym.lower()
    participant_url = page.url

    def assert_no_reference() -> None:
        assert REFERENCE.lower() not in page.url.lower()
        assert REFERENCE.lower() not in page.content().lower(), f"cliëntnummer op {page.url}"

    assert_no_reference()

    # The same reference, typed differently, finds the same participant.
    watch.visit(_url("participants:find", org_a), axe=False)
    page.get_by_label("Cliëntnummer").fill(f"  {REFERENCE.lower()} ")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url(participant_url)
    expect(page.get_by_text("Deelnemer gevonden.")).to_be_visible()
    assert_no_reference()
    watch.visit(_url("participants:list", org_a))
    assert_no_reference()
    watch.visit(participant_url, axe=False)

    # A trajectory in one of the organisation's offers, chosen with the arrow keys.
    tab_to(page, "a[href$='/trajecten/nieuw/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/trajecten/nieuw/$"))
    watch.check()
    tab_to(page, "#id_offer")
    page.keyboard.press("ArrowDown")  # Burenhulp Assendorp
    page.keyboard.press("ArrowDown")  # Maatjes Zwolle
    assert page.locator("#id_offer option:checked").inner_text() == "Maatjes Zwolle"
    start = timezone.localdate() - datetime.timedelta(days=90)
    page.locator("#id_start_date").fill(start.isoformat())
    tab_to(page, "form.mw-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/deelnemers/trajecten/\d+/$"))
    watch.check()
    assert_no_reference()
    trajectory_url = page.url
    expect(page.get_by_text("Er zijn nog geen metingen bij dit traject.")).to_be_visible()

    # Step one: instrument and moment (the intake is suggested).
    tab_to(page, "#metingen a[href$='/nieuw/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/metingen/trajecten/\d+/nieuw/$"))
    watch.check()
    assert page.get_by_label("Intake", exact=True).is_checked()
    page.get_by_label("De Jong Gierveld eenzaamheidsschaal (6 vragen)", exact=True).check()
    page.get_by_role("button", name="Verder").click()
    page.wait_for_url(re.compile(r"instrument=\d+"))
    watch.check()  # the empty form
    expect(page.locator("#mw-scores")).to_contain_text("zodra u antwoorden invult")

    # The first answer has the focus; arrow keys choose within a question, Tab goes on.
    assert page.evaluate(ACTIVE_MATCHES, "#id_item-e1_0")
    for number, index in enumerate(INTAKE):
        if number:
            page.keyboard.press("Tab")
        if index == 0:
            page.keyboard.press("Space")
        for _ in range(index):
            page.keyboard.press("ArrowDown")
    for code, index in zip(DJG6_ITEMS, INTAKE, strict=True):
        assert page.locator(f"#id_item-{code}_{index}").is_checked(), code
    # Scores and category come from the server while typing; nothing is saved yet.
    _assert_live_scores(page, "5", "ernstig eenzaam", "3", "2")
    assert page.evaluate(ACTIVE_MATCHES, "#id_item-e3_2"), "de live scores namen de focus weg"
    assert not Measurement.objects.exists()
    watch.check()
    with page.expect_response(lambda response: "/berekenen/" in response.url):
        page.locator("#id_measured_on").fill(start.isoformat())
    _settled(page)
    tab_to(page, _SAVE)
    page.keyboard.press("Enter")
    page.wait_for_url(_DETAIL)
    watch.check()
    assert_no_reference()
    expect(page.get_by_text("De meting is opgeslagen.")).to_be_visible()
    assert _cells(page.locator("tr[data-scale=total]")) == [
        "Eenzaamheid totaal",
        "5",
        "ernstig eenzaam",
    ]

    # The end measurement, with better answers.
    page.get_by_role("link", name="Traject in Maatjes Zwolle").click()
    page.wait_for_url(re.compile(r"/deelnemers/trajecten/\d+/#metingen$"))
    page.locator("#metingen").get_by_role("link", name="Meting toevoegen").click()
    page.wait_for_url(re.compile(r"/nieuw/$"))
    page.get_by_label("De Jong Gierveld eenzaamheidsschaal (6 vragen)", exact=True).check()
    page.get_by_label("Eindmeting", exact=True).check()
    page.get_by_role("button", name="Verder").click()
    page.wait_for_url(re.compile(r"instrument=\d+"))
    for code, index in zip(DJG6_ITEMS, END, strict=True):
        page.locator(f"#id_item-{code}_{index}").check()
    _assert_live_scores(page, "1", "niet eenzaam", "1", "0")
    page.get_by_role("button", name="Meting opslaan").click()
    page.wait_for_url(_DETAIL)
    watch.check()
    assert_no_reference()

    # The trajectory page: both measurements and the change per scale.
    watch.visit(trajectory_url)
    assert_no_reference()
    expect(page.locator("table[data-moment=intake] tbody tr")).to_have_count(1)
    expect(page.locator("table[data-moment=end] tbody tr")).to_have_count(1)
    change = page.locator("table[data-change]")
    assert _cells(change.locator("tr[data-scale=total]")) == [
        "Eenzaamheid totaal",
        "5 (ernstig eenzaam)",
        "1 (niet eenzaam)",
        "−4",
        "vooruitgegaan",
    ]
    assert _cells(change.locator("tr[data-scale=emotional]"))[1:] == [
        "3",
        "1",
        "−2",
        "vooruitgegaan",
    ]
    assert _cells(change.locator("tr[data-scale=social]"))[1:] == [
        "2",
        "0",
        "−2",
        "vooruitgegaan",
    ]
    assert Measurement.objects.filter(trajectory__participant=participant).count() == 2

    # Nothing that was requested carried the reference, however it was typed.
    leaked = [url for url in requested if REFERENCE.lower() in url.lower()]
    assert not leaked, leaked

    # The pair counts on the coordinator's dashboard at once.
    page.context.clear_cookies()
    login(cast["coordinator"])
    watch.visit(_url("analysis:dashboard", org_a))
    djg6 = shipped_instruments["djg6-1"]
    chart = page.locator(f"table[data-table='grafiek-uitkomsten-{djg6.pk}']")
    total = chart.locator("tr").filter(
        has=page.get_by_role("rowheader", name="Eenzaamheid totaal", exact=True)
    )
    assert _cells(total)[3:7] == ["1", "5,0", "1,0", "-4,0"]


def test_an_entry_with_errors_keeps_every_answer_and_links_to_each_error(
    watch, login, cast, org_a, trajectory, shipped_instruments
):
    page = watch.page
    zrm = shipped_instruments["zrm-2017"]
    login(cast["worker"])
    watch.visit(
        _url("measurements:create", org_a, trajectory_pk=trajectory.pk)
        + f"?instrument={zrm.pk}&moment=intake",
        axe=False,
    )
    assert page.evaluate(ACTIVE_MATCHES, "#id_item-financien")
    typed = {"financien": "2", "werk-opleiding": "3", "huisvesting": "9", "sociaal-netwerk": "2"}
    for code, value in typed.items():
        page.locator(f"#id_item-{code}").focus()
        page.keyboard.type(value)
        page.keyboard.press("Tab")  # leaving the box is a change: the scores follow
    page.get_by_label("Niet beoordeeld: Justitie").check()

    # The live region already says which answer stands in the way, with a link to it.
    region = page.locator("#mw-scores")
    expect(region.get_by_role("link", name="4. Huisvesting")).to_be_visible()
    expect(region).to_contain_text("9 valt daarbuiten")
    _settled(page)
    watch.check()

    # Saved with that answer and without a date: nothing is saved, everything comes back.
    page.locator("#id_measured_on").fill("")
    _settled(page)
    page.get_by_role("button", name="Meting opslaan").click()
    summary = page.locator("#mw-form-errors")
    summary.wait_for()
    watch.check()
    assert page.evaluate(ACTIVE_MATCHES, "#mw-form-errors")
    expect(summary).to_contain_text("De meting is niet opgeslagen")
    expect(summary.get_by_role("link", name="Datum van de meting")).to_be_visible()
    expect(summary.get_by_role("link", name="4. Huisvesting")).to_be_visible()
    expect(summary).to_contain_text("9 valt daarbuiten")
    for code, value in typed.items():
        assert page.locator(f"#id_item-{code}").input_value() == value, code
    assert page.locator("#id_item-justitie_na").is_checked()
    assert page.get_by_label("Intake", exact=True).is_checked()
    assert page.locator("#id_measured_on").input_value() == ""
    assert page.locator("#id_item-huisvesting").get_attribute("aria-invalid") == "true"
    expect(region).to_contain_text("verbeter eerst de gemarkeerde antwoorden")
    assert not Measurement.objects.exists()

    # Each link of the summary puts the focus on its field.
    tab_to(page, "#mw-form-errors a[href='#id_item-huisvesting']", limit=3)
    page.keyboard.press("Enter")
    assert page.evaluate(ACTIVE_MATCHES, "#id_item-huisvesting")
    page.keyboard.press("Control+A")
    page.keyboard.type("4")
    summary.get_by_role("link", name="Datum van de meting").click()
    assert page.evaluate(ACTIVE_MATCHES, "#id_measured_on")
    page.locator("#id_measured_on").fill(timezone.localdate().isoformat())
    _settled(page)
    page.get_by_role("button", name="Meting opslaan").click()
    page.wait_for_url(_DETAIL)
    watch.check()
    measurement = Measurement.objects.get()
    assert measurement.answers["huisvesting"] == "4"
    assert measurement.answers["justitie"] == "na"
    assert _cells(page.locator("tr[data-item=justitie]")) == ["13. Justitie", "niet beoordeeld"]
    assert _cells(page.locator("tr[data-scale=financien]")) == [
        "Financiën",
        "2",
        "niet zelfredzaam",
    ]


def test_a_correction_is_version_two_and_the_history_keeps_both(
    watch, login, cast, org_a, trajectory, shipped_instruments
):
    page = watch.page
    intake = measurement_record(
        trajectory=trajectory,
        instrument=shipped_instruments["djg6-1"],
        moment="intake",
        measured_on=trajectory.start_date,
        answers=_djg6_answers(INTAKE),
        created_by=cast["worker"],
    )
    login(cast["worker"])
    watch.visit(_url("measurements:detail", org_a, pk=intake.pk))
    tab_to(page, "a[href$='/corrigeren/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/corrigeren/$"))
    watch.check()  # the stored answers with their scores
    expect(page.get_by_text("De correctie wordt versie 2")).to_be_visible()
    assert page.locator("#id_item-s3_2").is_checked()
    _assert_live_scores(page, "5", "ernstig eenzaam", "3", "2")

    page.locator("#id_item-s3_1").check()  # "min of meer" instead of "ja"
    _assert_live_scores(page, "6", "ernstig eenzaam", "3", "3")
    page.get_by_role("button", name="Correctie opslaan").click()
    page.wait_for_url(_DETAIL)
    watch.check()
    expect(page.get_by_text("De correctie is opgeslagen als versie 2.")).to_be_visible()
    expect(page.locator(".mw-data-list dd").filter(has_text="huidige versie")).to_have_text(
        "2 (huidige versie)"
    )
    correction = Measurement.objects.get(is_current=True)
    assert correction.version == 2 and correction.supersedes_id == intake.pk

    page.get_by_role("link", name="Geschiedenis van deze meting").click()
    page.wait_for_url(re.compile(r"/geschiedenis/$"))
    watch.check()
    expect(page.locator("section[data-version]")).to_have_count(2)
    expect(page.locator("#versie-2")).to_have_text("Versie 2 (huidige versie)")
    expect(page.locator("#versie-1")).to_have_text("Versie 1 (gecorrigeerd)")
    changes = page.locator("section[data-version='2'] table").first
    assert _cells(changes.locator("tbody tr")) == [
        "Heeft genoeg mensen met wie hij of zij zich verbonden voelt",
        "ja",
        "min of meer",
    ]

    # The old version stays readable, says it no longer counts, and cannot be corrected.
    page.get_by_role("link", name="Alle antwoorden van versie 1").click()
    page.wait_for_url(re.compile(rf"/metingen/{intake.pk}/$"))
    watch.check()
    expect(page.get_by_text("Deze versie is gecorrigeerd en telt niet meer mee.")).to_be_visible()
    expect(page.get_by_role("link", name="Corrigeren")).to_have_count(0)

    watch.visit(_url("participants:trajectory_detail", org_a, pk=trajectory.pk))
    expect(page.locator("table[data-moment=intake]")).to_contain_text("gecorrigeerd, versie 2")


def test_the_instrument_pages_pass_axe(watch, login, cast, org_a, vocabulary, shipped_instruments):
    page = watch.page
    login(cast["worker"])
    watch.visit(_url("instruments:list", org_a))
    expect(page.locator("tr[data-instrument]")).to_have_count(len(shipped_instruments))
    page.get_by_role("link", name="De Jong Gierveld eenzaamheidsschaal (6 vragen)").click()
    page.wait_for_url(re.compile(r"/instrumenten/\d+/$"))
    watch.check()
    expect(page.locator("section[data-scale=total]")).to_contain_text("ernstig eenzaam")
    for code in ("zrm-2017", "gas-1", "pg-1"):
        watch.visit(_url("instruments:detail", org_a, pk=shipped_instruments[code].pk))

    page.context.clear_cookies()
    login(cast["org_admin"])
    watch.visit(_url("instruments:list", org_a))
    watch.visit(_url("instruments:create", org_a))


@pytest.fixture
def results(offers, org_a, shipped_instruments) -> Outcomes:
    """Pairs of DJG-6 measurements in two offers, GAS goals, and activity; none in Taalcafé."""
    outcomes = Outcomes(
        instruments=shipped_instruments, organisation=org_a, today=timezone.localdate()
    )
    for start, end in [(5, 2), (6, 3), (5, 4)]:
        outcomes.loneliness(offers["maatjes"], start, end)
    for start, end in [(4, 1), (3, 3)]:
        outcomes.loneliness(offers["buren"], start, end)
    outcomes.gas_end(outcomes.trajectory(offers["maatjes"]), [1, 0, 2])
    for months_ago, reached in [(2, 12), (1, 15)]:
        ActivityRecordFactory(
            offer=offers["maatjes"],
            month=outcomes.day(months_ago).replace(day=1),
            participants_reached=reached,
        )
    return outcomes


def test_a_coordinator_reads_filters_and_downloads_the_results(
    watch, login, cast, org_a, offers, results
):
    page = watch.page
    djg6 = results.djg6
    chart = f"grafiek-uitkomsten-{djg6.pk}"
    login(cast["coordinator"])
    watch.visit(_url("analysis:dashboard", org_a))

    section = page.locator("section[data-instrument='djg6-1']")
    total = section.locator(f"table[data-table='{chart}'] tr").filter(
        has=page.get_by_role("rowheader", name="Eenzaamheid totaal", exact=True)
    )
    # Columns: scale, domain, better is, n, start, end, change, …
    assert _cells(total)[3:7] == ["5", "4,6", "2,6", "-2,0"]
    expect(section.locator(f"[data-summary='{chart}']")).to_contain_text(
        "Bij 5 deelnemers daalde de gemiddelde score op ‘Eenzaamheid totaal’ van 4,6 naar 2,6."
    )
    expect(section.locator("[data-uncertain]").first).to_be_visible()
    expect(page.locator("[data-section=activity] figure")).to_be_visible()
    expect(page.locator("[data-section=gas] figure")).to_be_visible()

    # The explanation opens from the keyboard.
    explain = page.locator("details[data-explain=change]")
    expect(explain.locator("p").first).to_be_hidden()
    tab_to(page, "details[data-explain=change] > summary", limit=80)
    page.keyboard.press("Enter")
    expect(explain.locator("p").first).to_be_visible()
    expect(explain).to_contain_text("95%-betrouwbaarheidsinterval")
    watch.check()

    # One offer: its three pairs.
    page.locator("#id_aanbod").select_option(label="Maatjes Zwolle")
    page.get_by_role("button", name="Toon de resultaten").click()
    page.wait_for_url(re.compile(rf"aanbod={offers['maatjes'].pk}"))
    watch.check()
    assert _cells(total)[3:7] == ["3", "5,3", "3,0", "-2,3"]

    # The CSV of that table carries the same filter, for Dutch Excel.
    link = page.locator("a[data-csv=uitkomsten]")
    href = link.get_attribute("href")
    assert f"aanbod={offers['maatjes'].pk}" in href and "tabel=uitkomsten" in href
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"resultaten-{org_a.slug}-uitkomsten.csv"
    body = Path(download.path()).read_bytes()
    response = page.context.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="resultaten-{org_a.slug}-uitkomsten.csv"'
    )
    assert response.body() == body
    text = body.decode("utf-8")
    assert text.startswith("\ufeff") and "\r\n" in text
    header, *rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert "Deelnemers" in header and "Verandering" in header
    [row] = [row for row in rows if "Eenzaamheid totaal" in row]
    assert row[header.index("Deelnemers")] == "3"
    assert row[header.index("Verandering")] == "-2,3"

    # An offer without pairs, and filters that cannot both hold: an empty dashboard.
    page.locator("#id_aanbod").select_option(label="Taalcafé")
    page.get_by_role("button", name="Toon de resultaten").click()
    page.wait_for_url(re.compile(rf"aanbod={offers['taal'].pk}"))
    watch.check()
    expect(page.locator("[data-empty=outcomes]")).to_be_visible()
    expect(page.locator("[data-empty=activity]")).to_be_visible()
    expect(page.locator("[data-empty=gas]")).to_be_visible()
    expect(page.locator("a[data-csv]")).to_have_count(0)
    watch.visit(_url("analysis:dashboard", org_a) + "?van=2025-06&tot=2025-01")
    expect(page.locator("#mw-form-errors")).to_contain_text("De laatste maand ligt vóór de eerste")

"""The offers registry in Chromium: added with the keyboard alone, axe-core on every state."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from meerwaarde.offers.constants import EvidenceLevel, OfferStatus
from meerwaarde.offers.models import Offer
from meerwaarde.offers.tests.factories import OfferFactory
from meerwaarde.vocabulary.models import Concept

from .helpers import ACTIVE_MATCHES, assert_tab_reaches_everything, tab_to
from .test_bad_input import assert_dutch, assert_field_error

pytestmark = pytest.mark.browser

_SUGGESTIONS = "/aanbod/suggesties/"
_PLACES = "/plaatsen/zoek/"
# The form has about eighty stops (every checkbox of four lists); Tab may need them all.
_FAR = 150


def _url(name: str, org, **kwargs) -> str:
    return reverse(f"offers:{name}", kwargs={"slug": org.slug, **kwargs})


@pytest.fixture
def offers(vocabulary, cast, org_a, places) -> dict:
    """One offer in each state the pages draw differently."""
    today = timezone.localdate()
    concept = Concept.objects.get
    return {
        "stale": OfferFactory(
            organisation=org_a,
            name="Buurtkamer De Linde",
            intervention_type=concept(code="interventie-maatjesproject"),
            last_confirmed_on=today - datetime.timedelta(days=400),
            evidence_level=EvidenceLevel.WELL_DESCRIBED,
            evidence_assessed_on=today - datetime.timedelta(days=300),
            location__place=places["zwolle"],
        ),
        "hidden": OfferFactory(
            organisation=org_a,
            name="Taalcafé",
            intervention_type=concept(code="interventie-taalmaatje"),
            last_confirmed_on=today - datetime.timedelta(days=600),
            status=OfferStatus.PAUSED,
            location__place=places["deventer"],
        ),
        "shelter": OfferFactory(
            organisation=org_a,
            name="Nachtopvang De Haven",
            intervention_type=concept(code="interventie-nachtopvang"),
            themes=[concept(code="thema-maatschappelijke-opvang")],
            places_available=3,
            places_updated_at=timezone.now(),
            location__place=places["zwolle"],
        ),
    }


def test_a_coordinator_adds_an_offer_with_the_keyboard_alone(watch, login, cast, org_a, vocabulary):
    page = watch.page
    login(cast["coordinator"])
    watch.visit(_url("list", org_a))  # no offers yet
    watch.visit(_url("create", org_a))

    # Typing the name fetches suggestions for the intervention type; the focus stays put.
    tab_to(page, "#id_name")
    with page.expect_response(lambda r: _SUGGESTIONS in r.url and "Maatjes" in r.url):
        page.keyboard.type("Maatjes Zwolle")
    page.locator("#id_intervention_type optgroup").first.wait_for(state="attached")
    assert page.evaluate(ACTIVE_MATCHES, "#id_name")
    assert "Maatjesproject" in page.locator("#mw-type-suggested").inner_text()
    watch.check()

    # The first suggestion, chosen with an arrow key in the closed select.
    tab_to(page, "#id_intervention_type", limit=3)
    page.keyboard.press("ArrowDown")
    chosen = page.locator("#id_intervention_type").input_value()
    first = page.locator("#id_intervention_type optgroup").first.locator("option").first
    assert chosen == first.get_attribute("value")
    tab_to(page, "#id_description", limit=3)
    page.keyboard.type("Een vrijwilliger komt elke week langs voor een praatje en een wandeling.")

    # A theme: Space ticks the focused checkbox.
    tab_to(page, "#deel-wat input[name=themes]", limit=3)
    page.keyboard.press("Space")
    assert page.locator("#deel-wat input[name=themes]").first.is_checked()

    # The first location: a place from the suggestions, and a name.
    tab_to(page, "#id_locaties-0-place", limit=_FAR)
    with page.expect_response(lambda r: _PLACES in r.url):
        page.keyboard.type("Zwolle (Overijssel)")
    tab_to(page, "#id_locaties-0-name", limit=3)
    page.keyboard.type("Buurthuis De Boog")

    # A phone number that is none: the form explains it in Dutch and keeps everything.
    tab_to(page, "#id_phone", limit=_FAR)
    page.keyboard.type("12")
    tab_to(page, "form.mw-offer-form button[type=submit]", limit=_FAR)
    page.keyboard.press("Enter")
    page.locator("#id_phone_error").wait_for()
    watch.check()
    assert_field_error(page, "id_phone", "Dit is geen geldig telefoonnummer")
    assert_dutch(page)
    assert page.locator("#id_name").input_value() == "Maatjes Zwolle"
    assert page.locator("#id_intervention_type").input_value() == chosen
    assert page.locator("#id_locaties-0-place").input_value() == "Zwolle (Overijssel)"
    assert page.locator("#id_locaties-0-name").input_value() == "Buurthuis De Boog"
    assert page.locator("#deel-wat input[name=themes]").first.is_checked()

    # The error summary links to the message; the next Tab is the field. Corrected, it saves.
    tab_to(page, "#mw-form-errors a[href='#id_phone_error']", limit=_FAR)
    page.keyboard.press("Enter")
    tab_to(page, "#id_phone", limit=1)
    page.keyboard.press("Control+A")
    page.keyboard.type("038 123 45 67")
    tab_to(page, "form.mw-offer-form button[type=submit]", limit=_FAR)
    page.keyboard.press("Enter")
    # A redirect keeps the fragment of the page it came from (#id_phone_error).
    page.wait_for_url(re.compile(r"/aanbod/\d+/(#.*)?$"))
    watch.check()
    offer = Offer.objects.get(organisation=org_a)
    assert _url("detail", org_a, pk=offer.pk) in page.url
    assert page.get_by_role("status").first.is_visible()
    assert offer.phone == "038 123 4567"
    assert [loc.name for loc in offer.locations.all()] == ["Buurthuis De Boog"]


def test_the_offer_pages_pass_axe_in_every_state(watch, login, cast, org_a, offers):
    page = watch.page
    login(cast["coordinator"])
    watch.visit(_url("list", org_a))
    assert page.get_by_text("Niet zichtbaar op de sociale kaart").first.is_visible()
    watch.visit(_url("list", org_a) + "?bevestigen=on&status=active&q=buurt")
    watch.visit(_url("list", org_a) + "?q=bestaat-niet")
    watch.visit(_url("detail", org_a, pk=offers["stale"].pk))
    assert page.get_by_text("Erkenning verloopt op").is_visible()
    watch.visit(_url("detail", org_a, pk=offers["hidden"].pk))
    watch.visit(_url("detail", org_a, pk=offers["shelter"].pk))

    # Free places of a shelter, with bad input first.
    page.get_by_label("Vrije plaatsen").fill("-3")
    page.get_by_role("button", name="Vrije plaatsen bijwerken").click()
    page.locator("#id_places_available_error").wait_for()
    watch.check()
    page.get_by_label("Vrije plaatsen").fill("5")
    page.get_by_role("button", name="Vrije plaatsen bijwerken").click()
    page.get_by_text("5 vrije plaatsen").wait_for()
    watch.check()

    # Confirming a stale offer from its page takes the warning away.
    watch.visit(_url("detail", org_a, pk=offers["stale"].pk), axe=False)
    page.get_by_role("button", name="Alles klopt nog: bevestigen").click()
    page.get_by_role("status").first.wait_for()
    watch.check()
    assert not page.get_by_text("Niet bevestigd sinds").count()

    watch.visit(_url("edit", org_a, pk=offers["shelter"].pk))
    watch.visit(_url("delete", org_a, pk=offers["shelter"].pk))


def test_a_worker_reads_and_an_outsider_gets_404(watch, login, cast, org_a, offers):
    page = watch.page
    login(cast["worker"])
    watch.visit(_url("list", org_a), axe=False)
    assert not page.get_by_role("link", name="Aanbod toevoegen").count()
    watch.visit(_url("detail", org_a, pk=offers["shelter"].pk))  # without the manage buttons
    assert not page.get_by_role("button", name="Archiveren").count()
    watch.visit(_url("edit", org_a, pk=offers["shelter"].pk), status=403, axe=False)

    page.context.clear_cookies()
    login(cast["outsider"])
    watch.visit(_url("list", org_a), status=404, axe=False)
    watch.visit(_url("detail", org_a, pk=offers["shelter"].pk), status=404, axe=False)


def test_the_offer_form_is_reachable_with_tab_and_shows_focus(watch, login, cast, org_a, offers):
    login(cast["coordinator"])
    watch.visit(_url("edit", org_a, pk=offers["stale"].pk), axe=False)
    assert_tab_reaches_everything(watch.page)

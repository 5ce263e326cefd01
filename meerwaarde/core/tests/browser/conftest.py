"""Real-browser fixtures: one Debian Chromium per test session, a fresh context per test.

The pages run under the real Content-Security-Policy; axe-core is evaluated through the
DevTools protocol, which CSP does not govern, so nothing is loosened for the test.
"""

import os
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from meerwaarde.accounts.constants import OrgRole, PlatformRole
from meerwaarde.accounts.tests.factories import PASSWORD, UserFactory
from meerwaarde.organisations import services as org_services
from meerwaarde.places.constants import Province
from meerwaarde.places.tests.factories import PlaceFactory

from .helpers import PageWatch

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} ontbreekt: installeer het Debian-pakket 'chromium'.")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread, which makes Django refuse the
    # ORM calls the tests make to set up data; those calls are synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def axe_source() -> str:
    path = Path(settings.NODE_MODULES) / "axe-core" / "axe.min.js"
    if not path.exists():
        pytest.skip(f"{path} ontbreekt: voer 'npm ci' uit.")
    return path.read_text(encoding="utf-8")


@pytest.fixture
def page(browser, live_server):
    """A page in its own context (own cookies), watched for console errors and CSP violations."""
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def watch(page, axe_source, live_server) -> PageWatch:
    """Visits pages and checks each with axe-core, the console and the CSP report."""
    watch = PageWatch(page, axe_source, live_server.url)
    yield watch
    watch.assert_clean()  # whatever the last action of the test logged


@pytest.fixture
def places(transactional_db):
    """A handful of places: enough for autocomplete, one name shared by two provinces."""
    return {
        "zwolle": PlaceFactory(name="Zwolle", province=Province.OVERIJSSEL, population=130_000),
        "deventer": PlaceFactory(name="Deventer", province=Province.OVERIJSSEL, population=100_000),
        "hengelo_ov": PlaceFactory(name="Hengelo", province=Province.OVERIJSSEL, population=81_000),
        "hengelo_gld": PlaceFactory(
            name="Hengelo", province=Province.GELDERLAND, latitude=52.05, population=9_000
        ),
    }


@pytest.fixture
def cast(transactional_db, places, alice, bob, carol, charlie, org_a, org_b):
    """Every role of the issue, as users who log in with ``PASSWORD``."""
    org_a.place = places["zwolle"]
    org_a.save()
    return {
        "worker": bob,
        "coordinator": carol,
        "org_admin": alice,
        "outsider": charlie,
        "editor": UserFactory(
            email="editor@example.org", full_name="Eva Redactie", platform_role=PlatformRole.EDITOR
        ),
        "sector_analyst": UserFactory(
            email="analyst@example.org",
            full_name="Sanne Sector",
            platform_role=PlatformRole.SECTOR_ANALYST,
        ),
        "platform_admin": UserFactory(
            email="platform@example.org",
            full_name="Pim Platform",
            platform_role=PlatformRole.PLATFORM_ADMIN,
        ),
    }


@pytest.fixture
def vocabulary(transactional_db) -> None:
    """The real seed vocabulary, loaded the way the set-up script loads it."""
    call_command("load_vocabulary", stdout=StringIO())


@pytest.fixture
def invitation_url(cast, org_a, live_server):
    """The accept link of an open invitation for someone without an account yet."""
    mail.outbox.clear()
    org_services.invitation_create(
        organisation=org_a,
        email="nieuw@example.org",
        role=OrgRole.WORKER,
        invited_by=cast["org_admin"],
        accept_url=live_server.url
        + reverse("organisations:invitation_accept", kwargs={"token": "TOKEN"}).replace(
            "TOKEN", "{token}"
        ),
    )
    match = re.search(r"https?://\S+/uitnodiging/\S+/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0)


@pytest.fixture
def login(page):
    """Log in through the real form: ``login(user)``; lands on the dashboard."""

    def do(user, password: str = PASSWORD):
        page.goto(reverse("accounts:login"))
        page.get_by_label("E-mailadres").fill(user.email)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url(re.compile(re.escape(reverse("core:dashboard")) + "$"))
        return page

    return do

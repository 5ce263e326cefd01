import pytest
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _menu(client) -> list[str]:
    import re

    html = client.get(reverse("core:home"), follow=True).content.decode()
    return re.findall(r'data-menu="([a-z_]+)"', html)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_shows_anonymous_visitors_only_public_items():
    assert _menu(Client()) == ["home", "directory", "vocabulary", "login"]


def test_it_shows_each_organisation_role_exactly_its_menu(bob_client, carol_client, alice_client):
    assert _menu(bob_client) == [
        "dashboard",
        "organisation",
        "offers",
        "participants",
        "activities",
        "instruments",
        "mappings",
        "shared",
        "directory",
        "vocabulary",
    ]
    assert _menu(carol_client) == [
        "dashboard",
        "organisation",
        "offers",
        "participants",
        "activities",
        "instruments",
        "results",
        "programmes",
        "reports",
        "mappings",
        "sharing",
        "import",
        "export",
        "jobs",
        "shared",
        "directory",
        "vocabulary",
    ]
    assert _menu(alice_client) == [
        "dashboard",
        "organisation",
        "offers",
        "participants",
        "activities",
        "instruments",
        "results",
        "programmes",
        "reports",
        "mappings",
        "members",
        "sharing",
        "import",
        "export",
        "jobs",
        "shared",
        "directory",
        "vocabulary",
    ]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("editor", ["dashboard", "directory", "vocabulary", "curation"]),
        ("sector_analyst", ["dashboard", "directory", "vocabulary", "sector"]),
        (
            "platform_admin",
            ["dashboard", "directory", "vocabulary", "curation", "sector", "all_organisations"],
        ),
    ],
)
def test_it_shows_each_platform_role_exactly_its_menu(platform_user, role, expected):
    assert _menu(_client(platform_user(role))) == expected


def test_it_marks_the_current_page_in_the_menu(bob_client):
    html = bob_client.get(reverse("core:dashboard")).content.decode()
    assert 'data-menu="dashboard" href="/overzicht/" aria-current="page"' in html


def test_it_renders_the_shell_in_dutch_with_a_skip_link_and_the_geonames_credit():
    html = Client().get(reverse("core:home")).content.decode()
    assert '<html lang="nl"' in html
    assert 'href="#inhoud"' in html and 'id="inhoud"' in html
    assert "GeoNames" in html and "CC BY 4.0" in html


def test_it_switches_to_english_and_back():
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert '<html lang="en"' in client.get("/").content.decode()
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    assert '<html lang="nl"' in client.get("/").content.decode()


def test_it_sends_a_strict_content_security_policy():
    response = Client().get(reverse("core:home"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "http" not in policy  # no external hosts
    assert "frame-ancestors 'none'" in policy


def test_it_has_no_inline_scripts_or_styles_on_the_home_page():
    html = Client().get(reverse("core:home")).content.decode()
    assert "<script>" not in html and "style=" not in html and "onclick" not in html


@override_settings(DEBUG=False)
def test_it_shows_a_dutch_404_page():
    response = Client().get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_it_shows_a_dutch_403_page(org_a, bob_client):
    response = bob_client.get(reverse("organisations:members", kwargs={"slug": org_a.slug}))
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()


def test_it_renders_the_500_page_without_a_database_or_request():
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "Er ging iets mis" in html


def test_it_shows_the_dashboard_panels_that_belong_to_the_role(alice_client, platform_user):
    html = alice_client.get(reverse("core:dashboard")).content.decode()
    assert 'data-panel="organisation"' in html
    assert 'data-panel="platform"' not in html
    html = _client(platform_user("sector_analyst")).get(reverse("core:dashboard")).content.decode()
    assert 'data-panel="sector"' in html
    assert 'data-panel="organisation"' not in html


def test_it_tells_a_user_without_organisation_what_to_do(db):
    from meerwaarde.accounts.tests.factories import UserFactory

    html = _client(UserFactory()).get(reverse("core:dashboard")).content.decode()
    assert 'data-panel="empty"' in html


def test_it_shows_the_sector_page_only_to_sector_roles(platform_user, alice_client):
    assert alice_client.get(reverse("bundling:sector")).status_code == 403
    response = _client(platform_user("sector_analyst")).get(reverse("bundling:sector"))
    assert response.status_code == 200
    assert "Overijssel" in response.content.decode()


def test_it_stays_dutch_for_an_english_browser_until_the_user_switches():
    client = Client(headers={"accept-language": "en-US,en;q=0.9"})
    assert '<html lang="nl"' in client.get("/").content.decode()

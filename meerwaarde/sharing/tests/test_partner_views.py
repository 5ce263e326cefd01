import datetime
import re
import sys
import types

import pytest
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from meerwaarde.accounts.constants import OrgRole
from meerwaarde.organisations.active import SESSION_KEY
from meerwaarde.organisations.tests.factories import MembershipFactory
from meerwaarde.participants.tests.factories import ParticipantFactory
from meerwaarde.sharing.models import GrantKind
from meerwaarde.sharing.tests.factories import AccessGrantFactory, programme_for, report_for

pytestmark = pytest.mark.django_db

END = datetime.date(2026, 6, 30)


def _shared(grant) -> str:
    return reverse("sharing:shared_detail", kwargs={"pk": grant.pk})


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


@pytest.fixture
def grant(org_a, municipality, small_and_big, today):
    """A's dashboard for the small offer, shared with the municipality; today is its last day."""
    small, _big = small_and_big
    today(END)
    return AccessGrantFactory(
        organisation=org_a, partner=municipality, filters={"aanbod": str(small.pk)}, ends_on=END
    )


def test_it_lists_what_was_shared_with_the_partner_and_until_when(mona_client, grant):
    html = mona_client.get(reverse("sharing:shared_list")).content.decode()

    assert f'href="{_shared(grant)}"' in html
    assert "Resultaten van Welzijn Alfa" in html
    assert "Aanbod: Kleine groep" in html
    assert "30 juni 2026" in html


def test_it_shows_an_empty_partner_area(mona_client):
    html = mona_client.get(reverse("sharing:shared_list")).content.decode()

    assert 'data-empty="shared"' in html


def test_it_shows_the_partner_the_granted_selection_only(mona_client, grant):
    response = mona_client.get(_shared(grant))

    assert response.status_code == 200
    text = _text(response.content.decode())
    assert "Resultaten van Welzijn Alfa" in text
    assert "Aanbod: Kleine groep" in text
    # 40 reached by the small offer; the big one's 70 (or the sum, 110) is not shared.
    assert re.search(r"\b40\b", text) and not re.search(r"\b(70|110)\b", text)


def test_it_ignores_filters_the_partner_adds_to_the_address(
    mona_client, grant, small_and_big, today
):
    today(END)
    _small, big = small_and_big

    text = _text(
        mona_client.get(_shared(grant), {"aanbod": big.pk, "f-aanbod": big.pk}).content.decode()
    )

    assert re.search(r"\b40\b", text) and not re.search(r"\b(70|110)\b", text)


def test_it_hides_figures_of_too_few_participants(mona_client, grant):
    html = mona_client.get(_shared(grant)).content.decode()

    assert "te weinig deelnemers" in html
    assert "Bij 3 deelnemers" not in html


def test_it_shows_no_participant_links_and_no_filters_or_downloads(mona_client, grant):
    html = _main(mona_client.get(_shared(grant)).content.decode())

    assert "/deelnemers/" not in html
    assert "/resultaten/" not in html  # no links to the owner's dashboard or its CSV
    assert "<select" not in html and 'name="aanbod"' not in html


def test_it_shows_the_grant_on_its_last_day_and_404_the_day_after(mona_client, grant, today):
    today(END)
    assert mona_client.get(_shared(grant)).status_code == 200

    today(END + datetime.timedelta(days=1))
    assert mona_client.get(_shared(grant)).status_code == 404
    assert (
        f'href="{_shared(grant)}"'
        not in mona_client.get(reverse("sharing:shared_list")).content.decode()
    )


def test_it_answers_404_after_a_revoke(mona_client, grant):
    grant.revoked_at = timezone.now()
    grant.save()

    assert mona_client.get(_shared(grant)).status_code == 404


def test_it_answers_404_for_a_grant_to_another_organisation(
    mona_client, charlie_client, org_a, org_b, municipality
):
    other = AccessGrantFactory(organisation=org_a, partner=org_b)
    mine = AccessGrantFactory(organisation=org_a, partner=municipality)

    assert mona_client.get(_shared(other)).status_code == 404
    assert charlie_client.get(_shared(mine)).status_code == 404
    missing = reverse("sharing:shared_detail", kwargs={"pk": 999999})
    assert mona_client.get(missing).status_code == 404


def test_it_gives_the_partner_nothing_else_of_the_owner(mona_client, org_a, grant):
    participant = ParticipantFactory(organisation=org_a)
    for url in [
        reverse("analysis:dashboard", kwargs={"slug": org_a.slug}),
        reverse("analysis:csv", kwargs={"slug": org_a.slug}) + "?tabel=activiteit",
        reverse("participants:list", kwargs={"slug": org_a.slug}),
        reverse("participants:detail", kwargs={"slug": org_a.slug, "pk": participant.pk}),
        reverse("offers:list", kwargs={"slug": org_a.slug}),
        reverse("sharing:overview", kwargs={"slug": org_a.slug}),
        reverse("organisations:detail", kwargs={"slug": org_a.slug}),
    ]:
        assert mona_client.get(url).status_code == 404, url


def test_it_follows_the_organisation_the_user_works_in_now(mona, mona_client, org_b, grant):
    MembershipFactory(user=mona, organisation=org_b, role=OrgRole.COORDINATOR)
    session = mona_client.session
    session[SESSION_KEY] = grant.partner_id
    session.save()
    assert mona_client.get(_shared(grant)).status_code == 200

    session[SESSION_KEY] = org_b.pk
    session.save()
    assert mona_client.get(_shared(grant)).status_code == 404


def test_it_needs_a_membership_for_the_partner_area(client, platform_user):
    client.force_login(platform_user("sector_analyst"))

    assert client.get(reverse("sharing:shared_list")).status_code == 404


def test_it_sends_anonymous_visitors_to_log_in(client, grant):
    assert client.get(_shared(grant)).status_code == 302
    assert client.get(reverse("sharing:shared_list")).status_code == 302


def test_it_shows_a_notice_when_the_granted_offer_no_longer_exists(mona_client, grant):
    grant.filters = {"aanbod": "999999"}  # as if the offer had gone
    grant.save()

    html = mona_client.get(_shared(grant)).content.decode()

    assert 'data-figures="invalid"' in html
    assert "te weinig deelnemers" not in html and "Grote groep" not in html


@pytest.mark.parametrize(
    ("kind", "module", "function"),
    [
        (GrantKind.REPORT, "meerwaarde.reports.views", "shared_report"),
        (GrantKind.PROGRAMME, "meerwaarde.programmes.views", "shared_programme"),
    ],
)
def test_it_hands_reports_and_programmes_to_their_apps(
    monkeypatch, mona_client, org_a, municipality, kind, module, function
):
    fields = (
        {"report": report_for(org_a)}
        if kind == GrantKind.REPORT
        else {"programme": programme_for(org_a)}
    )
    grant = AccessGrantFactory(organisation=org_a, partner=municipality, kind=kind, **fields)
    seen = []

    def render(request, given):
        seen.append(given)
        return HttpResponse("gedeeld")

    monkeypatch.setitem(sys.modules, module, types.SimpleNamespace(**{function: render}))

    response = mona_client.get(_shared(grant))

    assert response.content == b"gedeeld" and seen == [grant]


def test_it_shows_a_shared_report_through_the_reports_app(mona_client, org_a, municipality):
    report = report_for(org_a, title="Verantwoording Wmo 2025")
    grant = AccessGrantFactory(
        organisation=org_a, partner=municipality, kind=GrantKind.REPORT, report=report
    )

    response = mona_client.get(_shared(grant))

    assert response.status_code == 200
    assert "Verantwoording Wmo 2025" in response.content.decode()
    grant.revoked_at = timezone.now()
    grant.save()
    assert mona_client.get(_shared(grant)).status_code == 404


def test_it_shows_a_shared_programme_through_the_programmes_app(mona_client, org_a, municipality):
    programme = programme_for(org_a, name="Samen tegen eenzaamheid")
    grant = AccessGrantFactory(
        organisation=org_a, partner=municipality, kind=GrantKind.PROGRAMME, programme=programme
    )

    response = mona_client.get(_shared(grant))

    assert response.status_code == 200
    assert "Samen tegen eenzaamheid" in _main(response.content.decode())
    grant.revoked_at = timezone.now()
    grant.save()
    assert mona_client.get(_shared(grant)).status_code == 404

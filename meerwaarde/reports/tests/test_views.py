"""The report pages: tenancy, the form, the report page with its progress, the downloads,
and a partner's view through an access grant."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meerwaarde.accounts.constants import OrgRole
from meerwaarde.accounts.tests.factories import UserFactory
from meerwaarde.organisations.tests.factories import MembershipFactory
from meerwaarde.reports.constants import ReportFormat, ReportStatus
from meerwaarde.reports.models import Report
from meerwaarde.reports.views import shared_report
from meerwaarde.sharing.models import AccessGrant, GrantKind

from .helpers import new_report

pytestmark = pytest.mark.django_db

START, END = datetime.date(2025, 1, 1), datetime.date(2025, 12, 1)


def _url(name: str, report: Report, *args) -> str:
    return reverse(f"reports:{name}", args=[report.organisation.slug, report.pk, *args])


@pytest.fixture
def report(org_a, municipality):
    return new_report(org_a, municipality, START, END, title="Verantwoording 2025")


@pytest.fixture
def ready(report, tmp_path):
    """The report as a finished rendering leaves it (small stand-in files)."""
    from django.core.files.base import ContentFile

    report.pdf_file.save("v.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    report.xlsx_file.save("v.xlsx", ContentFile(b"PK excel"), save=False)
    report.csv_file.save("v.zip", ContentFile(b"PK zip"), save=False)
    report.html_file.save("v.html", ContentFile(b"<p data-inhoud>De inhoud</p>"), save=False)
    report.status = ReportStatus.READY
    report.steps_done = report.steps_total = 5
    report.rendered_at = timezone.now()
    report.save()
    return report


def _form_data(**overrides) -> dict:
    data = {
        "title": "Verantwoording 2025",
        "funder": "",
        "funder_name": "",
        "start": "2025-01",
        "end": "2025-12",
        "include_programmes": "on",
        "verhalen-TOTAL_FORMS": "1",
        "verhalen-INITIAL_FORMS": "0",
        "verhalen-MIN_NUM_FORMS": "0",
        "verhalen-MAX_NUM_FORMS": "1000",
        "verhalen-0-title": "",
        "verhalen-0-text": "",
        "verhalen-0-ORDER": "",
    }
    data.update(overrides)
    return data


# Tenancy -----------------------------------------------------------------------------------


def test_another_organisation_gets_404_on_every_page(charlie_client, ready):
    slug = ready.organisation.slug
    for url in (
        reverse("reports:list", args=[slug]),
        reverse("reports:create", args=[slug]),
        _url("detail", ready),
        _url("edit", ready),
        _url("status", ready),
        _url("download", ready, "pdf"),
    ):
        assert charlie_client.get(url).status_code == 404, url
    assert charlie_client.post(_url("render", ready)).status_code == 404


def test_a_report_of_another_organisation_is_404_under_ones_own_slug(org_b, charlie_client, ready):
    url = reverse("reports:detail", args=[org_b.slug, ready.pk])
    assert charlie_client.get(url).status_code == 404


def test_a_worker_may_not_open_reports(bob_client, report):
    assert (
        bob_client.get(reverse("reports:list", args=[report.organisation.slug])).status_code == 403
    )


# List --------------------------------------------------------------------------------------


def test_the_list_says_what_to_do_when_there_are_none(carol_client, org_a):
    html = carol_client.get(reverse("reports:list", args=[org_a.slug])).content.decode()
    assert 'data-empty="reports"' in html
    assert reverse("reports:create", args=[org_a.slug]) in html


def test_the_list_pages_by_twenty(carol_client, org_a, municipality):
    for i in range(21):
        new_report(org_a, municipality, START, END, title=f"Verantwoording {i:02d}")
    first = carol_client.get(reverse("reports:list", args=[org_a.slug])).content.decode()
    second = carol_client.get(reverse("reports:list", args=[org_a.slug]) + "?pagina=2")
    assert first.count("data-report=") == 20
    assert second.content.decode().count("data-report=") == 1
    assert "Verantwoording 00" in second.content.decode()  # the oldest last


# The form ----------------------------------------------------------------------------------


def test_it_creates_a_report_with_a_funder_offers_and_ordered_stories(
    carol_client, carol, org_a, municipality, outcomes
):
    offer = outcomes.offer(name="Maatjes Alfa")
    data = _form_data(
        funder=str(municipality.pk),
        offers=[str(offer.pk)],
        **{
            "verhalen-TOTAL_FORMS": "2",
            "verhalen-0-title": "Tweede verhaal",
            "verhalen-0-text": "Tekst twee.",
            "verhalen-0-ORDER": "2",
            "verhalen-1-title": "Eerste verhaal",
            "verhalen-1-text": "Tekst een.",
            "verhalen-1-ORDER": "1",
        },
    )
    response = carol_client.post(reverse("reports:create", args=[org_a.slug]), data)
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("detail", report)
    assert report.funder == municipality and report.created_by == carol
    assert (report.start, report.end, report.status) == (START, END, ReportStatus.DRAFT)
    assert list(report.offers.all()) == [offer]
    assert list(report.stories.values_list("title", flat=True)) == [
        "Eerste verhaal",
        "Tweede verhaal",
    ]


def test_a_funder_off_the_platform_is_a_name(carol_client, org_a):
    carol_client.post(
        reverse("reports:create", args=[org_a.slug]),
        _form_data(funder="anders", funder_name="Fonds Noord"),
    )
    report = Report.objects.get()
    assert report.funder is None and report.funder_label == "Fonds Noord"


def test_errors_come_back_with_everything_typed(carol_client, org_a, municipality):
    data = _form_data(
        funder="anders",
        start="2025-12",
        end="2025-01",
        **{"verhalen-0-title": "Over mevrouw", "verhalen-0-text": "Bel haar op 06-12345678."},
    )
    response = carol_client.post(reverse("reports:create", args=[org_a.slug]), data)
    html = response.content.decode()
    assert response.status_code == 200 and not Report.objects.exists()
    assert 'id="mw-form-errors"' in html and 'id="mw-story-errors"' in html
    assert "Vul de naam van de financier in." in html
    assert "De laatste maand ligt vóór de eerste" in html
    assert "Haal het telefoonnummer weg" in html
    assert 'value="Verantwoording 2025"' in html and '<option value="anders" selected>' in html
    assert "Bel haar op 06-12345678." in html  # kept, so it can be corrected
    assert 'href="#id_funder_name_error"' in html


def test_a_report_needs_a_funder(carol_client, org_a):
    html = carol_client.post(reverse("reports:create", args=[org_a.slug]), _form_data()).content
    assert "Kies een financier" in html.decode() and not Report.objects.exists()


def test_another_story_form_is_added_without_saving(carol_client, org_a):
    data = _form_data(verhaal_toevoegen="1", **{"verhalen-0-title": "Eén"})
    html = carol_client.post(reverse("reports:create", args=[org_a.slug]), data).content.decode()
    assert 'name="verhalen-1-title"' in html and 'value="Eén"' in html
    assert not Report.objects.exists() and 'id="mw-form-errors"' not in html


def test_the_form_warns_not_to_identify_participants(carol_client, org_a):
    html = carol_client.get(reverse("reports:create", args=[org_a.slug])).content.decode()
    assert "data-privacy-warning" in html and "te herkennen" in html


def test_editing_makes_it_a_draft_again_and_drops_the_old_files(
    carol_client, ready, django_capture_on_commit_callbacks
):
    name, storage = ready.pdf_file.name, ready.pdf_file.storage
    data = _form_data(title="Nieuwe titel", funder=str(ready.funder_id))
    with django_capture_on_commit_callbacks(execute=True):
        response = carol_client.post(_url("edit", ready), data)
    assert response.status_code == 302
    ready.refresh_from_db()
    assert ready.title == "Nieuwe titel" and ready.status == ReportStatus.DRAFT
    assert not ready.has_files and not storage.exists(name)


def test_the_edit_form_shows_the_report(carol_client, ready):
    html = carol_client.get(_url("edit", ready)).content.decode()
    assert 'value="Verantwoording 2025"' in html and 'value="2025-01"' in html


# The report page, progress and downloads --------------------------------------------------


def test_make_queues_it_and_the_page_polls_for_progress(carol_client, report):
    response = carol_client.post(_url("render", report))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED
    html = carol_client.get(_url("detail", report)).content.decode()
    assert 'role="status" aria-live="polite"' in html
    assert 'hx-trigger="every 2s"' in html and _url("status", report) in html
    assert "<script" not in html.split("</head>")[1]


def test_the_status_answers_with_a_change_only_when_there_is_one(carol_client, report):
    Report.objects.filter(pk=report.pk).update(
        status=ReportStatus.RUNNING, steps_done=2, steps_total=5
    )
    url = _url("status", report)
    unchanged = carol_client.get(url + "?stand=running-2").content.decode()
    assert 'hx-trigger="every 2s"' in unchanged and "hx-swap-oob" not in unchanged
    changed = carol_client.get(url + "?stand=running-1").content.decode()
    assert 'hx-swap-oob="innerHTML"' in changed and "Stap 3 van 5" in changed
    assert "?stand=running-2" in changed


def test_the_status_stops_polling_and_offers_downloads_when_ready(carol_client, ready):
    html = carol_client.get(_url("status", ready) + "?stand=running-4").content.decode()
    assert "every 2s" not in html
    assert _url("download", ready, "pdf") in html and _url("download", ready, "excel") in html


def test_a_failure_shows_its_message_and_a_retry(carol_client, report):
    Report.objects.filter(pk=report.pk).update(
        status=ReportStatus.FAILED, error="Het maken is mislukt."
    )
    html = carol_client.get(_url("detail", report)).content.decode()
    assert "Het maken is mislukt." in html and "Opnieuw proberen" in html


def test_make_is_refused_while_it_runs(carol_client, report):
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, steps_total=5)
    response = carol_client.post(_url("render", report), follow=True)
    assert "wordt al gemaakt" in response.content.decode()


def test_the_ready_page_shows_the_content_and_downloads(carol_client, ready):
    html = carol_client.get(_url("detail", ready)).content.decode()
    assert "<p data-inhoud>De inhoud</p>" in html
    response = carol_client.get(_url("download", ready, "pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.7 test"
    assert 'filename="verantwoording-2025.pdf"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_no_download_before_it_is_ready_or_of_an_unknown_format(carol_client, report, ready):
    assert carol_client.get(_url("download", ready, "docx")).status_code == 404
    Report.objects.filter(pk=ready.pk).update(status=ReportStatus.RUNNING)
    assert carol_client.get(_url("download", ready, "pdf")).status_code == 404


# A partner, through a grant ----------------------------------------------------------------


@pytest.fixture
def mona(municipality):
    user = UserFactory(email="mona@example.org", full_name="Mona Gemeente")
    MembershipFactory(user=user, organisation=municipality, role=OrgRole.WORKER)
    client = Client()
    client.force_login(user)
    return client


def _grant(report, partner, **fields) -> AccessGrant:
    fields.setdefault("ends_on", timezone.localdate() + datetime.timedelta(days=30))
    return AccessGrant.objects.create(
        organisation=report.organisation,
        partner=partner,
        kind=GrantKind.REPORT,
        report=report,
        **fields,
    )


def test_a_partner_with_an_active_grant_downloads_each_file(mona, ready, municipality):
    grant = _grant(ready, municipality)
    for fmt in ReportFormat.values:
        url = reverse("shared_reports:download", args=[grant.pk, fmt])
        assert mona.get(url).status_code == 200, fmt


def test_after_the_end_date_or_revoked_a_partner_gets_404(mona, ready, municipality):
    ended = _grant(ready, municipality, ends_on=timezone.localdate() - datetime.timedelta(days=1))
    revoked = _grant(ready, municipality, revoked_at=timezone.now())
    for grant in (ended, revoked):
        assert (
            mona.get(reverse("shared_reports:download", args=[grant.pk, "pdf"])).status_code == 404
        )


def test_another_partner_gets_404_on_the_grant(charlie_client, ready, municipality):
    grant = _grant(ready, municipality)
    url = reverse("shared_reports:download", args=[grant.pk, "pdf"])
    assert charlie_client.get(url).status_code == 404


def test_the_shared_page_links_to_the_grant_checked_downloads(rf, ready, municipality):
    grant = _grant(ready, municipality)
    request = rf.get(f"/gedeeld/{grant.pk}/")
    request.user = UserFactory()
    request.session = {}
    html = shared_report(request, grant).content.decode()
    assert reverse("shared_reports:download", args=[grant.pk, "pdf"]) in html
    assert "<p data-inhoud>De inhoud</p>" in html
    assert _url("download", ready, "pdf") not in html and _url("edit", ready) not in html

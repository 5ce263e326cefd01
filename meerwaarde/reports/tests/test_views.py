"""The report pages: tenancy, the form, the report page with its progress, the downloads,
and a partner's view through an access grant."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meerwaarde.accounts.constants import OrgRole
from meerwaarde.accounts.tests.factories import UserFactory
from meerwaarde.jobs import progress as job_files
from meerwaarde.jobs.constants import JobKind, JobStatus
from meerwaarde.jobs.models import Job
from meerwaarde.jobs.tests.factories import JobFactory
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
    report.rendered_at = timezone.now()
    report.save()
    return report


def _job(report: Report, status: str, **fields) -> Job:
    """The report's rendering job in ``status`` (as the jobs app leaves it)."""
    job = JobFactory(
        organisation=report.organisation,
        kind=JobKind.REPORT,
        status=status,
        title=f"Verantwoording maken: {report.title}",
        task_path="meerwaarde.reports.tasks.report_render_task",
        payload={"report": report.pk},
        total=5,
        **fields,
    )
    Report.objects.filter(pk=report.pk).update(job=job)
    report.refresh_from_db()
    return job


def _running(report: Report, done: int = 2) -> Job:
    job = _job(report, JobStatus.RUNNING, started_at=timezone.now() - datetime.timedelta(seconds=4))
    job_files.progress_write(job.pk, done=done, total=5, attempt=1)
    return job


def _job_url(name: str, job: Job) -> str:
    return reverse(f"jobs:{name}", args=[job.organisation.slug, job.pk])


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
    job = _job(ready, JobStatus.FAILED, error="Mislukt.")
    for url in (
        reverse("reports:list", args=[slug]),
        reverse("reports:create", args=[slug]),
        _url("detail", ready),
        _url("edit", ready),
        _url("download", ready, "pdf"),
        _job_url("detail", job),
        _job_url("progress", job),
    ):
        assert charlie_client.get(url).status_code == 404, url
    for url in (_url("render", ready), _job_url("cancel", job), _job_url("retry", job)):
        assert charlie_client.post(url).status_code == 404, url
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.attempts == 1


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


def test_make_queues_a_job_and_the_page_shows_its_progress(
    carol_client, carol, report, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = carol_client.post(_url("render", report))
    assert response.status_code == 302 and response["Location"] == _url("detail", report)
    report.refresh_from_db()
    assert report.state == ReportStatus.QUEUED and report.job.created_by == carol
    html = carol_client.get(_url("detail", report)).content.decode()
    # The jobs fragment: its live region, polling every second, the cancel button.
    assert 'role="status" aria-live="polite"' in html
    assert f'hx-get="{_job_url("progress", report.job)}?stand=queued' in html
    assert 'hx-trigger="every 1s"' in html and "data-cancel" in html
    assert 'name="next" value="' + _url("detail", report) + '"' in html
    # The files part listens for the job's end instead of polling itself.
    assert 'hx-trigger="mw-job-ended from:body"' in html and 'hx-select="#mw-report-files"' in html
    assert "data-render" not in html
    assert "<script" not in html.split("</head>")[1]


def test_the_page_shows_the_steps_done_and_the_time_left(carol_client, report):
    _running(report, done=2)
    html = carol_client.get(_url("detail", report)).content.decode()
    assert "2 van 5 stappen, nog minder dan een minuut" in html
    assert 'value="40"' in html and 'data-status="running"' in html


def test_the_progress_stops_polling_when_it_is_ready_and_the_page_offers_downloads(
    carol_client, ready
):
    job = _job(ready, JobStatus.DONE, done=5)
    poll = carol_client.get(_job_url("progress", job) + "?stand=running-80")
    assert "every 1s" not in poll.content.decode() and "mw-job-ended" in poll["HX-Trigger"]
    # What the files part fetches then: this page, with the downloads and "Opnieuw maken".
    html = carol_client.get(_url("detail", ready), HTTP_HX_REQUEST="true").content.decode()
    files = html[html.index('id="mw-report-files"') :]
    assert _url("download", ready, "pdf") in files and _url("download", ready, "excel") in files
    assert "Opnieuw maken" in files and 'id="mw-report-content"' in html


def test_a_failure_shows_its_dutch_message_and_a_retry(carol_client, ready):
    _job(ready, JobStatus.FAILED, error="Het maken is mislukt door een fout in Meerwaarde.")
    html = carol_client.get(_url("detail", ready)).content.decode()
    assert "Het maken is mislukt door een fout in Meerwaarde." in html
    assert "data-retry" in html and _job_url("retry", ready.job) in html
    # The files stay, but are not offered while the last rendering failed.
    assert _url("download", ready, "pdf") not in html and "data-render" not in html
    assert carol_client.get(_url("download", ready, "pdf")).status_code == 404
    assert ready.pdf_file.storage.exists(ready.pdf_file.name)


def test_retry_from_the_report_page_queues_the_job_again_and_comes_back(
    carol_client, report, django_capture_on_commit_callbacks
):
    job = _job(report, JobStatus.FAILED, error="Mislukt.")
    with django_capture_on_commit_callbacks(execute=True):
        response = carol_client.post(_job_url("retry", job), {"next": _url("detail", report)})
    assert response["Location"] == _url("detail", report)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.attempts == 2
    report.refresh_from_db()
    assert report.state == ReportStatus.QUEUED


def test_cancel_from_the_report_page_asks_the_job_to_stop_and_comes_back(carol_client, ready):
    job = _running(ready)
    response = carol_client.post(_job_url("cancel", job), {"next": _url("detail", ready)})
    assert response["Location"] == _url("detail", ready)
    assert job_files.cancel_requested(job.pk)
    html = carol_client.get(_url("detail", ready)).content.decode()
    assert "Wordt gestopt" in html


def test_a_cancelled_rendering_leaves_the_report_as_it_was(carol_client, ready):
    _job(ready, JobStatus.CANCELLED)
    html = carol_client.get(_url("detail", ready)).content.decode()
    assert "Geannuleerd." in html and _url("download", ready, "pdf") in html
    assert carol_client.get(_url("download", ready, "pdf")).status_code == 200


def test_make_is_refused_while_it_runs(carol_client, report):
    _running(report)
    response = carol_client.post(_url("render", report), follow=True)
    assert "wordt al gemaakt" in response.content.decode()
    assert Job.objects.count() == 1


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
    _running(ready)
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


def test_a_partner_gets_no_file_while_it_is_made_again(mona, ready, municipality, rf):
    grant = _grant(ready, municipality)
    _running(ready)
    url = reverse("shared_reports:download", args=[grant.pk, "pdf"])
    assert mona.get(url).status_code == 404
    request = rf.get(f"/gedeeld/{grant.pk}/")
    request.user = UserFactory()
    request.session = {}
    grant.report.refresh_from_db()
    html = shared_report(request, grant).content.decode()
    assert 'data-empty="files"' in html and url not in html


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

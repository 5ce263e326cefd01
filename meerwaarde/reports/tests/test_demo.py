import pytest

from meerwaarde.reports.demo import demo_reports
from meerwaarde.reports.models import Report, ReportStatus

pytestmark = pytest.mark.django_db


def test_the_demo_drafts_one_report_for_twelve_months_and_only_once(org_a, municipality):
    organisations = {"Welzijn Zwolle": org_a, "Gemeente Zwolle": municipality}
    assert demo_reports(organisations=organisations) == 1
    assert demo_reports(organisations=organisations) == 0
    report = Report.objects.get()
    assert report.funder == municipality and report.status == ReportStatus.DRAFT
    months = (report.end.year - report.start.year) * 12 + report.end.month - report.start.month
    assert months == 11 and report.stories.count() == 1

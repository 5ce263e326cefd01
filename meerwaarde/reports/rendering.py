"""Rendering a report: its content, then the page fragment, the PDF, the workbook and the CSV
zip, each a step the report page shows. Runs in the background task (``tasks.py``).

The PDF is tagged PDF/UA-1 (WeasyPrint): language, title, headings, tables with header cells
and captions, charts as figures with a text alternative, and the reading order of the HTML.
"""

import base64
import logging
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from meerwaarde.reports import exports
from meerwaarde.reports.constants import RENDER_STEPS, ReportStatus
from meerwaarde.reports.content import ReportContent, content_tables, report_content
from meerwaarde.reports.models import Report

logger = logging.getLogger(__name__)

REPORT_LANGUAGE = "nl"
_FILE_FIELDS = ("html_file", "pdf_file", "xlsx_file", "csv_file")


class ReportError(Exception):
    """A failure the coordinator can act on; its message (Dutch) is shown on the report page."""


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def html_fragment(content: ReportContent) -> str:
    """The report's body for the report page (headings from h2 down, charts as inline SVG)."""
    return render_to_string("reports/_content.html", {"content": content, "pdf": False})


def _font_dir() -> str:
    return (Path(settings.NODE_MODULES) / "@fontsource" / "noto-sans" / "files").as_uri()


def pdf_bytes(content: ReportContent) -> bytes:
    import weasyprint  # a heavy import: only the worker needs it

    html = render_to_string(
        "reports/pdf.html", {"content": content, "pdf": True, "font_dir": _font_dir()}
    )
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)


def _basename(report: Report) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return f"{slugify(report.title)[:60] or 'verantwoording'}-{stamp}"


def _step(report: Report, done: int) -> None:
    """Record progress at once (outside any transaction), so the report page can show it."""
    Report.objects.filter(pk=report.pk).update(
        status=ReportStatus.RUNNING, steps_done=done, updated_at=timezone.now()
    )


def report_render(*, report_id: int) -> None:
    """Render the report and keep its files; on failure the report says why, in Dutch.

    Each step commits its progress on its own. The new files replace the old ones only when
    every step succeeded; a failed rendering leaves no half set behind.
    """
    report = Report.objects.select_related("organisation", "funder").get(pk=report_id)
    Report.objects.filter(pk=report.pk).update(
        status=ReportStatus.RUNNING,
        steps_done=0,
        steps_total=len(RENDER_STEPS),
        error="",
        updated_at=timezone.now(),
    )
    written: list[FieldFile] = []
    old = {name: getattr(report, name).name for name in _FILE_FIELDS}
    base = _basename(report)
    try:
        with translation.override(REPORT_LANGUAGE):
            content = report_content(report=report)
            tables = content_tables(content)
            _step(report, 1)
            # One step each, in the order of RENDER_STEPS.
            parts: list[tuple[str, str, Callable[[], bytes]]] = [
                ("html_file", "html", lambda: html_fragment(content).encode("utf-8")),
                ("pdf_file", "pdf", lambda: pdf_bytes(content)),
                (
                    "xlsx_file",
                    "xlsx",
                    lambda: exports.xlsx_bytes(
                        tables, title=report.title, author=report.organisation.name
                    ),
                ),
                ("csv_file", "zip", lambda: exports.csv_zip_bytes(tables)),
            ]
            for done, (field_name, extension, make) in enumerate(parts, start=2):
                field = getattr(report, field_name)
                field.save(f"{base}.{extension}", ContentFile(make()), save=False)
                written.append(field)
                _step(report, done)
    except Exception as exc:
        for field in written:
            field.storage.delete(field.name)
        message = (
            str(exc)
            if isinstance(exc, ReportError)
            else _(
                "Het maken van de verantwoording is mislukt. Probeer het opnieuw; lukt het dan "
                "nog niet, neem dan contact op met de beheerder van Meerwaarde."
            )
        )
        logger.exception("Rendering report %s failed", report.pk)
        Report.objects.filter(pk=report.pk).update(
            status=ReportStatus.FAILED, error=message, updated_at=timezone.now()
        )
        raise
    report.status = ReportStatus.READY
    report.steps_done = report.steps_total = len(RENDER_STEPS)
    report.error = ""
    report.rendered_at = timezone.now()
    report.save(
        update_fields=[
            *_FILE_FIELDS,
            "status",
            "steps_done",
            "steps_total",
            "error",
            "rendered_at",
            "updated_at",
        ]
    )
    for name in old.values():
        if name:
            report.pdf_file.storage.delete(name)

"""Rendering a report: its content, then the page fragment, the PDF, the workbook and the CSV
zip, each a step its job counts. Runs in the report's background job (``tasks.py``).

The new files are written beside the old ones and take their place in one short transaction
at the end; a rendering that fails, is cancelled or is killed leaves the previous files (or
none) as they were, and deletes what it wrote.

The PDF is tagged PDF/UA-1 (WeasyPrint): language, title, headings, tables with header cells
and captions, charts as figures with a text alternative, and the reading order of the HTML.
"""

import base64
import logging
import posixpath
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from meerwaarde.jobs.services import JobCancelled
from meerwaarde.reports import exports
from meerwaarde.reports.constants import RENDER_STEPS, ReportStatus
from meerwaarde.reports.content import ReportContent, content_tables, report_content
from meerwaarde.reports.models import Report

logger = logging.getLogger(__name__)

REPORT_LANGUAGE = "nl"
FILE_FIELDS = ("html_file", "pdf_file", "xlsx_file", "csv_file")

# Called after each step with (steps done, steps in all); raises to stop (JobRun.progress).
Progress = Callable[[int, int], None]


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


def _no_progress(done: int, total: int) -> None:
    pass


def drop_strays(report: Report) -> None:
    """Delete files in the report's folder that none of its fields points at: what a killed
    rendering wrote before it could clean up."""
    field = report.pdf_file
    storage = field.storage
    folder = posixpath.dirname(field.field.generate_filename(report, "x"))
    try:
        _dirs, names = storage.listdir(folder)
    except FileNotFoundError:
        return
    kept = {getattr(report, name).name for name in FILE_FIELDS}
    for name in names:
        path = posixpath.join(folder, name)
        if path not in kept:
            storage.delete(path)


def _swap_in(report: Report, new: dict[str, str], *, job_id: int | None) -> None:
    """Point the report at the new files and delete the old ones, unless the report has
    moved on meanwhile (edited, or its rendering started again): then this rendering's files
    are not its files, and it stops as cancelled."""
    storage = report.pdf_file.storage
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if job_id is not None and locked.job_id != job_id:
            raise JobCancelled
        old = [getattr(locked, name).name for name in FILE_FIELDS]
        for name, path in new.items():
            setattr(locked, name, path)
        locked.status = ReportStatus.READY
        locked.rendered_at = timezone.now()
        locked.save(update_fields=[*FILE_FIELDS, "status", "rendered_at", "updated_at"])
        gone = [name for name in old if name and name not in new.values()]

        def delete_old() -> None:
            for name in gone:
                storage.delete(name)

        # robust: a file that cannot be deleted must not undo the committed swap.
        transaction.on_commit(delete_old, robust=True)


def report_render(
    *, report_id: int, progress: Progress | None = None, job_id: int | None = None
) -> None:
    """Render the report and keep its files; ``progress`` hears of every step and may stop
    the rendering by raising (a cancel). ``job_id``: the job rendering it, which must still be
    the report's job when the files are swapped in.

    Any exception leaves the report's files as they were and propagates; the job records it.
    """
    progress = progress or _no_progress
    total = len(RENDER_STEPS)
    report = Report.objects.select_related("organisation", "funder").get(pk=report_id)
    progress(0, total)
    written: dict[str, str] = {}
    storage = report.pdf_file.storage
    base = _basename(report)
    try:
        with translation.override(REPORT_LANGUAGE):
            content = report_content(report=report)
            tables = content_tables(content)
            progress(1, total)
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
                name = field.field.generate_filename(report, f"{base}.{extension}")
                written[field_name] = storage.save(name, ContentFile(make()))
                progress(done, total)
            _swap_in(report, written, job_id=job_id)
    except BaseException:
        for name in written.values():
            storage.delete(name)
        raise

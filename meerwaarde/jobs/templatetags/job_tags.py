from django import template

from meerwaarde.jobs.presentation import JobState, job_state, time_left_text
from meerwaarde.jobs.selectors import job_progress

register = template.Library()


@register.simple_tag
def job_state_for(job, next_url=None) -> JobState:
    """``{% job_state_for job next as state %}``: everything ``jobs/_progress.html`` shows."""
    return job_state(job, next_url=next_url)


@register.simple_tag
def job_progress_for(job):
    return job_progress(job)


@register.filter
def time_left(seconds: int | None) -> str:
    return time_left_text(seconds)

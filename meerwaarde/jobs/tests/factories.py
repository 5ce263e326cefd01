import factory

from meerwaarde.jobs.constants import JobKind, JobStatus
from meerwaarde.jobs.models import Job
from meerwaarde.organisations.tests.factories import OrganisationFactory


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    organisation = factory.SubFactory(OrganisationFactory)
    kind = JobKind.EXPORT
    status = JobStatus.QUEUED
    title = factory.Sequence(lambda n: f"Export {n}")
    task_path = "meerwaarde.jobs.tests.tasks.count_task"
    payload = factory.LazyFunction(lambda: {"n": 3})

import datetime

import factory

from meerwaarde.organisations.tests.factories import OrganisationFactory
from meerwaarde.sharing.models import AccessGrant, GrantKind


class AccessGrantFactory(factory.django.DjangoModelFactory):
    """A dashboard grant of the whole organisation, for a year from today."""

    class Meta:
        model = AccessGrant

    organisation = factory.SubFactory(OrganisationFactory)
    partner = factory.SubFactory(OrganisationFactory, kind="municipality")
    kind = GrantKind.DASHBOARD
    filters = factory.LazyFunction(dict)
    ends_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=365))


def report_for(organisation, **fields):
    """A report row as the reports app stores it (only what sharing needs of it)."""
    from meerwaarde.reports.models import Report

    fields.setdefault("title", "Verantwoording 2025")
    fields.setdefault("start", datetime.date(2025, 1, 1))
    fields.setdefault("end", datetime.date(2025, 12, 1))
    fields.setdefault("funder_name", "Gemeente Gamma")
    return Report.objects.create(organisation=organisation, **fields)


def programme_for(organisation, **fields):
    from meerwaarde.programmes.models import Programme

    fields.setdefault("name", "Samen tegen eenzaamheid")
    fields.setdefault("start_year", 2025)
    fields.setdefault("end_year", 2028)
    return Programme.objects.create(organisation=organisation, **fields)

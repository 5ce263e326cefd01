import factory

from meerwaarde.organisations.tests.factories import OrganisationFactory
from meerwaarde.programmes.constants import DataSource, Level
from meerwaarde.programmes.models import ManualValue, NodeTarget, Programme, ResultNode


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Programma {n}")
    start_year = 2025
    end_year = 2028


class ResultNodeFactory(factory.django.DjangoModelFactory):
    """A manual step; bind it with ``source=...`` and the binding fields."""

    class Meta:
        model = ResultNode

    programme = factory.SubFactory(ProgrammeFactory)
    level = Level.OUTPUT
    title = factory.Sequence(lambda n: f"Stap {n}")
    indicator = "Wat er geteld wordt."
    source = DataSource.MANUAL


class NodeTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NodeTarget

    node = factory.SubFactory(ResultNodeFactory)
    year = 2025
    value = 100


class ManualValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ManualValue

    node = factory.SubFactory(ResultNodeFactory)
    year = 2025
    value = 10
    source = "Gezondheidsmonitor GGD"

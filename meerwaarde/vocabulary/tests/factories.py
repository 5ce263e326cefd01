import factory

from meerwaarde.organisations.tests.factories import OrganisationFactory
from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept, ConceptScheme, LocalNameMapping


class ConceptSchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConceptScheme
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"lijst-{n}")
    label_nl = factory.Sequence(lambda n: f"Lijst {n}")
    label_en = factory.Sequence(lambda n: f"List {n}")


class ConceptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concept

    scheme = factory.SubFactory(ConceptSchemeFactory)
    code = factory.Sequence(lambda n: f"begrip-{n}")
    pref_label_nl = factory.Sequence(lambda n: f"Begrip {n}")
    pref_label_en = factory.Sequence(lambda n: f"Concept {n}")
    definition = "Een begrip om mee te testen."
    status = ConceptStatus.ACCEPTED


class LocalNameMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalNameMapping

    organisation = factory.SubFactory(OrganisationFactory)
    local_name = factory.Sequence(lambda n: f"Lokaal project {n}")
    concept = factory.SubFactory(ConceptFactory)

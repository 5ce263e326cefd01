"""Offers for tests. The factories write rows directly and send no signals: tests of what
follows an offer change (the search index) call the services, or send ``offer_changed``."""

import factory

from meerwaarde.offers.models import Offer, OfferLocation
from meerwaarde.organisations.tests.factories import OrganisationFactory
from meerwaarde.places.tests.factories import PlaceFactory
from meerwaarde.vocabulary.tests.factories import ConceptFactory, ConceptSchemeFactory


class InterventionTypeFactory(ConceptFactory):
    """An accepted concept in the intervention types list."""

    scheme = factory.SubFactory(ConceptSchemeFactory, code="intervention_types")
    code = factory.Sequence(lambda n: f"interventie-test-{n}")
    pref_label_nl = factory.Sequence(lambda n: f"Interventie {n}")


class OfferFactory(factory.django.DjangoModelFactory):
    """An active offer, confirmed today, with one location (``location=None`` for none).

    Concepts: ``OfferFactory(themes=[concept, ...])``, likewise ``target_groups`` and
    ``working_elements``.
    """

    class Meta:
        model = Offer
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Aanbod {n}")
    intervention_type = factory.SubFactory(InterventionTypeFactory)
    description = "Een aanbod om mee te testen."
    location = factory.RelatedFactory(
        "meerwaarde.offers.tests.factories.OfferLocationFactory", factory_related_name="offer"
    )

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.set(extracted)

    @factory.post_generation
    def target_groups(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.target_groups.set(extracted)

    @factory.post_generation
    def working_elements(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.working_elements.set(extracted)


class OfferLocationFactory(factory.django.DjangoModelFactory):
    """A location at a place, with the place's coordinates."""

    class Meta:
        model = OfferLocation

    offer = factory.SubFactory(OfferFactory, location=None)
    place = factory.SubFactory(PlaceFactory)
    latitude = factory.LazyAttribute(lambda o: o.place.latitude)
    longitude = factory.LazyAttribute(lambda o: o.place.longitude)

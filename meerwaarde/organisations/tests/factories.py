import factory

from meerwaarde.accounts.constants import OrgRole
from meerwaarde.accounts.tests.factories import UserFactory
from meerwaarde.organisations.constants import OrganisationKind
from meerwaarde.organisations.models import Membership, Organisation
from meerwaarde.places.tests.factories import PlaceFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Welzijn Testplaats {n}")
    slug = factory.Sequence(lambda n: f"welzijn-testplaats-{n}")
    kind = OrganisationKind.SOCIAL_WORK
    kvk_number = factory.Sequence(lambda n: f"{10_000_000 + n}")
    place = factory.SubFactory(PlaceFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = OrgRole.WORKER

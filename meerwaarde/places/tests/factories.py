import factory

from meerwaarde.places.constants import Province
from meerwaarde.places.models import Place
from meerwaarde.places.services import normalise_place_name


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        django_get_or_create = ("geonameid",)

    geonameid = factory.Sequence(lambda n: 9_000_000 + n)
    name = factory.Sequence(lambda n: f"Testdorp {n}")
    search_name = factory.LazyAttribute(lambda o: normalise_place_name(o.name))
    province = Province.OVERIJSSEL
    latitude = 52.5
    longitude = 6.1
    population = 1000

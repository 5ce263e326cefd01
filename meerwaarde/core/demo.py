"""A believable demo sector: organisations in every province, users for every role.

Idempotent: organisations are matched on KvK number, users on e-mail address, so running it
twice changes nothing. Demo passwords are printed, never used outside a demo database.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from meerwaarde.accounts.constants import OrgRole, PlatformRole
from meerwaarde.accounts.models import User
from meerwaarde.activities.generate import generate_activities
from meerwaarde.instruments.definition import shipped_data
from meerwaarde.instruments.models import Instrument
from meerwaarde.instruments.services import instruments_load_shipped
from meerwaarde.measurements.generate import generate_outcomes
from meerwaarde.offers.corpus import load_offer_corpus
from meerwaarde.offers.models import Offer
from meerwaarde.organisations import services as org_services
from meerwaarde.organisations.constants import OrganisationKind as K
from meerwaarde.organisations.models import Organisation
from meerwaarde.participants.pseudonyms import keys_create_for
from meerwaarde.places.models import Place
from meerwaarde.places.selectors import place_get_by_label
from meerwaarde.programmes.demo import demo_programmes
from meerwaarde.reports.demo import demo_reports
from meerwaarde.sharing.demo import demo_sharing
from meerwaarde.vocabulary.models import Concept
from meerwaarde.vocabulary.selectors import mapping_list
from meerwaarde.vocabulary.services import mapping_save

DEMO_PASSWORD = "Meerwaarde-demo-2026"  # noqa: S105 - printed on purpose for the demo

# name, kind, place label, member since (None: not a member), description
ORGANISATIONS: list[tuple[str, str, str, date | None, str]] = [
    (
        "Welzijn Zwolle",
        K.SOCIAL_WORK,
        "Zwolle",
        date(2015, 1, 1),
        "Sociaal werk in alle wijken van Zwolle: maatjes, schuldhulp en buurtwerk.",
    ),
    (
        "Sociaal Werk Deventer",
        K.SOCIAL_WORK,
        "Deventer",
        date(2017, 3, 1),
        "Opbouwwerk, jongerenwerk en mantelzorgondersteuning in Deventer.",
    ),
    (
        "Gemeente Zwolle",
        K.MUNICIPALITY,
        "Zwolle",
        None,
        "Opdrachtgever voor welzijn en de sociale basis.",
    ),
    (
        "Welzijnskwartier Assen",
        K.SOCIAL_WORK,
        "Assen",
        date(2016, 6, 1),
        "Welzijnswerk en vrijwillige inzet in Assen en omgeving.",
    ),
    ("Gemeente Emmen", K.MUNICIPALITY, "Emmen", None, "Gemeente met een eigen sociaal team."),
    (
        "Sociaal Werk Almere",
        K.SOCIAL_WORK,
        "Almere Stad",
        date(2018, 1, 1),
        "Buurtteams, opbouwwerk en jongerenwerk in Almere.",
    ),
    (
        "Gemeente Lelystad",
        K.MUNICIPALITY,
        "Lelystad",
        None,
        "Gemeente en opdrachtgever voor de sociale basis.",
    ),
    (
        "Welzijn Leeuwarden",
        K.SOCIAL_WORK,
        "Leeuwarden",
        date(2014, 9, 1),
        "Sociaal werk in Leeuwarden en de dorpen eromheen.",
    ),
    (
        "Vrijwilligerscentrale Drachten",
        K.VOLUNTEER,
        "Drachten",
        None,
        "Bemiddelt vrijwilligers en ondersteunt vrijwilligersorganisaties.",
    ),
    (
        "Sociaal Werk Arnhem",
        K.SOCIAL_WORK,
        "Arnhem",
        date(2015, 5, 1),
        "Wijkgericht sociaal werk en maatschappelijk werk in Arnhem.",
    ),
    (
        "Welzijn Nijmegen",
        K.SOCIAL_WORK,
        "Nijmegen",
        date(2016, 1, 1),
        "Ouderenwerk, statushoudersbegeleiding en buurtbemiddeling.",
    ),
    ("Gemeente Apeldoorn", K.MUNICIPALITY, "Apeldoorn", None, "Gemeente met sociale wijkteams."),
    (
        "Sociaal Werk Groningen",
        K.SOCIAL_WORK,
        "Groningen",
        date(2013, 1, 1),
        "Sociaal werk in stad en ommeland.",
    ),
    (
        "GGD Groningen",
        K.GGD,
        "Groningen",
        None,
        "Publieke gezondheid en preventie in de provincie Groningen.",
    ),
    (
        "Welzijn Maastricht",
        K.SOCIAL_WORK,
        "Maastricht",
        date(2015, 2, 1),
        "Sociaal werk en vroegsignalering in Maastricht-Heuvelland.",
    ),
    (
        "Huisartsenpraktijk De Maas",
        K.GP_PRACTICE,
        "Venlo",
        None,
        "Huisartsenpraktijk met praktijkondersteuners ggz.",
    ),
    (
        "Sociaal Werk Eindhoven",
        K.SOCIAL_WORK,
        "Eindhoven",
        date(2014, 4, 1),
        "Welzijn op Recept, maatjes en opbouwwerk in Eindhoven.",
    ),
    (
        "Welzijn Tilburg",
        K.SOCIAL_WORK,
        "Tilburg",
        date(2015, 10, 1),
        "Buurtbemiddeling, mantelzorg en schuldhulpmaatjes.",
    ),
    (
        "Gemeente 's-Hertogenbosch",
        K.MUNICIPALITY,
        "'s-Hertogenbosch",
        None,
        "Opdrachtgever sociaal domein.",
    ),
    (
        "Zorgverzekeraar Zuid",
        K.HEALTH_INSURER,
        "Breda",
        None,
        "Regionale zorgverzekeraar, partner in IZA-afspraken.",
    ),
    (
        "Sociaal Werk Haarlem",
        K.SOCIAL_WORK,
        "Haarlem",
        date(2016, 8, 1),
        "Sociaal werk, formulierenhulp en huisbezoeken aan ouderen.",
    ),
    (
        "Welzijn Amsterdam-Noord",
        K.SOCIAL_WORK,
        "Amsterdam",
        date(2012, 1, 1),
        "Sociaal werk in Amsterdam-Noord.",
    ),
    (
        "Kenniscentrum Sociaal Werk",
        K.KNOWLEDGE,
        "Amsterdam",
        None,
        "Onderzoek naar werkzame elementen in het sociaal werk.",
    ),
    (
        "Welzijn Utrecht-Oost",
        K.SOCIAL_WORK,
        "Utrecht",
        date(2017, 1, 1),
        "Buurtwerk en ouderenwerk in Utrecht-Oost.",
    ),
    (
        "Sociaal Werk Amersfoort",
        K.SOCIAL_WORK,
        "Amersfoort",
        date(2016, 3, 1),
        "Versterken van de sociale basis in Amersfoort.",
    ),
    (
        "Gemeente Utrecht",
        K.MUNICIPALITY,
        "Utrecht",
        None,
        "Opdrachtgever voor welzijn en buurtteams.",
    ),
    (
        "Welzijn Middelburg",
        K.SOCIAL_WORK,
        "Middelburg",
        date(2018, 5, 1),
        "Sociaal werk op Walcheren.",
    ),
    ("Gemeente Terneuzen", K.MUNICIPALITY, "Terneuzen", None, "Gemeente in Zeeuws-Vlaanderen."),
    (
        "Sociaal Werk Rotterdam-Zuid",
        K.SOCIAL_WORK,
        "Rotterdam",
        date(2013, 6, 1),
        "Sociaal werk op Rotterdam-Zuid: armoede, schulden en opvoeding.",
    ),
    (
        "Welzijn Leiden",
        K.SOCIAL_WORK,
        "Leiden",
        date(2015, 11, 1),
        "Maatschappelijk werk, jongerenwerk en mantelzorg in Leiden.",
    ),
    (
        "Gemeente Den Haag",
        K.MUNICIPALITY,
        "Den Haag",
        None,
        "Opdrachtgever voor welzijn en maatschappelijke opvang.",
    ),
    ("Zorggroep Delfland", K.CARE_PROVIDER, "Delft", None, "Wijkverpleging en ouderenzorg."),
    (
        "Buurtbedrijf Enschede",
        K.BUSINESS,
        "Enschede",
        None,
        "Sociaal ondernemer: werk en dagbesteding in de wijk.",
    ),
    (
        "Sociaal Werk Enschede",
        K.SOCIAL_WORK,
        "Enschede",
        date(2014, 2, 1),
        "Sociaal werk in Enschede, met inloop en opbouwwerk.",
    ),
]


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    platform_role: str = ""
    organisation: str = ""  # name; second organisations follow below
    role: str = ""
    also: tuple[tuple[str, str], ...] = ()


USERS = [
    DemoUser("beheer@meerwaarde.demo", "Pim Platform", PlatformRole.PLATFORM_ADMIN),
    DemoUser("redactie@meerwaarde.demo", "Ria Redactie", PlatformRole.EDITOR),
    DemoUser("analist@meerwaarde.demo", "Sanne Sector", PlatformRole.SECTOR_ANALYST),
    DemoUser(
        "beheerder@welzijnzwolle.demo",
        "Olga Oosterhof",
        organisation="Welzijn Zwolle",
        role=OrgRole.ORG_ADMIN,
    ),
    DemoUser(
        "coordinator@welzijnzwolle.demo",
        "Kees Kampen",
        organisation="Welzijn Zwolle",
        role=OrgRole.COORDINATOR,
    ),
    DemoUser(
        "werker@welzijnzwolle.demo",
        "Willemijn de Wit",
        organisation="Welzijn Zwolle",
        role=OrgRole.WORKER,
        also=(("Sociaal Werk Deventer", OrgRole.WORKER),),
    ),
    DemoUser(
        "beheerder@sociaalwerkdeventer.demo",
        "Daan Dijkstra",
        organisation="Sociaal Werk Deventer",
        role=OrgRole.ORG_ADMIN,
    ),
    DemoUser(
        "beleid@gemeentezwolle.demo",
        "Gerrit Gemeente",
        organisation="Gemeente Zwolle",
        role=OrgRole.COORDINATOR,
    ),
    DemoUser(
        "beheerder@welzijnmaastricht.demo",
        "Mira Maes",
        organisation="Welzijn Maastricht",
        role=OrgRole.ORG_ADMIN,
    ),
]


# Local names that demo organisations gave their offers, mapped to the uniform vocabulary.
MAPPINGS: dict[str, list[tuple[str, str]]] = {
    "Welzijn Zwolle": [
        ("Maatjesproject Zwolle", "interventie-maatjesproject"),
        ("SchuldHulpMaatje Zwolle", "interventie-schuldhulpmaatje"),
        ("Welzijn op Recept Zwolle-Zuid", "interventie-welzijn-op-recept"),
        ("Huiskamer Holtenbroek", "interventie-huiskamer"),
    ],
    "Sociaal Werk Deventer": [
        ("Buurtbemiddeling Deventer", "interventie-buurtbemiddeling"),
        ("Mantelzorgpunt Deventer", "interventie-mantelzorgondersteuning"),
        ("Jongerenwerk De Hoven", "interventie-jongerenwerk"),
    ],
    "Welzijn Maastricht": [
        ("Alzheimer Café Maastricht", "interventie-alzheimercafe"),
        ("Formulierenbrigade Heuvelland", "interventie-formulierenhulp"),
        ("Preventief huisbezoek 75+", "interventie-preventief-huisbezoek"),
    ],
    "Sociaal Werk Eindhoven": [
        ("Taalcafé Woensel", "interventie-taalcafe"),
        ("Vroeg Eropaf Eindhoven", "interventie-vroegsignalering-schulden"),
    ],
}


def _kvk(index: int) -> str:
    """Stable demo KvK numbers: 8 digits, starting 9 so they stand out as fictional."""
    return f"9{index:07d}"


@transaction.atomic
def demo_load() -> dict[str, int]:
    created_orgs = 0
    for index, (name, kind, place_label, since, description) in enumerate(ORGANISATIONS, 1):
        if Organisation.objects.filter(kvk_number=_kvk(index)).exists():
            continue
        place = (
            place_get_by_label(label=place_label)
            or Place.objects.filter(name=place_label).order_by("-population").first()
        )
        if place is None:
            raise LookupError(f"Place {place_label!r} not found: run load_places first")
        org_services.organisation_create(
            name=name,
            kind=kind,
            place=place,
            kvk_number=_kvk(index),
            website=f"https://www.{place.search_name.replace(' ', '')}.example",
            is_member=since is not None,
            member_since=since,
            description=description,
        )
        created_orgs += 1

    created_users = 0
    by_name = {o.name: o for o in Organisation.objects.all()}
    # Every demo organisation can register participants at once: its pseudonym key exists.
    created_keys = keys_create_for(organisations=[by_name[name] for name, *_ in ORGANISATIONS])
    for spec in USERS:
        user = User.objects.filter(email=spec.email).first()
        if user is None:
            user = User.objects.create_user(
                spec.email,
                DEMO_PASSWORD,
                full_name=spec.full_name,
                platform_role=spec.platform_role,
                is_staff=spec.platform_role == PlatformRole.PLATFORM_ADMIN,
                is_superuser=spec.platform_role == PlatformRole.PLATFORM_ADMIN,
            )
            created_users += 1
        if spec.organisation:
            for org_name, role in ((spec.organisation, spec.role), *spec.also):
                org_services.membership_add(organisation=by_name[org_name], user=user, role=role)
    admin = User.objects.get(email="beheer@meerwaarde.demo")
    created_mappings = 0
    concepts = {c.code: c for c in Concept.objects.filter(code__startswith="interventie-")}
    for org_name, pairs in MAPPINGS.items():
        for local_name, code in pairs:
            if code not in concepts:
                raise LookupError(f"Concept {code!r} not found: run load_vocabulary first")
            organisation = by_name[org_name]
            if not mapping_list(organisation=organisation).filter(local_name=local_name).exists():
                created_mappings += 1
            mapping_save(
                organisation=organisation,
                local_name=local_name,
                concept=concepts[code],
                created_by=admin,
            )
    # The sociale kaart's realistic offers, for the demo organisations only.
    offers_before = Offer.objects.count()
    load_offer_corpus(create_organisations=False)
    # The past twelve whole months of activity counts for every demo offer.
    activity_records = generate_activities(
        organisations=by_name.values(),
        end=timezone.localdate().replace(day=1) - timedelta(days=1),
        seed=2026,
    )
    # The same year of trajectories and measurements, with the shipped instruments.
    if Instrument.objects.filter(organisation__isnull=True).count() < len(shipped_data()):
        instruments_load_shipped()
    outcomes = generate_outcomes(
        organisations=by_name.values(),
        end=timezone.localdate().replace(day=1) - timedelta(days=1),
        seed=2026,
    )
    # Welzijn Zwolle shares its results with Gemeente Zwolle and publishes an impact page.
    demo_sharing(organisations=by_name)
    # Its accountability report to the municipality, as a draft to make.
    demo_reports(organisations=by_name)
    # Its programme against loneliness, public and shared with the municipality.
    demo_programmes(organisations=by_name)
    return {
        "organisations": created_orgs,
        "users": created_users,
        "mappings": created_mappings,
        "pseudonym_keys": created_keys,
        "offers": Offer.objects.count() - offers_before,
        "activity_records": activity_records,
        "trajectories": outcomes["trajectories"],
        "measurements": outcomes["measurements"],
    }

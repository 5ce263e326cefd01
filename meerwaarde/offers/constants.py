from django.db import models
from django.utils.translation import gettext_lazy as _


class OfferStatus(models.TextChoices):
    ACTIVE = "active", _("Actief")
    PAUSED = "paused", _("Gepauzeerd")
    ARCHIVED = "archived", _("Gearchiveerd")


class ServiceArea(models.TextChoices):
    """Where an offer is given: at its own locations, or anywhere in a municipality or region."""

    LOCATIONS = "locations", _("Op een of meer locaties")
    MUNICIPALITY = "municipality", _("In de hele gemeente")
    REGION = "region", _("In de hele regio")


# How far around its places an area offer reaches; a municipality is rarely wider than 10 km
# from its main place, a region (several municipalities) about 25 km.
SERVICE_AREA_REACH_KM = {
    ServiceArea.LOCATIONS: 0,
    ServiceArea.MUNICIPALITY: 10,
    ServiceArea.REGION: 25,
}


class Cost(models.TextChoices):
    FREE = "free", _("Gratis")
    CONTRIBUTION = "contribution", _("Eigen bijdrage")
    PRICE = "price", _("Betaald")


class Access(models.TextChoices):
    WALK_IN = "walk_in", _("Vrij toegankelijk, zonder verwijzing")
    REFERRAL = "referral", _("Alleen met verwijzing")


class Accessibility(models.TextChoices):
    ACCESSIBLE = "accessible", _("Rolstoeltoegankelijk")
    PARTLY = "partly", _("Beperkt toegankelijk")
    NOT_ACCESSIBLE = "not_accessible", _("Niet rolstoeltoegankelijk")
    AT_HOME = "at_home", _("Bij de deelnemer thuis")
    UNKNOWN = "unknown", _("Onbekend")


class EvidenceLevel(models.TextChoices):
    """The Movisie/NJi recognition levels (Erkenningstraject Interventies)."""

    NONE = "none", _("Niet beoordeeld")
    WELL_DESCRIBED = "well_described", _("Goed beschreven")
    WELL_FOUNDED = "well_founded", _("Goed onderbouwd")
    EFFECTIVE_FIRST = "effective_first", _("Effectief – eerste aanwijzingen")
    EFFECTIVE_GOOD = "effective_good", _("Effectief – goede aanwijzingen")
    EFFECTIVE_STRONG = "effective_strong", _("Effectief – sterke aanwijzingen")


# A recognition is valid for 3 years at "goed beschreven" and 5 years at the higher levels.
EVIDENCE_VALID_YEARS = {
    EvidenceLevel.WELL_DESCRIBED: 3,
    EvidenceLevel.WELL_FOUNDED: 5,
    EvidenceLevel.EFFECTIVE_FIRST: 5,
    EvidenceLevel.EFFECTIVE_GOOD: 5,
    EvidenceLevel.EFFECTIVE_STRONG: 5,
}


class Language(models.TextChoices):
    DUTCH = "nl", _("Nederlands")
    ENGLISH = "en", _("Engels")
    ARABIC = "ar", _("Arabisch")
    TURKISH = "tr", _("Turks")
    TAMAZIGHT = "ber", _("Tamazight (Berbers)")
    POLISH = "pl", _("Pools")
    TIGRINYA = "ti", _("Tigrinya")
    UKRAINIAN = "uk", _("Oekraïens")
    PAPIAMENTO = "pap", _("Papiaments")
    SRANAN = "srn", _("Sranantongo")
    FRISIAN = "fy", _("Fries")
    SIGN = "ngt", _("Nederlandse Gebarentaal")


# Intervention types and themes that make an offer a shelter (maatschappelijke opvang), which
# may show its available places.
SHELTER_CONCEPT_CODES = frozenset(
    {
        "interventie-opvang",
        "interventie-nachtopvang",
        "interventie-vrouwenopvang",
        "thema-maatschappelijke-opvang",
    }
)

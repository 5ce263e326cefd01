from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.TextChoices):
    DRENTHE = "DR", _("Drenthe")
    FLEVOLAND = "FL", _("Flevoland")
    FRIESLAND = "FR", _("Friesland")
    GELDERLAND = "GE", _("Gelderland")
    GRONINGEN = "GR", _("Groningen")
    LIMBURG = "LI", _("Limburg")
    NOORD_BRABANT = "NB", _("Noord-Brabant")
    NOORD_HOLLAND = "NH", _("Noord-Holland")
    OVERIJSSEL = "OV", _("Overijssel")
    UTRECHT = "UT", _("Utrecht")
    ZEELAND = "ZE", _("Zeeland")
    ZUID_HOLLAND = "ZH", _("Zuid-Holland")


# GeoNames admin1 codes for the Netherlands.
GEONAMES_ADMIN1_TO_PROVINCE = {
    "01": Province.DRENTHE,
    "02": Province.FRIESLAND,
    "03": Province.GELDERLAND,
    "04": Province.GRONINGEN,
    "05": Province.LIMBURG,
    "06": Province.NOORD_BRABANT,
    "07": Province.NOORD_HOLLAND,
    "09": Province.UTRECHT,
    "10": Province.ZEELAND,
    "11": Province.ZUID_HOLLAND,
    "15": Province.OVERIJSSEL,
    "16": Province.FLEVOLAND,
}

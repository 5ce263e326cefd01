from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    SOCIAL_WORK = "social_work", _("Sociaalwerkorganisatie")
    MUNICIPALITY = "municipality", _("Gemeente")
    CARE_PROVIDER = "care_provider", _("Zorgaanbieder")
    GP_PRACTICE = "gp_practice", _("Huisartsenpraktijk")
    HEALTH_INSURER = "health_insurer", _("Zorgverzekeraar")
    GGD = "ggd", _("GGD")
    VOLUNTEER = "volunteer", _("Vrijwilligersorganisatie")
    BUSINESS = "business", _("Bedrijf")
    KNOWLEDGE = "knowledge", _("Kennisinstituut")

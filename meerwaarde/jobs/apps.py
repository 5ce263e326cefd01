from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "meerwaarde.jobs"
    verbose_name = _("Taken op de achtergrond")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "meerwaarde.programmes"
    verbose_name = _("Programma's")

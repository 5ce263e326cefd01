from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BundlingConfig(AppConfig):
    name = "meerwaarde.bundling"
    verbose_name = _("Gebundelde cijfers")

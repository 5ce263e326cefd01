from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BundlingConfig(AppConfig):
    name = "meerwaarde.bundling"
    verbose_name = _("Gebundelde cijfers")

    def ready(self) -> None:
        from meerwaarde.bundling import checks  # noqa: F401  (registers the system check)

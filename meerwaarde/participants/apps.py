from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "meerwaarde.participants"
    verbose_name = _("Deelnemers en trajecten")

    def ready(self) -> None:
        from meerwaarde.organisations.models import Organisation
        from meerwaarde.participants.receivers import organisation_saved

        post_save.connect(
            organisation_saved, sender=Organisation, dispatch_uid="participants_organisation_key"
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "meerwaarde.activities"
    verbose_name = _("Activiteiten")

    def ready(self) -> None:
        from django.db.models.signals import pre_delete

        from meerwaarde.activities import receivers
        from meerwaarde.offers.signals import offer_changed
        from meerwaarde.organisations.models import Organisation

        offer_changed.connect(receivers.offer_changed, dispatch_uid="activities_offer_changed")
        pre_delete.connect(
            receivers.organisation_pre_delete,
            sender=Organisation,
            dispatch_uid="activities_organisation_pre_delete",
        )

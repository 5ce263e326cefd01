from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "meerwaarde.directory"
    verbose_name = _("Sociale kaart")

    def ready(self) -> None:
        from django.db.models.signals import post_save, pre_delete

        from meerwaarde.directory import receivers
        from meerwaarde.offers.models import Offer
        from meerwaarde.offers.signals import offer_changed, offer_deleted
        from meerwaarde.vocabulary.models import Concept

        offer_changed.connect(receivers.offer_changed, dispatch_uid="directory_index_offer")
        offer_deleted.connect(receivers.offer_deleted, dispatch_uid="directory_remove_offer")
        pre_delete.connect(
            receivers.offer_pre_delete, sender=Offer, dispatch_uid="directory_offer_pre_delete"
        )
        post_save.connect(
            receivers.concept_saved, sender=Concept, dispatch_uid="directory_concept_saved"
        )

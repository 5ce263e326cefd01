from django.core.management.base import BaseCommand, CommandError

from meerwaarde.organisations.models import Organisation
from meerwaarde.participants.pseudonyms import KeyState, key_create, key_path


class Command(BaseCommand):
    help = (
        "Maakt de ontbrekende sleutels voor pseudoniemen aan (één per organisatie, in "
        "PSEUDONYM_KEY_DIR). Overschrijft nooit een bestaande sleutel. Bewaar de map in de "
        "back-up: zonder sleutel zijn deelnemers niet meer op cliëntnummer te vinden."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--organisation", metavar="SLUG", help="Alleen deze organisatie.")

    def handle(self, *args, organisation: str | None = None, **options) -> None:
        organisations = Organisation.objects.order_by("slug")
        if organisation:
            organisations = organisations.filter(slug=organisation)
            if not organisations.exists():
                raise CommandError(f"Er is geen organisatie met de korte naam ‘{organisation}’.")
        created = 0
        for org in organisations:
            state = key_create(org.slug)
            if state == KeyState.CREATED:
                created += 1
                self.stdout.write(f"  {org.slug}: sleutel aangemaakt in {key_path(org.slug)}")
            elif state == KeyState.ENVIRONMENT:
                self.stdout.write(f"  {org.slug}: sleutel staat in de omgeving, geen bestand nodig")
            elif options["verbosity"] > 1:
                self.stdout.write(f"  {org.slug}: sleutel bestond al")
        self.stdout.write(f"{created} sleutel(s) aangemaakt.")

from django.core.management.base import BaseCommand, CommandError

from meerwaarde.instruments.definition import DefinitionError
from meerwaarde.instruments.services import instruments_load_shipped


class Command(BaseCommand):
    help = "Laadt of werkt de meegeleverde meetinstrumenten bij; opnieuw draaien is veilig."

    def handle(self, *args, **options) -> None:
        try:
            count = instruments_load_shipped()
        except DefinitionError as error:
            raise CommandError("\n".join(error.messages)) from error
        self.stdout.write(f"{count} meegeleverde instrumenten geladen.")

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from meerwaarde.vocabulary.services import vocabulary_load

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "vocabulary.json"


class Command(BaseCommand):
    help = "Laadt of werkt het vocabulaire bij uit een JSON-bestand; opnieuw draaien is veilig."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="Het JSON-bestand.")

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise CommandError(f"Kan {path} niet lezen: {error}") from error
        try:
            counts = vocabulary_load(data=data)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            f"Vocabulaire {data.get('version', '?')}: "
            f"{counts['schemes_created']} lijsten nieuw, {counts['schemes_updated']} bijgewerkt; "
            f"{counts['created']} begrippen nieuw, {counts['updated']} bijgewerkt, "
            f"{counts['unchanged']} ongewijzigd."
        )

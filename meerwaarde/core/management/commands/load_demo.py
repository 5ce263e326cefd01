from django.core.management.base import BaseCommand

from meerwaarde.accounts.constants import OrgRole, PlatformRole
from meerwaarde.core.demo import DEMO_PASSWORD, USERS, demo_load


class Command(BaseCommand):
    help = "Vult de database met een geloofwaardige demosector (twee keer draaien kan)."

    def handle(self, *args, **options) -> None:
        result = demo_load()
        self.stdout.write(
            f"Demodata: {result['organisations']} organisaties, {result['users']} gebruikers, "
            f"{result['mappings']} koppelingen van lokale namen en {result['offers']} aanbod "
            "toegevoegd."
        )
        self.stdout.write(f"\nDemo-inlogs (wachtwoord voor allemaal: {DEMO_PASSWORD})")
        for spec in USERS:
            if spec.platform_role:
                what = PlatformRole(spec.platform_role).label
            else:
                places = [(spec.organisation, spec.role), *spec.also]
                what = ", ".join(f"{OrgRole(role).label} bij {org}" for org, role in places)
            self.stdout.write(f"  {spec.email:<40} {what}")

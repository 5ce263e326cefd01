"""Password validators whose messages read well in Dutch.

Django 5.2's Dutch catalogue lacks the new "too short" sentence (it showed in English), and
its "too similar" sentence puts "de" before every field name ("de e-mailadres").
"""

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "Dit wachtwoord is te kort. Gebruik minstens %(min_length)d teken.",
            "Dit wachtwoord is te kort. Gebruik minstens %(min_length)d tekens.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return ngettext(
            "Uw wachtwoord moet minstens %(min_length)d teken hebben.",
            "Uw wachtwoord moet minstens %(min_length)d tekens hebben.",
            self.min_length,
        ) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return _("Dit wachtwoord lijkt te veel op uw %(verbose_name)s.")

    def get_help_text(self) -> str:
        return _("Uw wachtwoord mag niet te veel lijken op uw naam of e-mailadres.")

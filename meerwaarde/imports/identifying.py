"""Recognising columns that identify people: BSNs and names, by header or by value.

Headers are compared as words, accents and case ignored, so "Naam cliënt", "client_naam" and
"ClientNaam" are names while "Naam aanbod" or "locatienaam" are not.
"""

import re
import unicodedata

_WORD = re.compile(r"[a-z0-9]+")
# The separators participants.pseudonyms.is_bsn ignores, so both count the same values.
_SEPARATORS = re.compile(r"[\s.\-]")

_BSN_WORDS = frozenset({"bsn", "bsnnummer", "bsnnr", "burgerservicenummer", "sofinummer", "sofinr"})
_NAME_WORDS = frozenset(
    {
        "voornaam", "voornamen", "achternaam", "achternamen", "roepnaam", "geboortenaam",
        "meisjesnaam", "familienaam", "tussenvoegsel", "tussenvoegsels", "voorletters",
        "initialen", "firstname", "lastname", "surname", "givenname", "fullname", "clientnaam",
        "clientname", "deelnemernaam", "deelnemersnaam", "klantnaam", "patientnaam",
        "bewonersnaam", "persoonsnaam",
    }
)  # fmt: skip
_NAME = frozenset({"naam", "namen", "name", "names"})
# With one of these beside it, "naam" is a person's name; alone it is one too.
_PERSON = frozenset(
    {
        "client", "clienten", "deelnemer", "deelnemers", "klant", "persoon", "bewoner",
        "patient", "volledige", "volledig", "full", "first", "last", "given", "family",
        "voor", "achter", "eigen", "person",
    }
)  # fmt: skip


def _words(header: str) -> list[str]:
    # Split camelCase before folding: "ClientNaam" is two words.
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", header)
    plain = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode()
    return _WORD.findall(plain.casefold())


def is_bsn_header(header: str) -> bool:
    words = _words(header)
    joined = "".join(words)
    return any(word in _BSN_WORDS for word in words) or "burgerservice" in joined


def is_name_header(header: str) -> bool:
    words = set(_words(header))
    if words & _NAME_WORDS or "".join(_words(header)) in _NAME_WORDS:
        return True
    return bool(words & _NAME) and (words <= _NAME or bool(words & _PERSON))


def looks_like_nine_digits(value: str) -> bool:
    """Nine digits, perhaps grouped as a BSN is written ("123 456 782", "1234.56.782")."""
    digits = _SEPARATORS.sub("", value)
    return len(digits) == 9 and digits.isascii() and digits.isdigit()

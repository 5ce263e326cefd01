"""One normalisation for everything that compares names: mappings, search and suggestions."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise(value: str) -> str:
    """Lower case, no accents, punctuation as spaces: "Taalcafé De-Boei" → "taalcafe de boei"."""
    text = unicodedata.normalize("NFKD", value or "").encode("ascii", "ignore").decode()
    return " ".join(_NON_WORD.sub(" ", text.lower()).split())

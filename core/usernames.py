"""User names are normalised and checked at registration, so that nobody can pose as another
account (UTS #39's "highly restrictive" level, by hand).

- NFKC first: full-width ａｄｍｉｎ becomes admin (and then collides with the real one).
- Only letters, digits and . _ - : no spaces, zero-width or control characters, no markup.
- One script, or Latin with Han and the Chinese, Japanese or Korean scripts that go with it:
  a Latin name with a Cyrillic а in it is refused.
- A name written wholly in Cyrillic or Greek letters that all look like Latin ones
  (аdmіn in Cyrillic) is refused too.
"""

from __future__ import annotations

import unicodedata

from core.errors import InvalidInput

MIN_LENGTH = 3
MAX_LENGTH = 30
PUNCTUATION = frozenset("._-")
# Scripts that may be mixed with each other (UTS #39 highly restrictive).
ALLOWED_MIXES = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
)
# Cyrillic and Greek letters that look like Latin ones (after lower-casing).
LATIN_LOOKALIKES = frozenset("аеорсухіјѕԁԛԝһӏвкмнтгпьзαβεικνορτυχ")


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    if name.startswith(("CJK ", "IDEOGRAPHIC")):
        return "HAN"
    if name.startswith("HALFWIDTH KATAKANA"):
        return "KATAKANA"
    return name.split(" ", 1)[0]


def username_normalise(raw: str) -> str:
    """The name as it will be stored, or InvalidInput saying what is wrong with it."""
    name = unicodedata.normalize("NFKC", raw or "").strip()
    if not name:
        raise InvalidInput("Choose a user name.", field="username")
    if not MIN_LENGTH <= len(name) <= MAX_LENGTH:
        raise InvalidInput(
            f"A user name has {MIN_LENGTH} to {MAX_LENGTH} characters.", field="username"
        )
    for char in name:
        category = unicodedata.category(char)
        if not (category[0] == "L" or category == "Nd" or char in PUNCTUATION):
            raise InvalidInput(
                "A user name may contain only letters, digits and . _ - "
                "(no spaces, symbols or invisible characters).",
                field="username",
            )
    letters = [c for c in name if unicodedata.category(c)[0] == "L"]
    scripts = {_script(c) for c in letters}
    if len(scripts) > 1 and not any(scripts <= mix for mix in ALLOWED_MIXES):
        raise InvalidInput(
            "A user name may not mix alphabets (e.g. Latin with Cyrillic).", field="username"
        )
    if scripts & {"CYRILLIC", "GREEK"} and all(c.lower() in LATIN_LOOKALIKES for c in letters):
        raise InvalidInput(
            "This user name looks like a Latin one written in another alphabet.",
            field="username",
        )
    return name

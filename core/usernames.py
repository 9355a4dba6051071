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

from core.errors import CoreErrorCode, DomainError

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
    """The name as it will be stored, or the refusal saying what is wrong with it."""
    name = unicodedata.normalize("NFKC", raw or "").strip()
    if not name:
        raise DomainError(CoreErrorCode.USERNAME_REQUIRED, field="username")
    if not MIN_LENGTH <= len(name) <= MAX_LENGTH:
        raise DomainError(
            CoreErrorCode.USERNAME_LENGTH, {"min": MIN_LENGTH, "max": MAX_LENGTH}, field="username"
        )
    for char in name:
        category = unicodedata.category(char)
        if not (category[0] == "L" or category == "Nd" or char in PUNCTUATION):
            raise DomainError(CoreErrorCode.USERNAME_CHARACTERS, field="username")
    letters = [c for c in name if unicodedata.category(c)[0] == "L"]
    scripts = {_script(c) for c in letters}
    if len(scripts) > 1 and not any(scripts <= mix for mix in ALLOWED_MIXES):
        raise DomainError(CoreErrorCode.USERNAME_MIXED_SCRIPTS, field="username")
    if scripts & {"CYRILLIC", "GREEK"} and all(c.lower() in LATIN_LOOKALIKES for c in letters):
        raise DomainError(CoreErrorCode.USERNAME_LOOKALIKE, field="username")
    return name

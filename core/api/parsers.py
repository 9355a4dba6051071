"""JSON bodies are checked for nesting depth before they are parsed.

Python's json module recurses once per level: a body nested a few thousand deep raises
RecursionError (a 500). The depth is counted first, outside string literals, in C-speed steps.
The body's size is bounded before this, by core.middleware.RequestBodyLimitMiddleware.
"""

from __future__ import annotations

import codecs
import json
import re

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding
from rest_framework.utils import json as drf_json

MAX_JSON_DEPTH = 32
# A JSON string literal (the unrolled form, which the regex engine runs without backtracking).
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
# Keep only the brackets, and read objects' braces as brackets (bytes: UTF-8 never hides an
# ASCII byte inside another character).
_BRACES_AS_BRACKETS = bytes.maketrans(b"{}", b"[]")
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))
_OPEN = ord("[")


def json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether arrays and objects in a JSON text nest deeper than `limit`.

    Outside string literals, only the brackets count. They are read `limit` at a time: a
    chunk is walked bracket by bracket only when its opening brackets could take the depth
    past the limit; otherwise two C-level counts move the depth on, so a large body is walked
    quickly and a deeply nested one is refused within its first chunks.
    """
    outside_strings = _STRING.sub("", text).encode("utf-8", "surrogatepass")
    brackets = outside_strings.translate(_BRACES_AS_BRACKETS, _NOT_BRACKETS)
    depth = 0
    step = max(limit, 1)
    for start in range(0, len(brackets), step):
        chunk = brackets[start : start + step]
        opens = chunk.count(b"[")
        if depth + opens <= limit:
            depth += 2 * opens - len(chunk)
            continue
        for byte in chunk:
            depth += 1 if byte == _OPEN else -1
            if depth > limit:
                return True
    return False


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = get_encoding(parser_context or {})
        try:
            text = codecs.getreader(encoding)(stream).read()
        except UnicodeDecodeError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
        limit = getattr(settings, "MAX_JSON_DEPTH", MAX_JSON_DEPTH)
        if json_depth_exceeds(text, limit):
            raise ParseError(f"JSON nested more than {limit} levels deep is refused.")
        try:
            parse_constant = drf_json.strict_constant if self.strict else None
            return json.loads(text, parse_constant=parse_constant)
        except (ValueError, RecursionError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc

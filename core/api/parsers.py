"""JSON bodies are checked for nesting depth before they are parsed.

Python's json module recurses once per level: a body nested a few thousand deep raises
RecursionError (a 500). The depth is counted first, outside string literals, in C-speed steps.
The body's size is bounded before this, by core.middleware.RequestBodyLimitMiddleware.
"""

from __future__ import annotations

import codecs
import json
import re
from itertools import accumulate

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding
from rest_framework.utils import json as drf_json

MAX_JSON_DEPTH = 32
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_STEPS = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in a JSON text (0 for a scalar)."""
    brackets = _STRING.sub("", text)
    steps = [_STEPS[c] for c in brackets.encode("ascii", "ignore") if c in _STEPS]
    return max(accumulate(steps), default=0)


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = get_encoding(parser_context or {})
        try:
            text = codecs.getreader(encoding)(stream).read()
        except UnicodeDecodeError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
        limit = getattr(settings, "MAX_JSON_DEPTH", MAX_JSON_DEPTH)
        if json_depth(text) > limit:
            raise ParseError(f"JSON nested more than {limit} levels deep is refused.")
        try:
            parse_constant = drf_json.strict_constant if self.strict else None
            return json.loads(text, parse_constant=parse_constant)
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc

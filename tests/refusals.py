"""`with refused(code):` — the block raises the domain refusal of that code (of its kind)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from core.errors import ErrorCode


@contextmanager
def refused(code: ErrorCode):
    with pytest.raises(code.kind) as raised:
        yield raised
    assert raised.value.code == code, raised.value.code

from __future__ import annotations

import pytest
from django.utils import timezone


@pytest.fixture
def t0():
    """The public pages show the shop as it stands now (a restriction in force), so the
    workflow starts now, as for the seller center (tests/seller/conftest.py)."""
    return timezone.now()

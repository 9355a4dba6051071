import pytest
from django.conf import settings
from django.test import Client


def admin_path(rest: str = "") -> str:
    return f"/{settings.ADMIN_URL}{rest}"


@pytest.fixture
def client_for():
    """A test client logged in as `user` (each call a fresh client)."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def png(name: str = "photo.png"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def case_with_evidence(wf):
    """A case under review: the buyer gave two photos, the shop a statement and one photo."""
    from disputes import services as ds

    refund = wf.refund("in_intervention")
    intervention = refund.intervention
    ds.intervention_submit_evidence(
        intervention=intervention, actor=wf.buyer, images=[png(), png()], now=wf.now
    )
    ds.intervention_submit_evidence(
        intervention=intervention,
        actor=wf.merchant,
        statement="The zip was fine when shipped",
        images=[png()],
        now=wf.now,
    )
    intervention.refresh_from_db()
    assert intervention.state == "under_review"
    return intervention

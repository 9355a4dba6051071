"""An order's snapshot pictures are private, as evidence is: the order's buyer, the shop's staff
and platform staff get them through the access-checked `snapshot-image` view (by session or
API token), anyone else a 404; MEDIA_URL serves none of them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from merchants.services import product_add_images
from tests import factories
from tests.security.images import image_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot_images(wf, product):
    product_add_images(product=product, images=[upload(image_bytes(), "a.png")])
    order = wf.order("paid")
    return list(order.items.get().images.all())


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 404),
        ("other_buyer", 404),
        ("other_merchant", 404),
        ("buyer", 200),
        ("merchant", 200),
        ("agent", 200),
        ("supervisor", 200),
    ],
)
@pytest.mark.parametrize("via", ["session", "token"])
def test_a_snapshot_picture_is_served_only_to_the_order_and_the_platform(
    snapshot_images, buyer, merchant, agent, supervisor, client_for, who, expected, via
):
    users = {
        "anonymous": None,
        "other_buyer": factories.UserFactory(),
        "other_merchant": factories.make_merchant(),
        "buyer": buyer,
        "merchant": merchant,
        "agent": agent,
        "supervisor": supervisor,
    }
    user = users[who]
    if via == "token":
        client = client_for(user)
    else:
        client = client_for(None)
        if user is not None:
            client.force_login(user)

    [image] = snapshot_images
    answer = client.get(reverse("snapshot-image", args=[image.pk]))

    assert answer.status_code == expected
    assert client.get(f"/media/{image.image.name}").status_code == 404
    if expected == 200:
        assert answer["Content-Type"] == "image/png"
        assert answer["Cache-Control"] == "private, no-store"
        assert answer["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in answer["Content-Security-Policy"]
        assert answer["Content-Disposition"] == f'inline; filename="snapshot-{image.pk}.png"'


def test_a_bad_token_gets_404_not_the_picture(snapshot_images, client_for):
    client = client_for(None)
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert client.get(reverse("snapshot-image", args=[snapshot_images[0].pk])).status_code == 404

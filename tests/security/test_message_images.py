"""A message's photos are evidence's equals: checked by content, re-encoded without metadata,
stored under generated names and served only through the access-checked `message-image-file`
view, to those who read the request's messages (the parties, and agents once escalated)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from disputes import services as ds
from disputes.models import MessageImage
from tests import factories
from tests.security.images import HTML, image_bytes, jpeg_polyglot, png_polyglot, upload

pytestmark = pytest.mark.django_db


def _write(client, refund, *images, text="photo"):
    return client.post(
        f"/api/v1/refunds/{refund.pk}/messages/",
        {"text": text, "image": list(images)},
        format="multipart",
    )


def test_a_png_with_html_sent_as_x_html_is_stored_and_served_as_a_png(wf, buyer, client_for):
    refund = wf.refund("requested")
    client = client_for(buyer)

    answer = _write(client, refund, png_polyglot("x.html"))

    assert answer.status_code == 201
    image = MessageImage.objects.get(message__refund=refund)
    assert image.image.name.startswith("messages/")
    assert image.image.name.endswith(".png")
    served = client.get(reverse("message-image-file", args=[image.pk]))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]
    assert served["Cache-Control"] == "private, no-store"
    assert served["Content-Disposition"] == f'inline; filename="message-image-{image.pk}.png"'
    assert HTML not in b"".join(served.streaming_content)


def test_a_jpeg_polyglot_sent_as_svg_is_stored_as_a_jpeg(wf, buyer, client_for):
    refund = wf.refund("requested")

    assert _write(client_for(buyer), refund, jpeg_polyglot("x.svg")).status_code == 201

    image = MessageImage.objects.get(message__refund=refund)
    assert image.content_type == "image/jpeg"
    assert image.image.name.endswith(".jpg")


def test_the_original_name_never_reaches_the_other_party(wf, buyer, merchant, client_for):
    refund = wf.refund("requested")
    _write(client_for(buyer), refund, upload(image_bytes(), "张三-13800138000.png"))

    seen = client_for(merchant).get(f"/api/v1/refunds/{refund.pk}/messages/")
    image = MessageImage.objects.get(message__refund=refund)
    served = client_for(merchant).get(reverse("message-image-file", args=[image.pk]))

    assert b"13800138000" not in seen.content
    assert "13800138000" not in image.image.name
    assert served.status_code == 200
    assert "13800138000" not in served["Content-Disposition"]


@pytest.fixture
def photos(wf, buyer, merchant):
    """A photo from each party on an escalated request."""
    refund = wf.refund("in_intervention")
    mine = ds.refund_message_write(
        refund=refund, actor=buyer, text="b", images=[upload(image_bytes(), "b.png")]
    )
    theirs = ds.refund_message_write(
        refund=refund, actor=merchant, text="m", images=[upload(image_bytes(), "m.png")]
    )
    return [mine.images.get(), theirs.images.get()]


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
def test_every_message_photo_url_checks_access(
    photos, buyer, merchant, agent, supervisor, client_for, who, expected, via
):
    user = {
        "anonymous": None,
        "other_buyer": factories.UserFactory(),
        "other_merchant": factories.make_merchant(),
        "buyer": buyer,
        "merchant": merchant,
        "agent": agent,
        "supervisor": supervisor,
    }[who]
    if via == "token":
        client = client_for(user)
    else:
        client = client_for(None)
        if user is not None:
            client.force_login(user)

    for image in photos:
        assert client.get(reverse("message-image-file", args=[image.pk])).status_code == expected
        assert client.get(f"/media/{image.image.name}").status_code == 404


def test_an_agent_does_not_see_the_photos_of_a_request_not_escalated(wf, buyer, agent, client_for):
    refund = wf.refund("requested")
    message = ds.refund_message_write(
        refund=refund, actor=buyer, images=[upload(image_bytes(), "b.png")]
    )

    answer = client_for(agent).get(reverse("message-image-file", args=[message.images.get().pk]))

    assert answer.status_code == 404


def test_a_bad_token_gets_404_not_the_file(photos, client_for):
    client = client_for(None)
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert client.get(reverse("message-image-file", args=[photos[0].pk])).status_code == 404


def test_an_image_declaring_too_many_pixels_is_a_clear_400(wf, buyer, client_for):
    from tests.security.images import png_declaring

    refund = wf.refund("requested")

    answer = _write(client_for(buyer), refund, upload(png_declaring(50_000, 50_000), "bomb.png"))

    assert answer.status_code == 400
    assert answer.data["code"] == "image_too_many_pixels"
    assert answer.data["image"] == ["“bomb.png”超过 40 百万像素。"]
    assert not MessageImage.objects.exists()


def test_a_refused_photo_leaves_no_file_behind(wf, buyer, client_for, settings):
    refund = wf.refund("requested")

    answer = _write(
        client_for(buyer), refund, upload(image_bytes(), "good.png"), upload(HTML, "bad.png")
    )

    assert answer.status_code == 400
    assert not MessageImage.objects.exists()
    assert not [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]


def test_an_image_over_the_size_limit_is_refused(wf, buyer, client_for, settings):
    refund = wf.refund("requested")
    settings.PLATFORM_RULES = {"max_evidence_bytes": 50}

    answer = _write(client_for(buyer), refund, upload(image_bytes() * 10, "big.png"))

    assert answer.status_code == 400
    assert answer.data["code"] == "image_too_large"
    assert not MessageImage.objects.exists()


def test_a_message_photo_reaches_the_other_party_without_the_phones_metadata(
    wf, buyer, merchant, client_for
):
    from tests.security.test_image_metadata import CAMERA, XMP, _assert_no_metadata, _exif, _photo

    refund = wf.refund("requested")
    content = _photo("JPEG", exif=_exif(), xmp=XMP, comment=CAMERA.encode())
    answer = _write(client_for(buyer), refund, upload(content, "IMG_0001.jpg", "image/jpeg"))
    assert answer.status_code == 201

    served = client_for(merchant).get(answer.data["images"][0]["image"])

    body = b"".join(served.streaming_content)
    _assert_no_metadata(body)
    assert MessageImage.objects.get().size == len(body)

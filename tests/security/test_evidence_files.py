"""Finding 1 and 2: evidence files are stored under generated names with the checked format's
extension and served only through the access-checked `evidence-file` view."""

from __future__ import annotations

import re

import pytest
from django.core.files.storage import default_storage
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.static import serve

from core.errors import InvalidInput
from disputes import services as ds
from disputes.api.files import evidence_file, message_image_file
from disputes.models import Evidence
from merchants.api.files import product_image
from orders.api.files import snapshot_image
from tests import factories
from tests.security.images import (
    HTML,
    image_bytes,
    jpeg_polyglot,
    png_declaring,
    png_polyglot,
    upload,
)

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"^evidence/[0-9a-f]{32}\.(png|jpg|webp)$")


def _upload(client, refund, file):
    return client.post(
        f"/api/v1/refunds/{refund.pk}/evidence/", {"image": file}, format="multipart"
    )


def test_a_png_with_html_sent_as_x_html_is_stored_and_served_as_a_png(wf, buyer, client_for):
    refund = wf.refund("requested")
    client = client_for(buyer)

    answer = _upload(client, refund, png_polyglot("x.html"))

    assert answer.status_code == 201
    evidence = Evidence.objects.get(refund=refund)
    assert GENERATED.match(evidence.image.name)
    assert evidence.image.name.endswith(".png")
    url = reverse("evidence-file", args=[evidence.pk])
    assert answer.data[0]["image"] == f"http://testserver{url}"
    assert "/media/" not in answer.data[0]["image"]

    served = client.get(url)

    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]
    assert "default-src 'none'" in served["Content-Security-Policy"]
    assert served["Content-Disposition"] == f'inline; filename="evidence-{evidence.pk}.png"'
    assert HTML not in b"".join(served.streaming_content)  # re-encoded: only the picture is left


def test_a_jpeg_polyglot_sent_as_svg_is_stored_as_a_jpeg(wf, buyer, client_for):
    refund = wf.refund("requested")

    answer = _upload(client_for(buyer), refund, jpeg_polyglot("x.svg"))

    assert answer.status_code == 201
    evidence = Evidence.objects.get(refund=refund)
    assert evidence.image.name.endswith(".jpg")
    assert evidence.content_type == "image/jpeg"
    served = client_for(buyer).get(reverse("evidence-file", args=[evidence.pk]))
    assert served["Content-Type"] == "image/jpeg"


def test_the_original_name_never_reaches_the_other_party(wf, buyer, merchant, client_for):
    refund = wf.refund("requested")
    _upload(client_for(buyer), refund, upload(image_bytes(), "张三-13800138000.png"))

    seen = client_for(merchant).get(f"/api/v1/refunds/{refund.pk}/")
    evidence = Evidence.objects.get(refund=refund)
    served = client_for(merchant).get(reverse("evidence-file", args=[evidence.pk]))

    assert "13800138000" not in evidence.image.name
    assert b"13800138000" not in seen.content
    assert served.status_code == 200
    assert "13800138000" not in served["Content-Disposition"]


def test_media_url_serves_no_evidence_even_to_its_owner(wf, buyer, client_for):
    refund = wf.refund("requested")
    _upload(client_for(buyer), refund, upload(image_bytes(), "x.png"))
    name = Evidence.objects.get(refund=refund).image.name
    assert default_storage.exists(name)

    client = client_for(buyer)
    client.force_login(buyer)

    assert client.get(f"/media/{name}").status_code == 404


@pytest.fixture
def case_with_evidence(wf, buyer, merchant):
    """Evidence from both parties on an intervention, and a second, unrelated pair."""
    intervention = wf.intervention("awaiting_evidence")
    buyer_evidence = ds.refund_add_evidence(
        refund=intervention.refund, actor=buyer, images=[upload(image_bytes(), "b.png")], now=wf.now
    )
    stored = ds.intervention_submit_evidence(
        intervention=intervention,
        actor=merchant,
        statement="Shipped intact.",
        images=[upload(image_bytes(), "m.png")],
        now=wf.now,
    )
    return [stored[0], buyer_evidence[0]]


def _url_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _url_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def test_no_url_serves_stored_files_except_the_file_views():
    file_views = [
        route
        for route, pattern in _url_patterns()
        if pattern.callback
        in (serve, evidence_file, message_image_file, snapshot_image, product_image)
        or getattr(pattern.callback, "__module__", "") == "django.views.static"
    ]

    # evidence, messages' images and the orders' snapshots access-checked; product pictures
    # public
    assert file_views == [
        "evidence/<int:pk>/",
        "message-images/<int:pk>/",
        "snapshot-images/<int:pk>/",
        "product-images/<str:name>",
    ]


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
def test_every_stored_file_url_checks_access(
    case_with_evidence, buyer, merchant, agent, supervisor, client_for, who, expected, via
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

    for evidence in case_with_evidence:
        for url in (
            reverse("evidence-file", args=[evidence.pk]),
            f"/media/{evidence.image.name}",
        ):
            answer = client.get(url)
            assert answer.status_code == (404 if url.startswith("/media/") else expected), (
                url,
                who,
            )


def test_a_bad_token_gets_404_not_the_file(case_with_evidence, client_for):
    client = client_for(None)
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    answer = client.get(reverse("evidence-file", args=[case_with_evidence[0].pk]))

    assert answer.status_code == 404


@pytest.mark.parametrize(("width", "height"), [(50_000, 50_000), (12_000, 12_000)])
def test_an_image_declaring_too_many_pixels_is_a_clear_400(wf, buyer, client_for, width, height):
    refund = wf.refund("requested")
    bomb = png_declaring(width, height)
    assert len(bomb) < 100

    answer = _upload(client_for(buyer), refund, upload(bomb, "bomb.png"))

    assert answer.status_code == 400
    assert answer.data["code"] == "image_too_many_pixels"
    assert answer.data["image"] == ["“bomb.png”超过 40 百万像素。"]
    assert not Evidence.objects.filter(refund=refund).exists()


def test_the_buyers_refund_page_shows_evidence_through_the_checked_view(wf, buyer, client):
    refund = wf.refund("requested")
    ds.refund_add_evidence(
        refund=refund, actor=buyer, images=[upload(image_bytes(), "mine.png")], now=wf.now
    )
    evidence = Evidence.objects.get(refund=refund)
    client.force_login(buyer)

    page = client.get(reverse("refund-detail", args=[refund.pk])).content.decode()
    file_url = reverse("evidence-file", args=[evidence.pk])

    assert f'src="{file_url}"' in page
    assert "/media/" not in page
    assert "mine.png" not in page
    assert client.get(file_url).status_code == 200


def _files_on_disk(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_refused_upload_leaves_no_file_behind(wf, buyer, settings):
    refund = wf.refund("requested")
    good, bad = upload(image_bytes(), "good.png"), upload(HTML, "bad.png")

    with pytest.raises(InvalidInput):
        ds.refund_add_evidence(refund=refund, actor=buyer, images=[good, bad], now=wf.now)

    assert not Evidence.objects.filter(refund=refund).exists()
    assert _files_on_disk(settings) == []


def test_files_stored_before_a_later_failure_are_deleted_with_the_rolled_back_rows(
    wf, buyer, settings, monkeypatch
):
    refund = wf.refund("rejected")

    def broken(*args, **kwargs):
        raise RuntimeError("the notification could not be written")

    monkeypatch.setattr("disputes.services.interventions.tell_buyer", broken)
    with pytest.raises(RuntimeError):
        ds.refund_escalate(
            refund=refund,
            actor=buyer,
            statement="It was broken",
            images=[upload(image_bytes(), "photo.png")],
            now=wf.now,
        )

    refund.refresh_from_db()
    assert refund.state == "rejected"
    assert not Evidence.objects.filter(refund=refund).exists()
    assert _files_on_disk(settings) == []


def test_files_of_an_accepted_upload_stay(wf, buyer, settings):
    refund = wf.refund("requested")

    ds.refund_add_evidence(
        refund=refund, actor=buyer, images=[upload(image_bytes(), "mine.png")], now=wf.now
    )

    assert _files_on_disk(settings) == [Evidence.objects.get(refund=refund).image.name]

"""Evidence reaches the other party without what the buyer's phone wrote into the file: no
GPS position, no camera, no XMP, no comment, no ICC profile (colours converted to sRGB), and
turned the way the phone meant it."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from disputes.models import Evidence
from tests.security.images import upload

pytestmark = pytest.mark.django_db

CAMERA = "Pear Phone 15 Pro"
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description GPSLatitude="31,14N"/></x:xmpmeta>'


def _exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Pear"
    exif[ExifTags.Base.Model] = CAMERA
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (31.0, 14.0, 2.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (121.0, 28.0, 7.5)
    return exif


def _photo(image_format: str, **metadata) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(buffer, format=image_format, **metadata)
    return buffer.getvalue()


def _served(client, refund, content: bytes, name: str, content_type: str) -> bytes:
    answer = client.post(
        f"/api/v1/refunds/{refund.pk}/evidence/",
        {"image": upload(content, name, content_type)},
        format="multipart",
    )
    assert answer.status_code == 201, answer.content
    evidence = Evidence.objects.get(pk=answer.data[0]["id"])
    served = client.get(reverse("evidence-file", args=[evidence.pk]))
    assert served.status_code == 200
    body = b"".join(served.streaming_content)
    assert evidence.size == len(body)  # the stored file is the one served
    return body


def _assert_no_metadata(body: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(body))
    assert not image.getexif()
    assert not ({"exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment"} & image.info.keys())
    assert CAMERA.encode() not in body
    assert b"adobe:ns:meta" not in body
    return image


def test_a_jpeg_with_gps_exif_reaches_the_merchant_without_it(wf, buyer, merchant, client_for):
    refund = wf.refund("requested")
    photo = _photo("JPEG", exif=_exif(), xmp=XMP, comment=b"taken at home")
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    _served(client_for(buyer), refund, photo, "IMG_0001.jpg", "image/jpeg")
    evidence = Evidence.objects.get(refund=refund)
    seen_by_merchant = b"".join(
        client_for(merchant).get(reverse("evidence-file", args=[evidence.pk])).streaming_content
    )

    image = _assert_no_metadata(seen_by_merchant)
    assert image.format == "JPEG"
    assert b"taken at home" not in seen_by_merchant
    assert image.getpixel((20, 10))[0] > 150  # still the same red picture


def test_a_photo_taken_sideways_is_stored_turned_as_the_phone_meant(wf, buyer, client_for):
    refund = wf.refund("requested")
    photo = _photo("JPEG", exif=_exif(orientation=6))  # "rotate 90° clockwise to view"

    image = _assert_no_metadata(
        _served(client_for(buyer), refund, photo, "IMG_0002.jpg", "image/jpeg")
    )

    assert image.size == (20, 40)


def test_a_png_keeps_no_text_chunks_nor_exif(wf, buyer, client_for):
    refund = wf.refund("requested")
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", CAMERA)
    text.add_itxt("XML:com.adobe.xmp", XMP.decode())
    photo = _photo("PNG", pnginfo=text, exif=_exif())

    image = _assert_no_metadata(
        _served(client_for(buyer), refund, photo, "screen.png", "image/png")
    )

    assert image.format == "PNG"
    assert not getattr(image, "text", {})


def test_a_webp_keeps_no_exif_nor_xmp(wf, buyer, client_for):
    refund = wf.refund("requested")
    photo = _photo("WEBP", exif=_exif(), xmp=XMP)

    image = _assert_no_metadata(
        _served(client_for(buyer), refund, photo, "photo.webp", "image/webp")
    )

    assert image.format == "WEBP"


def test_an_icc_profile_is_dropped_once_the_colours_are_in_srgb(wf, buyer, client_for):
    refund = wf.refund("requested")
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    photo = _photo("JPEG", icc_profile=srgb)
    assert Image.open(io.BytesIO(photo)).info["icc_profile"]

    image = _assert_no_metadata(
        _served(client_for(buyer), refund, photo, "IMG_0003.jpg", "image/jpeg")
    )

    assert image.getpixel((20, 10))[0] > 150

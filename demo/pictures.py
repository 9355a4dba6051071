"""The demo's pictures, drawn here with Pillow (nothing is downloaded): simple flat product
shots in a colour per product, a T-shirt for the "not as described" case, and the buyer's
photos of its label. Small JPEGs, so that loading the demo stays quick."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

SIZE = 360
PALETTE = [
    (214, 69, 65),
    (52, 120, 198),
    (39, 163, 105),
    (142, 86, 178),
    (222, 160, 24),
    (24, 160, 150),
    (222, 110, 40),
    (70, 84, 104),
]


def _jpeg(image: Image.Image, name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _lighter(colour: tuple[int, int, int], by: float = 0.8) -> tuple[int, int, int]:
    """The colour mixed with white (`by` of white; a negative `by` darkens it)."""
    towards = 255 if by >= 0 else 0
    return tuple(round(c + (towards - c) * abs(by)) for c in colour)


def product_pictures(n: int) -> list[SimpleUploadedFile]:
    """Product n's two pictures: the item (a box with a lid, in its colour) and a detail."""
    colour = PALETTE[n % len(PALETTE)]
    s = SIZE
    front = Image.new("RGB", (s, s), _lighter(colour))
    draw = ImageDraw.Draw(front)
    draw.ellipse([s * 0.18, s * 0.78, s * 0.82, s * 0.9], fill=_lighter(colour, 0.6))  # shadow
    draw.rounded_rectangle([s * 0.22, s * 0.3, s * 0.78, s * 0.84], radius=s // 14, fill=colour)
    draw.rounded_rectangle(
        [s * 0.18, s * 0.22, s * 0.82, s * 0.34], radius=s // 24, fill=_lighter(colour, -0.2)
    )
    detail = Image.new("RGB", (s, s), _lighter(colour, 0.7))
    draw = ImageDraw.Draw(detail)
    for i in range(6):
        y = s * (0.12 + i * 0.13)
        draw.rounded_rectangle([s * 0.1, y, s * 0.9, y + s * 0.07], radius=s // 40, fill=colour)
    return [_jpeg(front, f"product-{n}.jpg"), _jpeg(detail, f"product-{n}-detail.jpg")]


def t_shirt(colour: tuple[int, int, int], name: str) -> SimpleUploadedFile:
    s = SIZE
    image = Image.new("RGB", (s, s), (236, 238, 241))
    draw = ImageDraw.Draw(image)
    outline = [
        (0.36, 0.14), (0.44, 0.2), (0.56, 0.2), (0.64, 0.14), (0.9, 0.28), (0.8, 0.44),
        (0.72, 0.4), (0.72, 0.88), (0.28, 0.88), (0.28, 0.4), (0.2, 0.44), (0.1, 0.28),
    ]  # fmt: skip
    draw.polygon([(x * s, y * s) for x, y in outline], fill=colour, outline=(150, 150, 150))
    return _jpeg(image, name)


def label_photo(*, cotton: int) -> SimpleUploadedFile:
    """A buyer's photo of a garment's care label: grey stripes, one line per fibre."""
    s = SIZE
    image = Image.new("RGB", (s, s), (120, 112, 104))
    draw = ImageDraw.Draw(image)
    draw.rectangle([s * 0.25, s * 0.1, s * 0.75, s * 0.9], fill=(250, 250, 246))
    for i, share in enumerate((cotton, 100 - cotton)):
        y = s * (0.2 + i * 0.14)
        draw.rectangle([s * 0.32, y, s * (0.32 + 0.0036 * share), y + s * 0.05], fill=(60, 60, 60))
    return _jpeg(image, f"label-{cotton}.jpg")

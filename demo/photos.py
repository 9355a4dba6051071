"""Photos for the demo's messages, drawn here with Pillow: nothing is downloaded."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw


def photo(name: str, *, background: str, subject: str, flaw: str | None = None):
    """A 480×360 JPEG of a rounded 'item' in `subject` on `background`, with a red mark where
    the buyer points at a `flaw` ("tear", "scratch") and a paper 'label' otherwise."""
    image = Image.new("RGB", (480, 360), background)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((90, 60, 390, 300), radius=36, fill=subject, outline="#333333", width=4)
    if flaw == "tear":
        draw.line((180, 120, 230, 190, 210, 240, 270, 280), fill="#e02e24", width=10)
        draw.ellipse((150, 100, 300, 300), outline="#e02e24", width=5)
    elif flaw == "scratch":
        for offset in range(0, 60, 15):
            draw.line((160 + offset, 140, 260 + offset, 220), fill="#e02e24", width=4)
    else:
        draw.rectangle((300, 90, 370, 170), fill="#fafafa", outline="#666666", width=3)
        for row in range(4):
            draw.line((310, 105 + row * 16, 360, 105 + row * 16), fill="#999999", width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")

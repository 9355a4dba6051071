"""Evidence images are checked by their content, not by their name or declared type."""

from __future__ import annotations

from PIL import Image, UnidentifiedImageError

from core.errors import InvalidInput
from core.rules import get_rules

ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def validate_image(upload) -> str:
    """Return the image's MIME type, or raise InvalidInput. Rewinds the file for saving."""
    limit = get_rules().max_evidence_bytes
    if upload.size > limit:
        raise InvalidInput(
            f"“{upload.name}” is larger than {limit // (1024 * 1024)} MB.", field="image"
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InvalidInput(f"“{upload.name}” is not a readable image.", field="image") from exc
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_FORMATS:
        raise InvalidInput(
            f"“{upload.name}” is {image_format}; send JPEG, PNG or WebP.", field="image"
        )
    return ALLOWED_FORMATS[image_format]

"""Evidence images are checked by their content, not by their name or declared type.

Decoding is bounded: only the header is read to learn the size, and an image of more than
MAX_PIXELS is refused before Pillow decodes anything (a small file can declare a huge canvas).
"""

from __future__ import annotations

import warnings

from PIL import Image, UnidentifiedImageError

from core.errors import CoreErrorCode, DomainError
from core.rules import get_rules

ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# The stored file's extension comes from the checked format, never from the client's name.
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
# 40 megapixels: more than any phone photo a buyer sends, far below a decompression bomb.
MAX_PIXELS = 40_000_000


def validate_image(upload) -> str:
    """Return the image's MIME type, or refuse the upload. Rewinds the file for saving."""
    limit = get_rules().max_evidence_bytes
    name = {"name": upload.name}
    if upload.size > limit:
        raise DomainError(
            CoreErrorCode.IMAGE_TOO_LARGE,
            {**name, "megabytes": limit // (1024 * 1024)},
            field="image",
        )
    too_many_pixels = {**name, "megapixels": MAX_PIXELS // 1_000_000}
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice it; we refuse by MAX_PIXELS.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = image.format
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise DomainError(
                        CoreErrorCode.IMAGE_TOO_MANY_PIXELS, too_many_pixels, field="image"
                    )
                image.verify()
    except Image.DecompressionBombError as exc:  # Pillow's own hard stop, far above ours
        raise DomainError(
            CoreErrorCode.IMAGE_TOO_MANY_PIXELS, too_many_pixels, field="image"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise DomainError(CoreErrorCode.IMAGE_UNREADABLE, name, field="image") from exc
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_FORMATS:
        raise DomainError(
            CoreErrorCode.IMAGE_FORMAT, {**name, "format": image_format}, field="image"
        )
    return ALLOWED_FORMATS[image_format]

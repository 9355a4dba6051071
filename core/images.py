"""Evidence images are checked by their content, not by their name or declared type, and
stored re-encoded, without the metadata a camera or phone writes into them.

Decoding is bounded: only the header is read to learn the size, and an image of more than
MAX_PIXELS is refused before Pillow decodes anything (a small file can declare a huge canvas).
"""

from __future__ import annotations

import io
import warnings

from django.core.files.base import ContentFile
from PIL import Image, ImageCms, ImageOps, JpegImagePlugin, UnidentifiedImageError

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


# What a re-encoded image keeps of the original's own data: only what draws its pixels.
_KEPT_INFO = ("transparency",)


def image_without_metadata(upload, content_type: str) -> ContentFile:
    """The checked image re-encoded from its pixels alone, to store in its place.

    A photo carries the phone's EXIF (the GPS position, the camera, the time), XMP, comments and
    an ICC profile whose text names the device; the other party must see none of it. Only the
    first frame is kept. The orientation EXIF gave is applied to the pixels, and colours in
    another profile are converted to sRGB, so that the picture looks as it did. A JPEG keeps its
    own quantisation tables, so that it loses no more quality than one re-encoding costs."""
    image_format = next(name for name, mime in ALLOWED_FORMATS.items() if mime == content_type)
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as original:
                options = _save_options(original, image_format)
                pixels = _in_srgb(ImageOps.exif_transpose(original))
                if image_format == "JPEG" and pixels.mode not in ("L", "RGB"):
                    pixels = pixels.convert("RGB")
                clean = pixels.copy()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        # The header was sound (validate_image) but the pixels are not: a truncated file.
        raise DomainError(
            CoreErrorCode.IMAGE_UNREADABLE, {"name": upload.name}, field="image"
        ) from exc
    finally:
        upload.seek(0)
    clean.info = {key: pixels.info[key] for key in _KEPT_INFO if key in pixels.info}
    buffer = io.BytesIO()
    clean.save(buffer, format=image_format, **options)
    return ContentFile(buffer.getvalue(), name=upload.name)


def _save_options(original, image_format: str) -> dict:
    if image_format == "PNG":
        return {}
    quantization = getattr(original, "quantization", None)
    if image_format == "JPEG" and quantization:
        return {"qtables": quantization, "subsampling": JpegImagePlugin.get_sampling(original)}
    return {"quality": 90}


def _in_srgb(image):
    """The image's colours in sRGB when it carries another profile (the profile then goes)."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image.convert("RGB") if image.mode == "CMYK" else image
    output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
    try:
        return ImageCms.profileToProfile(
            image,
            ImageCms.ImageCmsProfile(io.BytesIO(profile)),
            ImageCms.createProfile("sRGB"),
            outputMode=output_mode,
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        # A profile that cannot be read: the pixels as they are, without it.
        return image.convert("RGB") if image.mode == "CMYK" else image

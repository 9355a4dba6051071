"""Uploaded images (evidence, messages, product pictures) are checked by their content, not by
their name or declared type, and stored re-encoded, without the metadata a camera or phone
writes into them, under a generated name.

Decoding is bounded: only the header is read to learn the size, and an image of more than
MAX_PIXELS is refused before Pillow decodes anything (a small file can declare a huge canvas).

Every app stores its images this way, so the checks, the names and the clean-up of files a
failed service wrote live here, at the bottom of the apps.
"""

from __future__ import annotations

import functools
import io
import uuid
import warnings
from collections.abc import Callable
from contextvars import ContextVar

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


def checked_image(upload) -> tuple[ContentFile, str]:
    """The upload checked (`validate_image`) and re-encoded (`image_without_metadata`): the
    file to store and its MIME type. Refuses the upload with the image's coded error."""
    content_type = validate_image(upload)
    return image_without_metadata(upload, content_type), content_type


def generated_name(folder: str, content_type: str) -> str:
    """A stored image's name: random, with the extension of the checked format, so that the
    client's name and extension never reach the disk or a URL."""
    return f"{folder}/{uuid.uuid4().hex}.{EXTENSIONS[content_type]}"


# The files written by the service running now (see `deletes_its_files_on_failure`).
_written: ContextVar[list | None] = ContextVar("image_files_written", default=None)


def remember_written(file) -> None:
    """Note a stored file (a saved row's FieldFile) for the running service's clean-up."""
    written = _written.get()
    if written is not None:
        written.append(file)


def deletes_its_files_on_failure[**P, R](service: Callable[P, R]) -> Callable[P, R]:
    """Decorate a service that stores images, so that when it fails the image files it wrote
    (`remember_written`) are deleted.

    A file is written when its row is inserted (the row keeps its generated name), inside
    the service's transaction, but storage takes part in no transaction: a refusal or error
    after that point rolls the rows back and would leave the files on disk, named by no row.
    A failure that leaves the service has rolled back every row it wrote (its block, or its
    savepoint inside a caller's), so its files go too. Files of a service that succeeds are
    handed to an enclosing one, which deletes them if it fails in turn."""

    @functools.wraps(service)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        written: list = []
        token = _written.set(written)
        try:
            result = service(*args, **kwargs)
        except BaseException:
            for file in written:
                file.storage.delete(file.name)
            raise
        finally:
            _written.reset(token)
        enclosing = _written.get()
        if enclosing is not None:
            enclosing.extend(written)
        return result

    return wrapper

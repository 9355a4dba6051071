"""Hostile image files, made here byte by byte (nothing downloaded)."""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

HTML = b"<html><script>alert(document.cookie)</script></html>"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares width × height pixels (a decompression bomb's shape)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IEND", b"")


def image_bytes(image_format: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format=image_format)
    return buffer.getvalue()


def upload(content: bytes, name: str, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def png_polyglot(name: str = "x.html") -> SimpleUploadedFile:
    """A valid PNG with a page appended, sent as x.html and text/html."""
    return upload(image_bytes("PNG") + HTML, name, "text/html")


def jpeg_polyglot(name: str = "x.svg") -> SimpleUploadedFile:
    return upload(image_bytes("JPEG") + HTML, name, "image/svg+xml")

"""Provider limits on media input, checked before a request is sent (pure).

A request the provider would reject for its size is a :class:`~typedllm.ConfigurationError`
naming the part, its size and the limit, instead of a 400 after uploading megabytes. Only
media sent as bytes count (a URL is fetched by the provider, which checks it itself). The
limits are the providers' documented ones:

* Anthropic (Messages, Bedrock, Vertex AI): an image at most 5 MB (of base64) and 8000x8000
  px (2000x2000 px when a request holds more than 20 images), at most 100 images, and the
  request at most 32 MB (https://platform.claude.com/docs/en/build-with-claude/vision,
  "General limits"; PDFs share the 32 MB request limit,
  https://platform.claude.com/docs/en/build-with-claude/pdf-support).
* OpenAI (Chat Completions, Responses): images at most 50 MB of payload per request and at
  most 500 images (https://platform.openai.com/docs/guides/images-vision, "Image input
  requirements"); files at most 32 MB per request
  (https://platform.openai.com/docs/guides/pdf-files).
* Gemini: inline data at most 100 MB per request, a PDF at most 50 MB
  (https://ai.google.dev/gemini-api/docs/file-input-methods, "Input method comparison").
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

from ._errors import ConfigurationError
from ._messages import AudioPart, DocumentPart, ImagePart, Message

__all__ = ["MediaLimits", "check_media_limits", "image_size", "limits_for"]

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class MediaLimits:
    """What one wire accepts (``None``: no documented limit)."""

    provider: str
    image_bytes: int | None = None
    """Largest single image (of base64 text when ``base64_sizes``)."""
    image_pixels: int | None = None
    """Largest width or height of an image."""
    many_images: int | None = None
    """Above this many images, ``many_image_pixels`` applies instead."""
    many_image_pixels: int | None = None
    max_images: int | None = None
    images_total: int | None = None
    """All images of a request together."""
    documents_total: int | None = None
    """All documents of a request together."""
    pdf_bytes: int | None = None
    """Largest single PDF."""
    request_total: int | None = None
    """All inline media of a request together."""
    base64_sizes: bool = False
    """Sizes count the base64 text sent, not the raw bytes."""


_ANTHROPIC = MediaLimits(
    "Anthropic",
    image_bytes=5 * MB,
    image_pixels=8000,
    many_images=20,
    many_image_pixels=2000,
    max_images=100,
    request_total=32 * MB,
    base64_sizes=True,
)
_OPENAI = MediaLimits(
    "OpenAI", images_total=50 * MB, max_images=500, documents_total=32 * MB, base64_sizes=True
)
_GEMINI = MediaLimits("Gemini", pdf_bytes=50 * MB, request_total=100 * MB, base64_sizes=True)

_BY_WIRE = {
    "anthropic-messages": _ANTHROPIC,
    "anthropic-bedrock": _ANTHROPIC,
    "anthropic-vertex": _ANTHROPIC,
    "openai-chat": _OPENAI,
    "azure-openai-chat": _OPENAI,
    "openai-responses": _OPENAI,
    "gemini-generate-content": _GEMINI,
}


def limits_for(wire: str, provider: str) -> MediaLimits | None:
    """The limits of ``wire``; OpenAI's Chat wire only for OpenAI itself (compatible hosts
    document their own limits, or none)."""
    limits = _BY_WIRE.get(wire)
    if limits is _OPENAI and wire == "openai-chat" and provider != "openai":
        return None
    return limits


def image_size(data: bytes) -> tuple[int, int] | None:
    """``(width, height)`` from a PNG, GIF, JPEG or WebP header (``None``: not told)."""
    try:
        if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
            width, height = struct.unpack(">II", data[16:24])
            return int(width), int(height)
        if data[:6] in (b"GIF87a", b"GIF89a"):
            width, height = struct.unpack("<HH", data[6:10])
            return int(width), int(height)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp_size(data)
        if data[:3] == b"\xff\xd8\xff":
            return _jpeg_size(data)
    except struct.error:
        return None
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    if chunk == b"VP8 ":
        width, height = struct.unpack("<HH", data[26:30])
        return int(width) & 0x3FFF, int(height) & 0x3FFF
    if chunk == b"VP8L":
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            index += 1
            continue
        marker = data[index + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            index += 2
            continue
        (length,) = struct.unpack(">H", data[index + 2 : index + 4])
        # Start-of-frame markers (not DHT 0xC4, JPG 0xC8, DAC 0xCC) hold the dimensions.
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[index + 5 : index + 9])
            return int(width), int(height)
        index += 2 + int(length)
    return None


def _sent_size(data: bytes, limits: MediaLimits) -> int:
    return 4 * ((len(data) + 2) // 3) if limits.base64_sizes else len(data)


def _mb(size: int) -> str:
    return f"{size / MB:.1f} MB"


def check_media_limits(wire: str, provider: str, messages: Sequence[Message]) -> None:
    """Raise :class:`~typedllm.ConfigurationError` when the media of ``messages`` exceed what
    ``wire`` accepts (see the module docstring for the limits and their sources)."""
    limits = limits_for(wire, provider)
    if limits is None:
        return
    images: list[tuple[str, ImagePart]] = []
    documents: list[tuple[str, DocumentPart]] = []
    total = 0
    for position, message in enumerate(messages):
        for index, part in enumerate(message.parts):
            if not isinstance(part, (ImagePart, DocumentPart, AudioPart)) or part.data is None:
                continue
            name = f"message {position} part {index} ({type(part).__name__}, {part.media_type})"
            total += _sent_size(part.data, limits)
            if isinstance(part, ImagePart):
                images.append((name, part))
            elif isinstance(part, DocumentPart):
                documents.append((name, part))
    who = limits.provider
    if limits.max_images is not None and len(images) > limits.max_images:
        raise ConfigurationError(
            f"{who} takes at most {limits.max_images} images per request, got {len(images)}"
        )
    pixels = limits.image_pixels
    if limits.many_images is not None and len(images) > limits.many_images:
        pixels = limits.many_image_pixels
    image_total = 0
    for name, part in images:
        assert part.data is not None
        size = _sent_size(part.data, limits)
        image_total += size
        if limits.image_bytes is not None and size > limits.image_bytes:
            raise ConfigurationError(
                f"{name} is {_mb(size)}; {who} takes images of at most "
                f"{_mb(limits.image_bytes)} (resize it, or pass a URL)"
            )
        dims = image_size(part.data) if pixels is not None else None
        if pixels is not None and dims is not None and max(dims) > pixels:
            many = (
                f" in a request with more than {limits.many_images} images"
                if pixels == limits.many_image_pixels
                else ""
            )
            raise ConfigurationError(
                f"{name} is {dims[0]}x{dims[1]} px; {who} takes images of at most "
                f"{pixels}x{pixels} px{many}"
            )
    if limits.images_total is not None and image_total > limits.images_total:
        raise ConfigurationError(
            f"the images of this request are {_mb(image_total)}; {who} takes at most "
            f"{_mb(limits.images_total)} of images per request"
        )
    document_total = 0
    for name, part in documents:
        assert part.data is not None
        size = _sent_size(part.data, limits)
        document_total += size
        pdf_limit = limits.pdf_bytes
        if pdf_limit is not None and part.media_type == "application/pdf" and size > pdf_limit:
            raise ConfigurationError(
                f"{name} is {_mb(size)}; {who} takes PDFs of at most {_mb(pdf_limit)}"
            )
    if limits.documents_total is not None and document_total > limits.documents_total:
        raise ConfigurationError(
            f"the documents of this request are {_mb(document_total)}; {who} takes at most "
            f"{_mb(limits.documents_total)} of files per request"
        )
    if limits.request_total is not None and total > limits.request_total:
        raise ConfigurationError(
            f"the inline media of this request are {_mb(total)}; {who} takes requests of at "
            f"most {_mb(limits.request_total)} (send large media by URL or file URI)"
        )

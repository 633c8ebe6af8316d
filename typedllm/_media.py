"""Reading media for content parts: bytes, file paths, ``data:`` URLs and media types (pure
except for reading a file the caller named).

Media types are sniffed from the first bytes (the formats providers accept have unambiguous
signatures), then from the file extension; a type that cannot be told is a
:class:`~typedllm.ConfigurationError` asking for ``media_type=``, never a guess.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from pathlib import Path

from ._errors import ConfigurationError

__all__ = ["is_url", "read_source", "sniff_media_type"]

_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"%PDF-", 0, "application/pdf"),
    (b"ID3", 0, "audio/mpeg"),
    (b"fLaC", 0, "audio/flac"),
    (b"OggS", 0, "audio/ogg"),
)

_EXTENSIONS = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".heic": "image/heic",
    ".heif": "image/heif",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".csv": "text/csv",
    ".html": "text/html",
    ".htm": "text/html",
    ".json": "application/json",
    ".xml": "text/xml",
    ".wav": "audio/wav",
    ".mp3": "audio/mpeg",
    ".flac": "audio/flac",
    ".ogg": "audio/ogg",
    ".m4a": "audio/mp4",
    ".aac": "audio/aac",
    ".aiff": "audio/aiff",
    ".webm": "audio/webm",
}

_URL = re.compile(r"^(?:https?|gs|s3)://", re.IGNORECASE)
_DATA_URL = re.compile(r"^data:(?P<type>[\w.+-]+/[\w.+-]+)?(?P<params>(?:;[^,;]*)*),", re.DOTALL)


def sniff_media_type(data: bytes) -> str | None:
    """The media type the bytes' signature shows, or ``None``."""
    for signature, offset, media_type in _SIGNATURES:
        if data[offset : offset + len(signature)] == signature:
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "audio/wav"
    if data[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "audio/mpeg"
    if data[4:8] == b"ftyp" and data[8:12] in (b"M4A ", b"M4B "):
        return "audio/mp4"
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"heim", b"heis"):
        return "image/heic"
    if data[4:8] == b"ftyp" and data[8:12] in (b"mif1", b"msf1", b"heif"):
        return "image/heif"
    if data[:4] == b"FORM" and data[8:12] in (b"AIFF", b"AIFC"):
        return "audio/aiff"
    if data[:2] in (b"\xff\xf1", b"\xff\xf9"):  # AAC in ADTS frames
        return "audio/aac"
    return None


def is_url(source: str) -> bool:
    """Whether ``source`` is a remote URL (``http(s)://``, ``gs://``, ``s3://``)."""
    return bool(_URL.match(source))


def _decode_data_url(source: str) -> tuple[bytes, str | None]:
    match = _DATA_URL.match(source)
    if match is None or ";base64" not in (match.group("params") or ""):
        raise ConfigurationError("only base64 data: URLs are supported (data:<type>;base64,...)")
    try:
        data = base64.b64decode(source[match.end() :], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ConfigurationError(f"the data: URL is not valid base64: {exc}") from None
    return data, match.group("type")


def read_source(
    source: str | bytes | os.PathLike[str], what: str
) -> tuple[str | None, bytes | None, str | None, str | None]:
    """``(url, data, declared type, guessed type)`` of a media source: a URL stays a URL, a
    ``data:`` URL and a file path become bytes; a data URL declares its type, a file name only
    suggests one (the bytes' own signature wins over the suggestion, not over a declaration)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return None, bytes(source), None, None
    if isinstance(source, str):
        if is_url(source):
            return source, None, None, None
        if source.startswith("data:"):
            data, media_type = _decode_data_url(source)
            return None, data, media_type, None
    if not isinstance(source, (str, os.PathLike)):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ConfigurationError(
            f"{what} takes a URL, a file path or bytes, got {type(source).__name__}"
        )
    path = Path(source)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigurationError(
            f"{what}: no such file {str(path)!r} "
            "(URLs must start with http://, https://, gs:// or s3://)"
        ) from None
    except OSError as exc:
        raise ConfigurationError(f"{what}: cannot read {str(path)!r}: {exc}") from None
    return None, data, None, _EXTENSIONS.get(path.suffix.lower())


def media_type_of_url(url: str) -> str | None:
    """The media type a URL's file extension suggests (``None`` when it does not)."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    suffix = os.path.splitext(path)[1].lower()
    return _EXTENSIONS.get(suffix)

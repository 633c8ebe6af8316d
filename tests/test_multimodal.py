"""Multimodal input: media type detection (signatures over extensions), URLs, bytes, paths and
provider file ids, each wire's encoding of images, documents and audio, the size and type
limits checked before sending, and the catalog's capability gates."""

from __future__ import annotations

import base64
import struct
from pathlib import Path
from typing import Any

import pytest

import typedllm as tl
from typedllm._media_limits import image_size
from typedllm.testing import FakeProvider

MB = 1024 * 1024


def png(width: int = 4, height: int = 3, extra: int = 0) -> bytes:
    """A PNG header with the given dimensions (and padding to reach a size)."""
    ihdr = struct.pack(">II", width, height) + b"\x08\x06\x00\x00\x00"
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + b"\x00" * (4 + extra)


def jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00" + b"\x00" * 9
    sof = b"\xff\xc0" + struct.pack(">HBHH", 17, 8, height, width) + b"\x00" * 10
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


PDF = b"%PDF-1.4\n%fake\n"
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 20


@pytest.fixture(autouse=True)
def _no_env_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY"):
        monkeypatch.delenv(name, raising=False)


def body(client_builder: Any, *content: Any) -> dict[str, Any]:
    fake = FakeProvider()
    client: tl.Client = client_builder.api_key("k").transport(fake).build()
    client.complete([tl.user(list(content))])
    result: dict[str, Any] = fake.requests[-1].json
    return result


# -- sources and media types ------------------------------------------------------------------


def test_the_bytes_signature_wins_over_a_misleading_extension(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(png())
    part = tl.image(path)
    assert part.media_type == "image/png" and part.data == png()


def test_an_unknown_extension_with_a_known_signature(tmp_path: Path) -> None:
    path = tmp_path / "upload.bin"
    path.write_bytes(PDF)
    assert tl.document(path).media_type == "application/pdf"
    wav = tmp_path / "clip.dat"
    wav.write_bytes(WAV)
    assert tl.audio(wav).media_type == "audio/wav"


def test_plain_text_documents_by_extension(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Dummy TXT file\n")
    part = tl.document(path)
    assert part.media_type == "text/plain"


def test_bytes_without_a_signature_need_a_media_type() -> None:
    with pytest.raises(tl.ConfigurationError, match="media_type="):
        tl.image(b"not an image")
    assert tl.image(b"raw", media_type="image/heic").media_type == "image/heic"


def test_urls_stay_urls_with_the_type_from_their_extension() -> None:
    part = tl.image("https://example.com/cat.png?size=large", detail="low")
    assert (part.url, part.data, part.media_type, part.detail) == (
        "https://example.com/cat.png?size=large",
        None,
        "image/png",
        "low",
    )
    assert tl.audio("gs://bucket/voice.wav").media_type == "audio/wav"


def test_data_urls_become_bytes() -> None:
    url = "data:image/png;base64," + base64.b64encode(png()).decode()
    part = tl.image(url)
    assert part.data == png() and part.url is None


def test_kind_mismatch_is_an_error() -> None:
    with pytest.raises(tl.ConfigurationError, match=r"use tl\.document"):
        tl.image(PDF)
    with pytest.raises(tl.ConfigurationError, match=r"use tl\.image"):
        tl.document(png())


def test_file_ids_are_a_third_kind_of_source() -> None:
    part = tl.document(file_id="file_011CUqxoZRiX7XTJp6mycVwB")
    assert part.file_id == "file_011CUqxoZRiX7XTJp6mycVwB" and part.url is None
    with pytest.raises(tl.ConfigurationError, match="not both"):
        tl.document("https://example.com/a.pdf", file_id="file-1")
    with pytest.raises(tl.ConfigurationError, match="exactly one"):
        tl.ImagePart()
    with pytest.raises(tl.ConfigurationError, match="non-empty"):
        tl.ImagePart(file_id="")


def test_image_dimensions_from_headers() -> None:
    assert image_size(png(640, 480)) == (640, 480)
    assert image_size(jpeg(1024, 768)) == (1024, 768)
    assert image_size(b"GIF89a" + struct.pack("<HH", 32, 16) + b"\x00" * 8) == (32, 16)
    vp8x = b"RIFF\x00\x00\x00\x00WEBPVP8X" + b"\x00" * 8
    vp8x += (999).to_bytes(3, "little") + (499).to_bytes(3, "little")
    assert image_size(vp8x) == (1000, 500)
    assert image_size(b"nothing") is None


# -- each wire's encoding ---------------------------------------------------------------------


def test_anthropic_image_document_text_document_and_file_id() -> None:
    sent = body(
        tl.anthropic().model("claude-sonnet-4-5"),
        "Compare",
        tl.image(png()),
        tl.document(PDF, title="Spec"),
        tl.document(b"plain words", media_type="text/plain"),
        tl.document("https://example.com/a.pdf"),
        tl.document(file_id="file_abc"),
    )
    blocks = sent["messages"][0]["content"]
    assert blocks[1] == {
        "type": "image",
        "source": {
            "type": "base64",
            "media_type": "image/png",
            "data": base64.b64encode(png()).decode(),
        },
    }
    assert blocks[2]["title"] == "Spec" and blocks[2]["source"]["media_type"] == "application/pdf"
    assert blocks[3]["source"] == {
        "type": "text",
        "media_type": "text/plain",
        "data": "plain words",
    }
    assert blocks[4]["source"] == {"type": "url", "url": "https://example.com/a.pdf"}
    assert blocks[5]["source"] == {"type": "file", "file_id": "file_abc"}


def test_openai_chat_image_file_and_audio() -> None:
    sent = body(
        tl.vllm("http://127.0.0.1:8000/v1").model("Qwen/Qwen2-Audio-7B-Instruct"),
        "Listen",
        tl.audio(WAV),
    )
    audio = sent["messages"][0]["content"][1]
    assert audio == {
        "type": "input_audio",
        "input_audio": {"data": base64.b64encode(WAV).decode(), "format": "wav"},
    }
    sent = body(
        tl.openai().model("gpt-4o"),
        tl.image("https://example.com/cat.png", detail="high"),
        tl.document(PDF, title="report.pdf"),
        tl.document(file_id="file-WjfzScJffFiaj2htFSVbuj"),
    )
    parts = sent["messages"][0]["content"]
    assert parts[0] == {
        "type": "image_url",
        "image_url": {"url": "https://example.com/cat.png", "detail": "high"},
    }
    assert parts[1]["file"]["filename"] == "report.pdf"
    assert parts[1]["file"]["file_data"].startswith("data:application/pdf;base64,")
    assert parts[2] == {"type": "file", "file": {"file_id": "file-WjfzScJffFiaj2htFSVbuj"}}


def test_openai_responses_input_image_and_input_file() -> None:
    sent = body(
        tl.openai().model("gpt-4o").api("responses"),
        tl.image(file_id="file-img"),
        tl.document("https://example.com/a.pdf"),
        tl.document(file_id="file-VX4sV3ds6eDMXnGhhqKiD3"),
    )
    parts = sent["input"][0]["content"]
    assert parts == [
        {"type": "input_image", "file_id": "file-img", "detail": "auto"},
        {"type": "input_file", "file_url": "https://example.com/a.pdf"},
        {"type": "input_file", "file_id": "file-VX4sV3ds6eDMXnGhhqKiD3"},
    ]


def test_gemini_inline_data_and_file_uris_including_audio() -> None:
    sent = body(
        tl.gemini().model("gemini-2.5-flash"),
        "Translate",
        tl.audio(WAV),
        tl.document(PDF),
        tl.audio(
            "https://generativelanguage.googleapis.com/v1beta/files/abc", media_type="audio/mpeg"
        ),
    )
    parts = sent["contents"][0]["parts"]
    assert parts[1] == {
        "inlineData": {"mimeType": "audio/wav", "data": base64.b64encode(WAV).decode()}
    }
    assert parts[2]["inlineData"]["mimeType"] == "application/pdf"
    assert parts[3] == {
        "fileData": {
            "mimeType": "audio/mpeg",
            "fileUri": "https://generativelanguage.googleapis.com/v1beta/files/abc",
        }
    }


# -- capability gates -------------------------------------------------------------------------


def test_audio_on_a_model_without_audio_input_is_refused_before_sending() -> None:
    fake = FakeProvider()
    client = tl.openai().model("gpt-4o").api_key("k").transport(fake).build()
    with pytest.raises(tl.ConfigurationError, match="does not take audio"):
        client.complete([tl.user(["Listen", tl.audio(WAV)])])
    assert fake.requests == []


def test_claude_takes_no_audio() -> None:
    fake = FakeProvider()
    client = tl.anthropic().model("claude-sonnet-4-5").api_key("k").transport(fake).build()
    with pytest.raises(tl.ConfigurationError, match="audio"):
        client.complete([tl.user([tl.audio(WAV)])])
    assert fake.requests == []


def test_file_ids_only_where_a_files_api_exists() -> None:
    fake = FakeProvider()
    client = tl.gemini().model("gemini-2.5-flash").api_key("k").transport(fake).build()
    with pytest.raises(tl.ConfigurationError, match="by file_id"):
        client.complete([tl.user([tl.document(file_id="file_abc")])])
    assert fake.requests == []


# -- size limits, before sending --------------------------------------------------------------


def refused(builder: Any, *content: Any) -> str:
    fake = FakeProvider()
    client: tl.Client = builder.api_key("k").transport(fake).build()
    with pytest.raises(tl.ConfigurationError) as caught:
        client.complete([tl.user(list(content))])
    assert fake.requests == [], "nothing may be sent"
    return str(caught.value)


def test_anthropic_image_over_5_mb_names_the_part_and_the_limit() -> None:
    message = refused(
        tl.anthropic().model("claude-sonnet-4-5"), "Look", tl.image(png(extra=4 * MB))
    )
    assert "message 0 part 1 (ImagePart, image/png)" in message
    assert "5.0 MB" in message


def test_anthropic_image_over_8000_px() -> None:
    message = refused(tl.anthropic().model("claude-sonnet-4-5"), tl.image(png(8001, 10)))
    assert "8001x10 px" in message and "8000x8000 px" in message


def test_anthropic_many_images_lower_the_pixel_limit() -> None:
    images = [tl.image(png(2100, 100)) for _ in range(21)]
    message = refused(tl.anthropic().model("claude-sonnet-4-5"), *images)
    assert "2000x2000 px in a request with more than 20 images" in message
    sent = body(tl.anthropic().model("claude-sonnet-4-5"), *images[:20])
    assert len(sent["messages"][0]["content"]) == 20


def test_anthropic_request_over_32_mb() -> None:
    docs = [tl.document(PDF + b"\x00" * (9 * MB)) for _ in range(3)]
    message = refused(tl.anthropic().model("claude-sonnet-4-5"), *docs)
    assert "32.0 MB" in message


def test_openai_images_over_50_mb_per_request() -> None:
    images = [tl.image(png(extra=9 * MB)) for _ in range(5)]
    message = refused(tl.openai().model("gpt-4o"), *images)
    assert "50.0 MB of images per request" in message


def test_gemini_pdf_over_50_mb() -> None:
    message = refused(tl.gemini().model("gemini-2.5-flash"), tl.document(PDF + b"\x00" * (38 * MB)))
    assert "PDFs of at most 50.0 MB" in message


def test_urls_are_not_counted() -> None:
    sent = body(
        tl.anthropic().model("claude-sonnet-4-5"),
        *[tl.image(f"https://example.com/{i}.png") for i in range(30)],
    )
    assert len(sent["messages"][0]["content"]) == 30


def test_compatible_hosts_have_no_openai_limits() -> None:
    from typedllm._media_limits import limits_for

    assert limits_for("openai-chat", "openai") is not None
    assert limits_for("openai-chat", "groq") is None
    assert limits_for("ollama-chat", "ollama") is None


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "image/heic"),
        (b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00", "image/heif"),
        (b"FORM\x00\x00\x00\x10AIFFCOMM", "audio/aiff"),
        (b"\xff\xf1\x50\x80\x00\x1f\xfc", "audio/aac"),
        (b"\xff\xfb\x90\x00", "audio/mpeg"),
        (b"fLaC\x00\x00\x00\x22", "audio/flac"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
    ],
)
def test_signatures(head: bytes, expected: str) -> None:
    from typedllm._media import sniff_media_type

    assert sniff_media_type(head) == expected

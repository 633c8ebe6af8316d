"""The conversation model: messages of content parts, media constructors and role rules."""

from __future__ import annotations

import base64
import copy
import pickle
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

import typedllm as tl
from typedllm.testing import FakeProvider

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 "
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
WAV = b"RIFF\x24\x08\x00\x00WAVEfmt \x10\x00\x00\x00"
MP3_ID3 = b"ID3\x04\x00\x00\x00\x00\x00\x00"
MP3_FRAME = b"\xff\xfb\x90\x64\x00"


def client(fake: FakeProvider, **opts: Any) -> tl.Client:
    builder: Any = tl.openai().model("gpt-4o-mini").api_key("sk-test").transport(fake)
    for name, value in opts.items():
        builder = getattr(builder, name)(value)
    built: tl.Client = builder.build()
    return built


# -- text and parts --------------------------------------------------------------------------


def test_user_text_is_its_content() -> None:
    message = tl.user("x")
    assert message.role == "user"
    assert message.content == "x"
    assert message.parts == (tl.TextPart("x"),)


def test_parts_keep_their_order_and_content_joins_the_text() -> None:
    picture = tl.image("https://example.com/cat.png")
    message = tl.user(["Describe", picture, " and ", tl.TextPart("compare")])
    assert message.parts == (
        tl.TextPart("Describe"),
        picture,
        tl.TextPart(" and "),
        tl.TextPart("compare"),
    )
    assert message.content == "Describe and compare"


def test_user_with_text_and_image() -> None:
    message = tl.user(["Describe", tl.image("https://example.com/cat.png")])
    assert [type(p) for p in message.parts] == [tl.TextPart, tl.ImagePart]
    image = message.parts[1]
    assert isinstance(image, tl.ImagePart)
    assert image.url == "https://example.com/cat.png"
    assert image.media_type == "image/png"
    assert image.data is None


def test_empty_string_has_no_parts() -> None:
    message = tl.user("")
    assert message.parts == ()
    assert message.content == ""


def test_content_of_a_message_without_text_is_empty() -> None:
    message = tl.user([tl.image("https://example.com/cat.png")])
    assert message.content == ""


def test_assistant_tool_calls_and_reasoning_views() -> None:
    call = tl.ToolCall("c1", "get_weather", '{"city": "Paris"}')
    message = tl.Message(
        "assistant", [tl.ReasoningPart("think"), tl.TextPart("Let me look.")], [call]
    )
    assert message.tool_calls == (call,)
    assert message.reasoning == "think"
    assert message.content == "Let me look."
    assert message.parts[-1] is call
    assert tl.assistant("plain").reasoning is None
    assert tl.assistant("plain").tool_calls == ()


# -- images ------------------------------------------------------------------------------------


def test_image_from_http_url_keeps_the_url() -> None:
    part = tl.image("https://example.com/photo.jpeg?size=large", detail="low")
    assert part.url == "https://example.com/photo.jpeg?size=large"
    assert part.data is None
    assert part.media_type == "image/jpeg"
    assert part.detail == "low"


def test_image_url_without_extension_has_no_media_type() -> None:
    part = tl.image("https://example.com/render")
    assert part.url == "https://example.com/render"
    assert part.media_type is None


def test_image_from_data_url_becomes_bytes() -> None:
    url = "data:image/png;base64," + base64.b64encode(PNG).decode()
    part = tl.image(url)
    assert part.url is None
    assert part.data == PNG
    assert part.media_type == "image/png"


def test_data_url_type_is_used_when_bytes_have_no_signature() -> None:
    url = "data:image/heic;base64," + base64.b64encode(b"\x00\x01\x02\x03").decode()
    part = tl.image(url)
    assert part.data == b"\x00\x01\x02\x03"
    assert part.media_type == "image/heic"


def test_data_url_that_is_not_base64_is_rejected() -> None:
    with pytest.raises(tl.ConfigurationError, match="base64"):
        tl.image("data:image/png,rawdata")


def test_data_url_with_invalid_base64_is_rejected() -> None:
    with pytest.raises(tl.ConfigurationError, match="not valid base64"):
        tl.image("data:image/png;base64,@@@not base64@@@")


@pytest.mark.parametrize(
    ("data", "media_type"),
    [(PNG, "image/png"), (JPEG, "image/jpeg"), (GIF, "image/gif"), (WEBP, "image/webp")],
)
def test_image_bytes_are_sniffed(data: bytes, media_type: str) -> None:
    part = tl.image(data)
    assert part.data == data
    assert part.url is None
    assert part.media_type == media_type


def test_image_from_bytearray_and_memoryview() -> None:
    assert tl.image(bytearray(PNG)).data == PNG
    assert tl.image(memoryview(PNG)).media_type == "image/png"


def test_explicit_media_type_wins_over_unknown_bytes() -> None:
    part = tl.image(b"\x00\x01\x02", media_type="image/avif")
    assert part.media_type == "image/avif"


def test_image_from_a_file_path(tmp_path: Path) -> None:
    path = tmp_path / "cat.png"
    path.write_bytes(PNG)
    for source in (path, str(path)):
        part = tl.image(source)
        assert part.data == PNG
        assert part.url is None
        assert part.media_type == "image/png"


def test_image_file_type_is_sniffed_before_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "photo.bin"
    path.write_bytes(JPEG)
    assert tl.image(path).media_type == "image/jpeg"


def test_image_file_type_falls_back_to_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "photo.heic"
    path.write_bytes(b"\x00\x00\x00\x18ftypheic")
    assert tl.image(path).media_type == "image/heic"


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-picture.png"
    with pytest.raises(tl.ConfigurationError, match=r"no-such-picture\.png") as info:
        tl.image(str(missing))
    assert "no such file" in str(info.value)


def test_bytes_without_a_detectable_type_ask_for_media_type() -> None:
    with pytest.raises(tl.ConfigurationError, match="media_type="):
        tl.image(b"just some bytes")


def test_file_without_a_detectable_type_asks_for_media_type(tmp_path: Path) -> None:
    path = tmp_path / "blob.unknownext"
    path.write_bytes(b"\x00\x01\x02\x03")
    with pytest.raises(tl.ConfigurationError, match="media_type="):
        tl.image(path)


def test_pdf_bytes_are_not_an_image() -> None:
    with pytest.raises(tl.ConfigurationError, match=r"application/pdf.*tl\.document"):
        tl.image(PDF)


def test_pdf_url_is_not_an_image() -> None:
    with pytest.raises(tl.ConfigurationError, match="application/pdf"):
        tl.image("https://example.com/report.pdf")


def test_image_rejects_a_non_image_media_type() -> None:
    with pytest.raises(tl.ConfigurationError, match="application/pdf"):
        tl.image(PNG, media_type="application/pdf")


def test_image_rejects_other_source_types() -> None:
    with pytest.raises(tl.ConfigurationError, match="int"):
        tl.image(42)  # type: ignore[arg-type]


def test_image_part_needs_exactly_one_source() -> None:
    with pytest.raises(tl.ConfigurationError, match="exactly one"):
        tl.ImagePart()
    with pytest.raises(tl.ConfigurationError, match="exactly one"):
        tl.ImagePart(url="https://x/a.png", data=PNG, media_type="image/png")
    with pytest.raises(tl.ConfigurationError, match="media_type"):
        tl.ImagePart(data=PNG)


def test_image_bytes_are_not_in_the_repr() -> None:
    secretish = PNG + b"UNIQUE-PAYLOAD-MARKER"
    assert "UNIQUE-PAYLOAD-MARKER" not in repr(tl.image(secretish))


# -- documents and audio -----------------------------------------------------------------------


def test_document_from_pdf_bytes() -> None:
    part = tl.document(PDF, title="Report")
    assert part.data == PDF
    assert part.media_type == "application/pdf"
    assert part.title == "Report"


def test_document_from_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello notes", encoding="utf-8")
    part = tl.document(path)
    assert part.data == b"hello notes"
    assert part.media_type == "text/plain"


def test_document_from_a_markdown_file(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_text("# Title", encoding="utf-8")
    assert tl.document(str(path)).media_type == "text/markdown"


def test_document_url_defaults_to_pdf() -> None:
    part = tl.document("https://example.com/paper")
    assert part.url == "https://example.com/paper"
    assert part.media_type == "application/pdf"


def test_document_with_explicit_type() -> None:
    part = tl.document(b"a,b\n1,2\n", media_type="text/csv")
    assert part.media_type == "text/csv"


def test_audio_wav_from_riff_header() -> None:
    part = tl.audio(WAV)
    assert part.media_type == "audio/wav"
    assert part.format == "wav"
    assert part.data == WAV


@pytest.mark.parametrize("data", [MP3_ID3, MP3_FRAME])
def test_audio_mp3(data: bytes) -> None:
    part = tl.audio(data)
    assert part.media_type == "audio/mpeg"
    assert part.format == "mp3"


def test_audio_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "voice.flac"
    path.write_bytes(b"fLaC\x00\x00\x00\x22")
    part = tl.audio(path)
    assert part.media_type == "audio/flac"
    assert part.format == "flac"


def test_audio_format_names() -> None:
    assert tl.AudioPart(data=b"x", media_type="audio/x-wav").format == "wav"
    assert tl.AudioPart(data=b"x", media_type="audio/wave").format == "wav"
    assert tl.AudioPart(data=b"x", media_type="audio/ogg").format == "ogg"


def test_audio_rejects_an_image() -> None:
    with pytest.raises(tl.ConfigurationError, match="image/png"):
        tl.audio(PNG)


def test_audio_bytes_without_a_type_ask_for_media_type() -> None:
    with pytest.raises(tl.ConfigurationError, match="media_type="):
        tl.audio(b"\x00\x00\x00\x00")


# -- role rules --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["system", "assistant"])
def test_media_is_not_allowed_in_system_or_assistant_messages(role: str) -> None:
    with pytest.raises(tl.ConfigurationError, match="ImagePart"):
        tl.Message(role, [tl.image("https://example.com/a.png")])  # type: ignore[call-overload]


def test_tool_call_in_a_user_message_is_rejected() -> None:
    with pytest.raises(tl.ConfigurationError, match=r"ToolCall.*assistant"):
        tl.user([tl.ToolCall("c1", "f", "{}")])


def test_tool_call_in_a_tool_result_is_rejected() -> None:
    with pytest.raises(tl.ConfigurationError, match="ToolCall"):
        tl.tool_result("c1", [tl.ToolCall("c1", "f", "{}")])


@pytest.mark.parametrize("part", [tl.ReasoningPart("r"), tl.RefusalPart("no")])
def test_answer_parts_belong_in_assistant_messages(part: tl.Part) -> None:
    with pytest.raises(tl.ConfigurationError, match="assistant"):
        tl.user([part])
    assert tl.assistant([part]).parts == (part,)


def test_system_takes_text_only() -> None:
    with pytest.raises(tl.ConfigurationError, match="str"):
        tl.system(["a list"])  # type: ignore[arg-type]
    system = tl.Message("system", [tl.TextPart("cached"), tl.cache_point("1h")])
    assert system.parts == (tl.TextPart("cached"), tl.CachePoint("1h"))


def test_media_is_allowed_in_tool_results() -> None:
    picture = tl.image("https://example.com/chart.png")
    result = tl.tool_result("c1", ["see the chart", picture])
    assert result.parts[1] == picture


@pytest.mark.parametrize("content", [b"raw", bytearray(b"raw")])
def test_bytes_as_content_is_rejected(content: Any) -> None:
    with pytest.raises(tl.ConfigurationError, match="bytes"):
        tl.user(content)


def test_unsupported_content_types_are_rejected() -> None:
    with pytest.raises(tl.ConfigurationError, match="int"):
        tl.user(5)  # type: ignore[arg-type]
    with pytest.raises(tl.ConfigurationError, match=r"unsupported part.*dict"):
        tl.user([{"type": "text", "text": "x"}])  # type: ignore[list-item]


def test_unknown_role_is_rejected() -> None:
    with pytest.raises(tl.ConfigurationError, match="unknown message role"):
        tl.Message("bot", "hi")  # type: ignore[call-overload]


def test_tool_result_fields() -> None:
    result = tl.tool_result("c1", "42", is_error=True)
    assert result.role == "tool"
    assert result.tool_call_id == "c1"
    assert result.content == "42"
    assert result.is_error is True
    assert result.name is None
    named = tl.tool_result("c2", "ok", name="calc")
    assert named.name == "calc"
    assert named.is_error is False


@pytest.mark.parametrize("call_id", ["", None])
def test_tool_role_needs_a_call_id(call_id: Any) -> None:
    with pytest.raises(tl.ConfigurationError, match="tool_call_id"):
        tl.tool_result(call_id, "42")
    with pytest.raises(tl.ConfigurationError, match="tool_call_id"):
        tl.Message("tool", "42")  # type: ignore[call-overload]


def test_tool_result_fields_on_other_roles_are_rejected() -> None:
    with pytest.raises(tl.ConfigurationError, match="tool results only"):
        tl.Message("user", "x", tool_call_id="c1")  # type: ignore[call-overload]
    with pytest.raises(tl.ConfigurationError, match="tool results only"):
        tl.Message("assistant", "x", is_error=True)  # type: ignore[call-overload]


def test_tool_calls_must_be_tool_calls() -> None:
    with pytest.raises(tl.ConfigurationError):
        tl.assistant("x", tool_calls=["junk"])  # type: ignore[list-item]
    with pytest.raises(tl.ConfigurationError):
        tl.assistant("x", tool_calls=[tl.TextPart("not a call")])  # type: ignore[list-item]


# -- values: frozen, equal, hashable, picklable ------------------------------------------------


def _sample_messages() -> list[tl.Message]:
    return [
        tl.system("be brief"),
        tl.user(["Describe", tl.image(PNG), tl.document(PDF), tl.audio(WAV)]),
        tl.assistant(
            [tl.ReasoningPart("hmm", signature="sig", provider="anthropic"), "answer"],
            tool_calls=[tl.ToolCall("c1", "get_weather", '{"city":"Paris"}')],
        ),
        tl.tool_result("c1", "21C", name="get_weather"),
        tl.user([tl.TextPart("cited", citations=(tl.Citation(url="https://x"),))]),
    ]


def test_messages_are_frozen() -> None:
    message = tl.user("x")
    with pytest.raises(AttributeError):
        message.role = "assistant"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        message.parts = ()  # type: ignore[misc]
    part = tl.TextPart("x")
    with pytest.raises(AttributeError):
        part.text = "y"  # type: ignore[misc]


def test_messages_are_equal_by_value() -> None:
    assert tl.user("x") == tl.user("x")
    assert tl.user("x") == tl.user(["x"])
    assert tl.user("x") != tl.user("y")
    assert tl.user("x") != tl.assistant("x")
    assert tl.tool_result("c1", "1") != tl.tool_result("c2", "1")
    assert tl.tool_result("c1", "1") != tl.tool_result("c1", "1", is_error=True)
    assert _sample_messages() == _sample_messages()


def test_messages_are_hashable() -> None:
    messages = _sample_messages()
    again = _sample_messages()
    assert {hash(m) for m in messages} == {hash(m) for m in again}
    assert len(set(messages + again)) == len(messages)
    assert {tl.user("x"): 1}[tl.user("x")] == 1


def test_messages_round_trip_through_pickle() -> None:
    for message in _sample_messages():
        restored = pickle.loads(pickle.dumps(message))
        assert restored == message
        assert restored.parts == message.parts
        assert restored.tool_call_id == message.tool_call_id


def test_messages_deepcopy_to_an_equal_value() -> None:
    messages = _sample_messages()
    assert copy.deepcopy(messages) == messages


def test_reasoning_signature_survives_pickle() -> None:
    part = tl.ReasoningPart("think", signature="opaque-sig", redacted=None, provider="anthropic")
    restored = pickle.loads(pickle.dumps(tl.assistant([part])))
    reasoning = restored.parts[0]
    assert isinstance(reasoning, tl.ReasoningPart)
    assert reasoning.signature == "opaque-sig"
    assert reasoning.provider == "anthropic"


# -- the caller's list is never touched ------------------------------------------------------


class Pet(BaseModel):
    name: str
    age: int


def test_the_callers_list_is_not_mutated_by_a_call_with_reasks() -> None:
    fake = FakeProvider([{"name": "Rex"}, {"name": "Rex", "age": 3}])
    llm = client(fake, system="You are a vet.")
    messages = [tl.system("extra rules"), tl.user("Describe the pet")]
    snapshot = list(messages)
    pet = llm.complete(messages, schema=Pet)
    assert pet == Pet(name="Rex", age=3)
    assert messages == snapshot
    assert len(messages) == 2
    # the re-ask did send more messages than the caller gave
    assert len(fake.requests[1].json["messages"]) > len(fake.requests[0].json["messages"])


def test_the_callers_tuple_and_list_give_the_same_request() -> None:
    fake = FakeProvider(["a", "b"])
    llm = client(fake)
    as_list = [tl.user("one"), tl.assistant("two"), tl.user("three")]
    llm.complete(as_list)
    llm.complete(tuple(as_list))
    assert fake.requests[0].json["messages"] == fake.requests[1].json["messages"]
    assert as_list == [tl.user("one"), tl.assistant("two"), tl.user("three")]


def test_a_prompt_of_non_messages_is_rejected_before_sending() -> None:
    fake = FakeProvider(["never"])
    llm = client(fake)
    with pytest.raises(tl.ConfigurationError, match="typedllm messages"):
        llm.complete([{"role": "user", "content": "hi"}])  # type: ignore[list-item]
    with pytest.raises(tl.ConfigurationError, match="no messages"):
        llm.complete([])
    with pytest.raises(tl.ConfigurationError, match="bytes"):
        llm.complete(b"hi")  # type: ignore[arg-type]
    assert fake.calls == 0


def test_a_document_of_image_or_audio_bytes_is_refused() -> None:
    with pytest.raises(tl.ConfigurationError, match=r"tl\.image"):
        tl.document(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)


def test_a_data_url_declares_its_type_over_the_bytes_signature() -> None:
    import base64

    data = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 8).decode()
    part = tl.image(f"data:image/x-custom;base64,{data}")
    assert part.media_type == "image/x-custom"

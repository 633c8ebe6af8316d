"""tl.Router: capability routing (vision, PDFs, context window, tools), rules and keyword rules,
a user function, composition with fallback and breakers, NoRouteError, the token estimate."""

from __future__ import annotations

import asyncio
import pickle
from typing import Any

import pytest
from _reliability import SECRET, FakeClock, Scripted, errors, openai_client
from pydantic import BaseModel

import typedllm as tl
from typedllm.testing import FakeProvider

IMAGE = tl.image("https://example.com/cat.png")
PDF = tl.document(b"%PDF-1.4 fake", media_type="application/pdf")


class Ticket(BaseModel):
    title: str


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def completion(mode: str, llm: tl.Completer, prompt: tl.Prompt, **kw: Any) -> Any:
    try:
        if mode == "sync":
            return llm.completion(prompt, **kw)
        return asyncio.run(llm.acompletion(prompt, **kw))
    except Exception as error:
        return error


def pool() -> tuple[tl.Client, FakeProvider, tl.Client, FakeProvider]:
    """A text-only model with a small context window, then a vision model with a large one."""
    small_fake, big_fake = FakeProvider(["small"] * 5), FakeProvider(["big"] * 5)
    return (
        openai_client(small_fake, "gpt-3.5-turbo"),
        small_fake,
        openai_client(big_fake, "gpt-4o-mini"),
        big_fake,
    )


# -- capabilities -------------------------------------------------------------------------------


def test_an_image_prompt_skips_models_without_vision(mode: str) -> None:
    small, small_fake, big, big_fake = pool()
    router = tl.Router(default=[small, big])
    text = completion(mode, router, "hello")
    assert (text.output, text.answered_by) == ("small", "openai:gpt-3.5-turbo")
    seen = completion(mode, router, [tl.user(["what is this?", IMAGE])])
    assert (seen.output, seen.answered_by) == ("big", "openai:gpt-4o-mini")
    assert (small_fake.calls, big_fake.calls) == (1, 1)


def test_a_pdf_prompt_needs_a_model_that_reads_pdfs(mode: str) -> None:
    small, _, big, _ = pool()
    result = completion(mode, tl.Router(default=[small, big]), [tl.user(["summarise", PDF])])
    assert result.answered_by == "openai:gpt-4o-mini"


def test_a_prompt_too_long_for_a_context_window_skips_that_model(mode: str) -> None:
    small, small_fake, big, _ = pool()
    router = tl.Router(default=[small, big])
    long_prompt = "word " * 14_000  # 70,000 characters: ~17,500 tokens > gpt-3.5-turbo's 16,385
    assert completion(mode, router, long_prompt).answered_by == "openai:gpt-4o-mini"
    fits = "word " * 12_000  # ~15,000 tokens
    assert completion(mode, router, fits).answered_by == "openai:gpt-3.5-turbo"
    # ... unless the requested output does not fit beside it
    options = tl.CallOptions(max_tokens=2_000)
    result = completion(mode, router, fits, options=options)
    assert result.answered_by == "openai:gpt-4o-mini"
    assert small_fake.calls == 1


def test_tools_need_a_model_with_tool_calling() -> None:
    llm = openai_client(FakeProvider(["ok"]), "gpt-4o-mini")
    assert llm.model_info.tools
    weather = tl.ToolDefinition("weather", "Weather", {"type": "object", "properties": {}})
    router = tl.Router(default=[llm])
    assert router.candidates(tl.Call("x", options=tl.CallOptions(tools=(weather,)))) == (llm,)


def test_no_eligible_client_is_a_typed_error_naming_why(mode: str) -> None:
    small, small_fake, _, _ = pool()
    other = openai_client(FakeProvider([]), "o3-mini")
    error = completion(mode, tl.Router(default=[small, other]), [tl.user(["see", IMAGE])])
    assert isinstance(error, tl.NoRouteError) and isinstance(error, tl.ConfigurationError)
    assert error.reasons == (
        "openai:gpt-3.5-turbo: takes no image input",
        "openai:o3-mini: takes no image input",
    )
    assert "no client can take this call" in str(error)
    assert small_fake.calls == 0  # nothing was sent


def test_a_context_window_reason_gives_the_numbers() -> None:
    small, _, _, _ = pool()
    with pytest.raises(tl.NoRouteError) as info:
        tl.Router(default=small).complete("x" * 80_000)
    assert info.value.reasons == (
        "openai:gpt-3.5-turbo: the prompt (~20004 tokens estimated) plus 0 output tokens "
        "exceed its 16385-token context window",
    )


def test_capability_checks_can_be_turned_off(mode: str) -> None:
    small, small_fake, _, _ = pool()
    router = tl.Router(default=small, check_capabilities=False)
    assert completion(mode, router, "word " * 20_000).output == "small"  # sent as asked
    assert small_fake.calls == 1


def test_the_router_skips_what_the_client_itself_would_refuse() -> None:
    small, small_fake, _, _ = pool()
    with pytest.raises(tl.ConfigurationError, match="does not take images"):
        small.complete([tl.user(["see", IMAGE])])
    with pytest.raises(tl.NoRouteError, match="takes no image input"):
        tl.Router(default=small).complete([tl.user(["see", IMAGE])])
    assert small_fake.calls == 0


def test_clients_of_unknown_capability_are_kept() -> None:
    scripted = Scripted(lambda call: "custom")
    router = tl.Router(default=[scripted])
    assert router.complete([tl.user(["see", IMAGE])]) == "custom"
    assert router.completion("x").answered_by == "scripted"


def test_capabilities_are_read_through_wrappers() -> None:
    small, _, big, _ = pool()
    guarded = tl.CircuitBreaker().wrap(small)
    assert tl.Router(default=[guarded, big]).candidates(tl.Call([tl.user(["x", IMAGE])])) == (big,)


# -- rules and functions ------------------------------------------------------------------------


def test_keyword_rules_match_whole_words_ignoring_case(mode: str) -> None:
    coder_fake, general_fake = FakeProvider(["code"] * 3), FakeProvider(["general"] * 3)
    coder = openai_client(coder_fake, "gpt-4o")
    general = openai_client(general_fake, "gpt-4o-mini")
    router = tl.Router([tl.Rule.keywords("python", "traceback", to=coder)], default=general)
    assert completion(mode, router, "Why does this Python TRACEBACK happen?").output == "code"
    assert completion(mode, router, "a pythonic poem").output == "general"
    messages = [tl.system("be brief"), tl.user("fix my python")]
    assert completion(mode, router, messages).answered_by == "openai:gpt-4o"


def test_a_rule_sees_the_whole_call(mode: str) -> None:
    extractor = openai_client(FakeProvider([{"title": "Printer on fire"}]), "gpt-4o")
    chat = openai_client(FakeProvider(["hi"]), "gpt-4o-mini")
    router = tl.Router([tl.Rule(lambda call: call.schema is Ticket, extractor)], default=chat)
    result = completion(mode, router, "the printer is on fire", schema=Ticket)
    assert result.output == Ticket(title="Printer on fire")
    assert result.answered_by == "openai:gpt-4o"
    assert completion(mode, router, "hello").output == "hi"


def test_a_user_function_chooses_first(mode: str) -> None:
    calls: list[tl.Call] = []
    cheap = openai_client(FakeProvider(["cheap"]), "gpt-4o-mini")
    smart = openai_client(FakeProvider(["smart"]), "gpt-4o")

    def choose(call: tl.Call) -> tl.Completer:
        calls.append(call)
        return smart if len(tl.prompt_text(call.prompt)) > 20 else cheap

    router = tl.Router(choose=choose)
    assert completion(mode, router, "short").output == "cheap"
    assert completion(mode, router, "a much longer question here").output == "smart"
    assert [c.prompt for c in calls] == ["short", "a much longer question here"]


def test_no_rule_matching_and_no_default_is_no_route() -> None:
    fake = FakeProvider(["x"])
    router = tl.Router([tl.Rule.keywords("sql", to=openai_client(fake))])
    with pytest.raises(tl.NoRouteError, match="no rule matched"):
        router.complete("hello")
    assert fake.calls == 0


def test_candidates_are_ordered_and_deduplicated() -> None:
    a = openai_client(FakeProvider([]), "gpt-4o")
    b = openai_client(FakeProvider([]), "gpt-4o-mini")
    c = openai_client(FakeProvider([]), "gpt-4.1-nano")
    router = tl.Router(
        [tl.Rule.keywords("x", to=[b, a]), tl.Rule(lambda call: True, a)],
        default=[a, c],
        choose=lambda call: c,
    )
    assert router.candidates(tl.Call("x")) == (c, b, a)
    assert router.candidates(tl.Call("y")) == (c, a)


# -- composing with fallback and breakers --------------------------------------------------------


def test_routed_candidates_fall_back_in_order(mode: str) -> None:
    coder_fake = errors(429)
    coder = openai_client(coder_fake, "gpt-4o")
    general = openai_client(FakeProvider(["general"]), "gpt-4o-mini")
    router = tl.Router([tl.Rule.keywords("code", to=coder)], default=general)
    result = completion(mode, router, "write code")
    assert (result.output, result.answered_by) == ("general", "openai:gpt-4o-mini")
    assert coder_fake.calls == 1


def test_on_empty_means_no_fallback(mode: str) -> None:
    coder = openai_client(errors(429), "gpt-4o")
    general_fake = FakeProvider(["general"])
    router = tl.Router(
        [tl.Rule.keywords("code", to=coder)],
        default=openai_client(general_fake),
        on=(),
    )
    assert isinstance(completion(mode, router, "write code"), tl.RateLimitError)
    assert general_fake.calls == 0


def test_an_open_breaker_in_a_route_is_skipped(mode: str) -> None:
    clock = FakeClock()
    cb = tl.CircuitBreaker(1, cooldown=60, clock=clock)
    vision_fake = errors(500)
    vision = cb.wrap(openai_client(vision_fake, "gpt-4o"))
    other = openai_client(FakeProvider(["other"] * 2), "gpt-4.1-nano")
    router = tl.Router(default=[vision, other])
    prompt = [tl.user(["see", IMAGE])]
    assert completion(mode, router, prompt).output == "other"
    assert completion(mode, router, prompt).output == "other"
    assert vision_fake.calls == 1  # the second call never reached it


def test_a_fallback_can_be_a_route() -> None:
    inner = tl.fallback(
        openai_client(errors(503), "gpt-4o"), openai_client(FakeProvider(["ok"]), "gpt-4o-mini")
    )
    router = tl.Router([tl.Rule.keywords("hi", to=inner)])
    assert router.completion("hi there").answered_by == "openai:gpt-4o-mini"


def test_a_router_streams_sync_and_async() -> None:
    small, _, big, _ = pool()
    router = tl.Router(default=[small, big])
    with router.stream([tl.user(["look", IMAGE])]) as s:
        assert "".join(s) == "big"
    assert s.completion.answered_by == "openai:gpt-4o-mini"

    async def run() -> str | None:
        async with router.astream("plain") as a:
            assert "".join([d async for d in a]) == "small"
        return a.completion.answered_by

    assert asyncio.run(run()) == "openai:gpt-3.5-turbo"


def test_a_stream_with_no_route_fails_when_it_is_started() -> None:
    small, small_fake, _, _ = pool()
    with pytest.raises(tl.NoRouteError):
        tl.Router(default=small).stream([tl.user(["see", IMAGE])])
    assert small_fake.calls == 0


# -- the estimate, construction, pickling, repr ---------------------------------------------------


def test_the_token_estimate() -> None:
    assert tl.estimate_tokens("abcd" * 100) == 100 + 4
    assert tl.estimate_tokens("abcde") == 2 + 4  # rounded up
    messages = [tl.system("ab" * 10), tl.user(["x" * 39, IMAGE, PDF])]
    assert tl.estimate_tokens(messages) == 15 + 2 * 4 + 2 * 1000
    call = tl.ToolCall("c1", "weather", '{"city": "Oslo"}')
    assert tl.estimate_tokens([tl.assistant(tool_calls=[call])]) == 6 + 4


def test_prompt_text() -> None:
    assert tl.prompt_text("plain") == "plain"
    assert tl.prompt_text([tl.system("a"), tl.user(["b", IMAGE, "c"])]) == "a\nbc"


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda c: tl.Router(), "needs rules, a default or a choose"),
        (lambda c: tl.Router(default="gpt-4o"), "a client or a list of clients"),
        (lambda c: tl.Router(["x"]), "must be tl.Rule values"),
        (lambda c: tl.Router(default=c, on=("x",)), "exception classes"),
        (lambda c: tl.Router(default=c, choose=1), "takes a function"),
        (lambda c: tl.Rule(42, c), "predicate"),
        (lambda c: tl.Rule.keywords(to=c), "one or more non-empty words"),
        (lambda c: tl.Rule.keywords(" ", to=c), "one or more non-empty words"),
        (lambda c: tl.Rule(lambda call: True, [c, "x"]), "takes clients"),
    ],
)
def test_bad_routes_are_configuration_errors(make: Any, match: str) -> None:
    with pytest.raises(tl.ConfigurationError, match=match):
        make(openai_client(FakeProvider([])))


def test_no_route_error_pickles_with_its_reasons() -> None:
    error = tl.NoRouteError("no client can take this call", ["a: takes no image input", "b"])
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is tl.NoRouteError
    assert copy.reasons == ("a: takes no image input", "b")
    assert str(copy) == "no client can take this call"


def test_repr_shows_the_routes_but_no_secret() -> None:
    a = openai_client(FakeProvider([]), "gpt-4o")
    router = tl.Router([tl.Rule.keywords("sql", to=a)], default=tl.CircuitBreaker().wrap(a))
    text = repr(router)
    assert SECRET not in text
    assert text.startswith("Router(rules=[Rule(_Keywords(pattern=re.compile(")
    assert "to=[Client(provider='openai', model='gpt-4o'" in text
    assert "default=[BreakerClient(Client(provider='openai', model='gpt-4o'" in text

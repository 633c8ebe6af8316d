"""Human approval: the loop pauses, its state goes through JSON (and another process), and
resumes with approvals, rejections and edited arguments."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from _wires import client, script, tool_calls, tool_results
from pydantic import BaseModel

import typedllm as tl
from typedllm.tools import ToolLoopState

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

paid: list[dict[str, Any]] = []


class Receipt(BaseModel):
    paid: int
    to: str


@tl.tool(requires_approval=lambda args: args["amount"] > 100)
def pay(amount: int, to: str) -> dict[str, Any]:
    """Pay someone.

    Args:
        amount: in euros.
        to: the payee.
    """
    paid.append({"amount": amount, "to": to})
    return {"paid": amount, "to": to}


@tl.tool
def balance() -> int:
    """The account balance."""
    return 1000


@pytest.fixture(autouse=True)
def _clear() -> None:
    paid.clear()


def _pause(wire: str = "openai", *replies: Any) -> tuple[tl.ApprovalRequired, Any]:
    calls = [("c1", "balance", {}), ("c2", "pay", {"amount": 500, "to": "bob"})]
    fake = script([tool_calls(wire, calls), *replies])
    llm = client(wire, fake)
    with pytest.raises(tl.ApprovalRequired) as info:
        llm.complete("Pay bob 500", tools=[pay, balance], schema=Receipt)
    return info.value, fake


def test_pause_holds_the_pending_call_and_runs_the_others() -> None:
    error, fake = _pause()
    assert fake.calls == 1 and paid == []
    (pending,) = error.pending
    assert pending.name == "pay" and pending.arguments == {"amount": 500, "to": "bob"}
    assert pending.call.id == "c2"
    state = error.state
    assert [r.call.name for r in state.runs] == ["balance"] and state.runs[0].result == "1000"
    assert state.messages[-1].tool_calls[1].id == "c2"
    assert state.model_calls == 1 and state.usage.total_tokens == 15
    assert "pay (c2)" in str(error)


def test_small_amounts_need_no_approval() -> None:
    fake = script(
        [tool_calls("openai", [("c1", "pay", {"amount": 5, "to": "al"})]), '{"paid":5,"to":"al"}']
    )
    receipt = client("openai", fake).complete("x", tools=[pay], schema=Receipt)
    assert receipt == Receipt(paid=5, to="al") and paid == [{"amount": 5, "to": "al"}]


@pytest.mark.parametrize("wire", ["openai", "anthropic", "gemini", "responses"])
def test_approve_after_a_json_round_trip(wire: str) -> None:
    error, _ = _pause(wire)
    text = error.state.to_json()
    state = ToolLoopState.from_json(text)
    assert state == ToolLoopState.from_json(state.to_json())
    fake = script(['{"paid": 500, "to": "bob"}'])
    llm = client(wire, fake)
    done = llm.resume(
        state, {"c2": tl.ToolDecision.approve()}, tools=[pay, balance], schema=Receipt
    )
    assert done.output == Receipt(paid=500, to="bob")
    assert paid == [{"amount": 500, "to": "bob"}]
    (step,) = done.steps
    assert [(r.call.name, r.decision) for r in step.runs] == [
        ("balance", None),
        ("pay", "approved"),
    ]
    results = tool_results(wire, fake.requests[0].json)
    assert len(results) == 2 and "1000" in results[0][1] and '"paid":500' in results[1][1]
    assert done.usage.total_tokens > state.usage.total_tokens  # both model calls counted


def test_reject_with_a_reason_the_model_sees() -> None:
    error, _ = _pause()
    fake = script(['{"paid": 0, "to": "bob"}'])
    done = client("openai", fake).resume(
        error.state,
        {"c2": tl.ToolDecision.reject("over the daily limit")},
        tools=[pay, balance],
        schema=Receipt,
    )
    assert paid == [] and done.output.paid == 0
    run = done.steps[0].runs[1]
    assert run.decision == "rejected" and run.error == "over the daily limit"
    sent = [m for m in fake.requests[0].json["messages"] if m["role"] == "tool"]
    assert "rejected: over the daily limit" in sent[1]["content"]


def test_edit_the_arguments() -> None:
    error, _ = _pause()
    fake = script(['{"paid": 50, "to": "bob"}'])
    done = client("openai", fake).resume(
        error.state,
        {"c2": tl.ToolDecision.edit({"amount": 50, "to": "bob"})},
        tools=[pay, balance],
        schema=Receipt,
    )
    assert paid == [{"amount": 50, "to": "bob"}]
    assert done.steps[0].runs[1].decision == "edited"
    assert done.steps[0].runs[1].arguments == {"amount": 50, "to": "bob"}
    with pytest.raises(tl.ConfigurationError, match="invalid"):
        client("openai", script([])).resume(
            error.state, {"c2": tl.ToolDecision.edit({"amount": "lots"})}, tools=[pay, balance]
        )


def test_missing_decision_or_tool_is_a_configuration_error() -> None:
    error, _ = _pause()
    llm = client("openai", script([]))
    with pytest.raises(tl.ConfigurationError, match="no decision"):
        llm.resume(error.state, {}, tools=[pay, balance])
    with pytest.raises(tl.ConfigurationError, match="pass it in tools="):
        llm.resume(error.state, {"c2": True}, tools=[balance])
    with pytest.raises(tl.ConfigurationError, match="ToolLoopState"):
        llm.resume("state", {}, tools=[pay])  # type: ignore[call-overload]
    with pytest.raises(tl.ConfigurationError, match="not a tool loop state"):
        ToolLoopState.from_json("{}")


def test_approve_callback_sync_and_async() -> None:
    seen: list[str] = []

    def approve(p: tl.PendingApproval) -> bool:
        seen.append(p.name)
        return False

    fake = script(
        [
            tool_calls("openai", [("c1", "pay", {"amount": 500, "to": "bob"})]),
            "not paid",
        ]
    )
    assert client("openai", fake).complete("x", tools=[pay], approve=approve) == "not paid"
    assert seen == ["pay"] and paid == []

    async def aapprove(p: tl.PendingApproval) -> tl.ToolDecision:
        await asyncio.sleep(0)
        return tl.ToolDecision.approve()

    fake = script([tool_calls("openai", [("c1", "pay", {"amount": 500, "to": "bob"})]), "paid"])
    llm = client("openai", fake)
    assert asyncio.run(llm.acomplete("x", tools=[pay], approve=aapprove)) == "paid"
    assert paid == [{"amount": 500, "to": "bob"}]
    fake = script([tool_calls("openai", [("c1", "pay", {"amount": 500, "to": "bob"})])])
    with pytest.raises(tl.ConfigurationError, match="async"):
        client("openai", fake).complete("x", tools=[pay], approve=aapprove)


def test_async_resume() -> None:
    error, _ = _pause()
    fake = script(['{"paid": 500, "to": "bob"}'])
    done = asyncio.run(
        client("openai", fake).aresume(
            error.state, {"c2": True}, tools=[pay, balance], schema=Receipt
        )
    )
    assert done.output.paid == 500 and len(paid) == 1


def test_every_part_type_survives_json() -> None:
    messages = (
        tl.system("be brief"),
        tl.user(["look", tl.image(b"\x89PNG\r\n\x1a\n0000", media_type="image/png")]),
        tl.Message(
            "assistant",
            [
                tl.ReasoningPart("thinking", signature="sig==", provider="anthropic"),
                tl.TextPart("see", citations=(tl.Citation(cited_text="q", url="https://x"),)),
                tl.OpaquePart("anthropic", {"type": "server_tool_use", "id": "s1"}),
            ],
            [tl.ToolCall("c9", "pay", '{"amount": 500, "to": "bob"}', signature="g-sig")],
        ),
        tl.tool_result("c8", "err", is_error=True, name="x"),
    )
    state = ToolLoopState(
        messages=messages,
        pending=(tl.PendingApproval(messages[2].tool_calls[0], "pay", {"amount": 500}),),
        step_usage=tl.Usage(1, 2),
        usage=tl.Usage(3, 4, 1, 1, 1),
        cost=0.5,
        model_calls=2,
        failures={"pay": 1},
    )
    back = ToolLoopState.from_json(state.to_json().encode())
    assert back == state
    reasoning = back.messages[2].parts[0]
    assert isinstance(reasoning, tl.ReasoningPart) and reasoning.signature == "sig=="
    assert back.messages[2].tool_calls[0].signature == "g-sig"
    image = back.messages[1].parts[1]
    assert isinstance(image, tl.ImagePart) and image.data == b"\x89PNG\r\n\x1a\n0000"
    assert back.messages[3].is_error and back.messages[3].name == "x"


def test_resume_in_another_process(tmp_path: Path) -> None:
    error, _ = _pause()
    state_file = tmp_path / "state.json"
    state_file.write_text(error.state.to_json())
    program = textwrap.dedent(
        f"""
        import sys
        sys.path[:0] = [{str(HERE)!r}, {str(ROOT)!r}]
        from pathlib import Path
        import typedllm as tl
        from _wires import client, script, tool_results
        from test_approval import Receipt, balance, pay, paid

        state = tl.ToolLoopState.from_json(Path({str(state_file)!r}).read_text())
        fake = script(['{{"paid": 200, "to": "bob"}}'])
        done = client("openai", fake).resume(
            state, {{"c2": tl.ToolDecision.edit({{"amount": 200, "to": "bob"}})}},
            tools=[pay, balance], schema=Receipt,
        )
        print(done.output.model_dump_json())
        print(paid)
        print(tool_results("openai", fake.requests[0].json))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=False
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == '{"paid":200,"to":"bob"}'
    assert lines[1] == "[{'amount': 200, 'to': 'bob'}]"
    assert '\'c2\', \'{"paid":200,"to":"bob"}\'' in lines[2]
    assert paid == []  # nothing ran in this process


def test_media_results_survive_the_state() -> None:
    run = tl.ToolRun(
        tl.ToolCall("c1", "chart", "{}"),
        {},
        "a chart",
        parts=(tl.TextPart("a chart"), tl.image(b"\x89PNG\r\n\x1a\n00", media_type="image/png")),
    )
    state = ToolLoopState(messages=(tl.user("x"),), pending=(), runs=(run,))
    back = ToolLoopState.from_json(state.to_json())
    assert back.runs[0].parts == run.parts

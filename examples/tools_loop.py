"""Tools: typed functions the model may call, the automatic loop, and a human approval that
pauses the loop, goes through JSON and resumes.

Runs against the real OpenAI API when ``OPENAI_API_KEY`` is set, and offline on typedllm's
embedded fake provider otherwise (a scripted "model" that calls the tools the way OpenAI's
Chat Completions API answers, then reads the tool results it was sent).

    python examples/tools_loop.py
"""

from __future__ import annotations

import json
import os
from typing import Any

from pydantic import BaseModel

import typedllm as tl
from typedllm.testing import FakeProvider, FakeReply


class Trip(BaseModel):
    city: str
    temperature: int
    booked: bool


@tl.tool
def get_weather(city: str) -> dict[str, Any]:
    """Current weather in a city.

    Args:
        city: the city name, in English.
    """
    return {"city": city, "temperature": {"Paris": 21, "Rome": 27}.get(city, 15)}


@tl.tool(requires_approval=True)
def book_hotel(city: str, nights: int) -> str:
    """Book a hotel (needs a human's approval).

    Args:
        city: where.
        nights: how many nights.
    """
    return f"booked {nights} night(s) in {city}"


def _calls(*calls: tuple[str, str, dict[str, Any]]) -> FakeReply:
    """An OpenAI Chat Completions answer calling tools."""
    tool_calls = [
        {"id": i, "type": "function", "function": {"name": n, "arguments": json.dumps(a)}}
        for i, n, a in calls
    ]
    message = {"role": "assistant", "content": None, "tool_calls": tool_calls}
    return FakeReply.raw(
        200,
        {
            "id": "chatcmpl-example",
            "object": "chat.completion",
            "model": "gpt-4o-mini",
            "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls"}],
            "usage": {"prompt_tokens": 50, "completion_tokens": 20, "total_tokens": 70},
        },
    )


def scripted_model(body: dict[str, Any]) -> Any:
    """The offline "model": weather first, then the booking, then the answer."""
    results = {m["tool_call_id"]: m["content"] for m in body["messages"] if m["role"] == "tool"}
    if not results:
        return _calls(
            ("w1", "get_weather", {"city": "Paris"}), ("w2", "get_weather", {"city": "Rome"})
        )
    if "b1" not in results:
        warmest = max(
            (json.loads(results[k]) for k in ("w1", "w2")), key=lambda w: w["temperature"]
        )
        return _calls(("b1", "book_hotel", {"city": warmest["city"], "nights": 3}))
    weather = json.loads(results["w2"])
    booked = results["b1"].startswith("booked")
    return {"city": weather["city"], "temperature": weather["temperature"], "booked": booked}


def main() -> None:
    builder = tl.openai().model("gpt-4o-mini")
    if os.environ.get("OPENAI_API_KEY"):
        print("calling the OpenAI API")
        llm = builder.build()
    else:
        print("offline: the embedded fake provider plays the model")
        llm = builder.api_key("offline").transport(FakeProvider(responder=scripted_model)).build()

    tools = [get_weather, book_hotel]
    prompt = "Find the warmer of Paris and Rome and book 3 nights there."
    try:
        trip = llm.complete(prompt, tools=tools, schema=Trip)
    except tl.ApprovalRequired as paused:
        for pending in paused.pending:
            print(f"approval needed: {pending.name}({pending.arguments})")
        saved = paused.state.to_json()  # store it anywhere; resume later, in any process
        state = tl.ToolLoopState.from_json(saved)
        decisions = {p.call.id: tl.ToolDecision.approve() for p in paused.pending}
        record = llm.resume(state, decisions, tools=tools, schema=Trip)
        trip = record.output
        for number, step in enumerate(record.steps, 1):
            for run in step.runs:
                print(f"step {number}: {run.call.name}({run.arguments}) -> {run.result}")
        print(f"tokens over {len(record.steps) + 1} model calls: {record.usage.total_tokens}")
    print(trip.model_dump_json())


if __name__ == "__main__":
    main()

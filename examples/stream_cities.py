"""Streaming structured output: each validated item as soon as it is complete.

Runs against the real OpenAI API when ``OPENAI_API_KEY`` is set, and offline on the embedded fake
provider otherwise.

    python examples/stream_cities.py
"""

from __future__ import annotations

import os

from pydantic import BaseModel, Field

import typedllm as tl
from typedllm.testing import FakeProvider


class City(BaseModel):
    name: str
    country: str
    population: int = Field(ge=0)


def make_client() -> tl.Client:
    builder = tl.openai().model("gpt-4o-mini").temperature(0)
    if os.environ.get("OPENAI_API_KEY"):
        return builder.build()
    print("OPENAI_API_KEY is not set: running offline on the embedded fake provider.\n")
    return builder.api_key("offline").transport(FakeProvider()).build()


def main() -> None:
    with (
        make_client() as llm,
        llm.stream("The five largest cities of Europe.", schema=list[City]) as stream,
    ):
        for city in stream.items():
            print(f"- {city.name} ({city.country}): {city.population:,}")
        cities = stream.final()
    print(f"\n{len(cities)} cities, {stream.completion.usage.total_tokens} tokens")


if __name__ == "__main__":
    main()

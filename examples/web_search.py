"""Web search run by the provider, with typed results and citations, then a follow-up turn.

Runs against the real Anthropic API when ``ANTHROPIC_API_KEY`` is set, and offline on the
embedded fake provider otherwise.

    python examples/web_search.py
"""

from __future__ import annotations

import os

import typedllm as tl
from typedllm.testing import FakeProvider


def make_client() -> tl.Client:
    builder = tl.anthropic().model("claude-sonnet-4-5").native_tools(tl.WebSearch(max_uses=3))
    if os.environ.get("ANTHROPIC_API_KEY"):
        return builder.build()
    print("ANTHROPIC_API_KEY is not set: running offline on the embedded fake provider.\n")
    return builder.api_key("offline").transport(FakeProvider()).build()


def main() -> None:
    with make_client() as llm:
        completion = llm.completion("What is the latest stable release of Python?")
        print(completion.output, "\n")
        for result in completion.native_results:
            if isinstance(result, tl.WebSearchResult):
                print(f"searched {result.queries}: {len(result.sources)} sources")
                for source in result.sources:
                    print(f"  - {source.title or source.url}")
        for citation in completion.citations:
            print(f"cited: {citation.url}")
        # The search blocks go back unchanged: the conversation simply continues.
        follow_up = llm.completion([*completion.messages, tl.user("And when was it released?")])
        print("\nfollow-up:", follow_up.output)


if __name__ == "__main__":
    main()

"""docs/bedrock.md and docs/anthropic-vertex.md: their examples run offline, in order, in one
namespace (each asserts what it shows)."""

from __future__ import annotations

import pytest
from _docs import python_blocks, run_blocks

CLOUD_VARS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_BEARER_TOKEN_BEDROCK",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONFIG_FILE",
    "CLOUD_ML_REGION",
    "GOOGLE_CLOUD_LOCATION",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in CLOUD_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(("name", "count"), [("bedrock.md", 6), ("anthropic-vertex.md", 2)])
def test_the_examples_run_offline(name: str, count: int) -> None:
    blocks = python_blocks(name)
    assert len(blocks) >= count
    run_blocks(name, blocks)


def test_an_example_that_is_wrong_fails() -> None:
    blocks = python_blocks("bedrock.md")
    broken = blocks[0].replace("v1%3A0/invoke", "v1:0/invoke")
    with pytest.raises(AssertionError):
        exec(compile(broken, "broken", "exec"), {})

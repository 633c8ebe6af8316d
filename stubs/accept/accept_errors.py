"""Accepted: the error hierarchy and its attributes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from typing_extensions import assert_type

import typedllm as tl


class Invoice(BaseModel):
    number: str


def handle(llm: tl.Client) -> None:
    try:
        llm.complete("x", schema=Invoice)
    except tl.RateLimitError as e:
        status_error: tl.APIStatusError = e
        assert_type(e.status_code, int)
        assert_type(e.request_id, str | None)
        assert_type(e.provider, str)
        assert_type(status_error.retry_after, float | None)
    except tl.RefusalError as e:
        assert_type(e.refusal, str)
    except tl.OutputValidationError as e:
        assert_type(e.raw_text, str | None)
        assert_type(e.errors, list[Any])
        assert_type(e.usage, tl.Usage | None)
        assert_type(e.attempts, tuple[tl.Attempt, ...])
    except tl.TypedLLMError as e:
        base: Exception = e
        del base

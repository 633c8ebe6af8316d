"""Known gap: a string schema naming a class type-checks (PEP 747 TypeForm) but fails at run time.

Not part of the accept/reject run. tests/test_type_contract.py::test_known_gaps_are_closed
asserts that every line marked ``# GAP`` is an error under both checkers, and is marked
xfail(strict=True): while the gap is open it xfails; once the library closes it, the test
XPASSes and therefore fails, and the lines move to stubs/reject with their
``# type: ignore[...]  # pyright: ignore[...]`` comments.

``schema="Invoice"``: ``Client.complete`` types ``schema`` as ``TypeForm[T]``, and PEP 747 makes a
string holding a valid type expression a valid ``TypeForm`` value, so both mypy and pyright accept
it and infer ``Invoice``. At run time pydantic gets the string and raises ``PydanticUserError``
(``TypeAdapter[Invoice] is not fully defined``), not a typedllm error.
"""

from __future__ import annotations

from pydantic import BaseModel

import typedllm as tl


class Invoice(BaseModel):
    number: str


# One misuse per function: a fix that types these calls as returning ``Never`` would make the
# following lines of the same function unreachable, and unreachable lines are not checked.


def string_schema(llm: tl.Client) -> None:
    llm.complete("x", schema="Invoice")  # GAP


def string_schema_generic(llm: tl.Client) -> None:
    llm.complete("x", schema="list[Invoice]")  # GAP


def string_schema_record(llm: tl.Client) -> None:
    llm.completion("x", schema="Invoice")  # GAP


async def string_schema_async(llm: tl.Client) -> None:
    await llm.acomplete("x", schema="Invoice")  # GAP


async def string_schema_async_record(llm: tl.Client) -> None:
    await llm.acompletion("x", schema="Invoice")  # GAP

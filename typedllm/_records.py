"""Fast constructors for the frozen records a call makes on its hot path.

A frozen dataclass's ``__init__`` sets each field with ``object.__setattr__`` looked up and
bound per field, which is most of what building a ``Completion`` (16 fields) or a ``Usage``
costs. Where the library itself builds a record from values it already checked, it uses a
constructor made here instead: the instance from ``object.__new__`` and each slot set through
its member descriptor. The record is the same (same class, frozen, equal, hashable, picklable);
only ``__post_init__`` checks are skipped, so these are for records without them, built from
trusted values.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["positional_maker"]

R = TypeVar("R")


def positional_maker(cls: type[R]) -> Callable[..., R]:
    """A function taking every field of the slots dataclass ``cls`` positionally, in
    declaration order, and returning the record (no defaults: pass every field)."""
    if not dataclasses.is_dataclass(cls) or "__slots__" not in vars(cls):
        raise TypeError(f"{cls.__name__} is not a slots dataclass")
    if getattr(cls, "__post_init__", None) is not None:
        raise TypeError(f"{cls.__name__} checks its fields in __post_init__")
    names = [f.name for f in dataclasses.fields(cls)]
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    lines = [f"def make({', '.join(names)}):", "    record = _new(_cls)"]
    for index, name in enumerate(names):
        namespace[f"_set{index}"] = getattr(cls, name).__set__  # the slot's member descriptor
        lines.append(f"    _set{index}(record, {name})")
    lines.append("    return record")
    exec("\n".join(lines), namespace)  # the dataclasses module makes __init__ the same way
    make: Callable[..., R] = namespace["make"]
    make.__qualname__ = f"{cls.__qualname__}._make"
    return make

"""Fast constructors for the frozen records a call makes on its hot path.

A frozen dataclass's ``__init__`` sets each field with ``object.__setattr__`` looked up and
bound per field, which is most of what building a ``Completion`` (16 fields) or a ``Usage``
costs. Where the library itself builds a record from values it already checked, it uses a
constructor made here instead. The record is the same (same class, frozen, equal, hashable,
picklable); only ``__post_init__`` checks are skipped, so these are for records without them,
built from trusted values.

How: the record is filled as an instance of a *layout twin*, a plain class with the same
``__slots__`` in the same order (so the same memory layout, and attribute stores the
interpreter specialises to a few instructions each), then turned into the record by assigning
its ``__class__``, which Python allows between classes of the same layout. Building a
``Completion`` this way costs about a fifth of setting its sixteen slots one descriptor call
at a time. A class whose layout the twin cannot match (a ``__weakref__`` or ``__dict__``
slot, an odd base) gets the descriptor-call maker instead: the result is the same record.
"""

from __future__ import annotations

import dataclasses
import types
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
    twin = _layout_twin(cls, names)
    make = _twin_maker(cls, twin, names) if twin is not None else _descriptor_maker(cls, names)
    make.__qualname__ = f"{cls.__qualname__}._make"
    return make


def _layout_twin(cls: type[Any], names: list[str]) -> type[Any] | None:
    """A plain class with the slots of ``cls`` whose instances can become ``cls`` instances,
    or ``None`` when ``cls`` has a layout it cannot match (checked on a probe instance)."""
    own = tuple(vars(cls)["__slots__"])
    if list(own) != names or any(
        vars(base).get("__slots__", None) not in ((), None) or "__dict__" in vars(base)
        for base in cls.__mro__[1:-1]
    ):
        return None  # slots inherited from a base, or a base with a __dict__: no twin
    # The same bases (Generic[T] for a generic record): __class__ assignment compares the
    # classes' bases as well as their slots.
    bases = vars(cls).get("__orig_bases__", cls.__bases__)
    body = {"__slots__": own, "__module__": cls.__module__}
    twin = types.new_class(f"_{cls.__name__}Layout", bases, exec_body=lambda ns: ns.update(body))
    probe = twin()
    try:
        probe.__class__ = cls
    except TypeError:
        return None
    return twin


def _twin_maker(cls: type[R], twin: type[Any], names: list[str]) -> Callable[..., R]:
    namespace: dict[str, Any] = {"_twin": twin, "_cls": cls}
    lines = [f"def make({', '.join(names)}):", "    record = _twin()"]
    lines += [f"    record.{name} = {name}" for name in names]
    lines += ["    record.__class__ = _cls", "    return record"]
    exec("\n".join(lines), namespace)  # the dataclasses module makes __init__ the same way
    make: Callable[..., R] = namespace["make"]
    return make


def _descriptor_maker(cls: type[R], names: list[str]) -> Callable[..., R]:
    # The instance from object.__new__, each slot set through its member descriptor.
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    lines = [f"def make({', '.join(names)}):", "    record = _new(_cls)"]
    for index, name in enumerate(names):
        namespace[f"_set{index}"] = getattr(cls, name).__set__  # the slot's member descriptor
        lines.append(f"    _set{index}(record, {name})")
    lines.append("    return record")
    exec("\n".join(lines), namespace)
    make: Callable[..., R] = namespace["make"]
    return make

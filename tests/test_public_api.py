"""The curated public surface."""

from __future__ import annotations

import pytest

import typedllm as tl
import typedllm.errors
import typedllm.testing


def test_all_lists_exactly_the_public_names() -> None:
    import types

    public = {
        n
        for n in dir(tl)
        if (not n.startswith("_") or n == "__version__")
        and not isinstance(getattr(tl, n), types.ModuleType)
        and n != "annotations"  # the `from __future__ import annotations` feature flag
    }
    assert set(tl.__all__) == public
    assert list(tl.__all__) == sorted(tl.__all__)


def test_every_public_name_has_a_docstring() -> None:
    import inspect

    for name in tl.__all__:
        obj = getattr(tl, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert inspect.getdoc(obj), name


def test_error_hierarchy() -> None:
    assert issubclass(tl.RateLimitError, tl.APIStatusError)
    assert issubclass(tl.APIStatusError, tl.TransportError)
    assert issubclass(tl.APITimeoutError, tl.APIConnectionError)
    assert issubclass(tl.RefusalError, tl.OutputError)
    assert issubclass(tl.OutputValidationError, tl.OutputError)
    assert issubclass(tl.ConfigurationError, tl.TypedLLMError)
    assert set(typedllm.errors.__all__) <= set(tl.__all__)


def test_testing_module_surface() -> None:
    assert {"FakeProvider", "FakeReply", "serve", "generate_instance"} <= set(
        typedllm.testing.__all__
    )


def test_annotations_is_not_a_public_attribute() -> None:
    assert not hasattr(tl, "annotations")


def test_bare_import_loads_only_the_package() -> None:
    """Public names are imported on first use: ``import typedllm`` loads no other module of
    the package (nor httpx or pydantic's model machinery), so it stays cheap (the import
    benchmark measures the time)."""
    import subprocess
    import sys

    code = (
        "import sys, typedllm\n"
        "print(sorted(m for m in sys.modules if m.startswith(('typedllm', 'httpx', 'pydantic'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['typedllm']"


def test_every_public_name_resolves_lazily_to_its_defining_module() -> None:
    import importlib

    for name in tl.__all__:
        value = getattr(tl, name)
        assert value is not None, name
    fresh = importlib.reload(tl)
    assert fresh.Client is tl.Client


CURATED = ["codecs", "errors", "events", "hosts", "schema", "streaming", "testing"]


@pytest.mark.parametrize("name", CURATED)
def test_curated_subpackages_list_exactly_their_public_names(name: str) -> None:
    """Every public subpackage is curated like the top level: ``__all__`` lists every public
    non-module attribute (ruff keeps it sorted), and every class and function in it is
    documented."""
    import importlib
    import inspect
    import types

    module = importlib.import_module(f"typedllm.{name}")
    assert module.__doc__, name
    public = {
        n
        for n in dir(module)
        if not n.startswith("_")
        and not isinstance(getattr(module, n), types.ModuleType)
        and n != "annotations"
    }
    assert set(module.__all__) == public, name
    for attr in module.__all__:
        obj = getattr(module, attr)
        alias = hasattr(obj, "__origin__")  # a type alias (Python 3.10 calls some classes)
        if (inspect.isclass(obj) and not alias) or inspect.isfunction(obj):
            assert inspect.getdoc(obj), f"typedllm.{name}.{attr}"

"""The curated public surface."""

from __future__ import annotations

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

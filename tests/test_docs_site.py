"""The documentation site (mkdocs.yml): it builds with warnings as errors, its API reference is
current, and no public name is undocumented.

The build needs the docs extra (``pip install 'typedllm[docs]'``) and is skipped without it; the
reference and docstring checks need nothing.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import importlib.util
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "docs" / "reference"
# The public namespaces whose ``__all__`` the reference documents (as the generator does).
NAMESPACES = (
    "typedllm",
    "typedllm.errors",
    "typedllm.events",
    "typedllm.hosts",
    "typedllm.pipeline",
    "typedllm.testing",
    "typedllm.tools",
    "typedllm.integrations.otel",
    "typedllm.integrations.ray",
)
_DOCS_EXTRA = ("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers.python")


def _load_generator() -> Any:
    path = ROOT / "scripts" / "generate_reference.py"
    spec = importlib.util.spec_from_file_location("generate_reference", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate_reference"] = module
    spec.loader.exec_module(module)
    return module


def _public() -> list[tuple[str, str, Any]]:
    """(namespace, name, object) for every public name but dunders (``__version__``)."""
    found = []
    for namespace in NAMESPACES:
        module = importlib.import_module(namespace)
        for name in module.__all__:
            if not name.startswith("__"):
                found.append((namespace, name, getattr(module, name)))
    return found


# -- the site builds -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    missing = [m for m in _DOCS_EXTRA if importlib.util.find_spec(m.split(".")[0]) is None]
    if missing or importlib.util.find_spec("mkdocstrings_handlers") is None:
        pytest.skip("the site needs the docs extra: pip install 'typedllm[docs]'")
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # Material's banner about MkDocs 2.0
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr[-6000:]}"
    assert "WARNING" not in result.stderr, result.stderr[-6000:]
    return out


def test_the_site_builds_with_warnings_as_errors(site: Path) -> None:
    for page in ("index.html", "getting-started.html", "concepts/builders.html",
                 "concepts/errors.html", "reference/client.html", "changelog.html",
                 "contributing.html", "providers.html", "providers/index.html",
                 "providers/openai.html", "cookbook/extraction.html"):  # fmt: skip
        assert (site / page).is_file(), page


def test_the_reference_shows_the_docstrings(site: Path) -> None:
    client = (site / "reference" / "client.html").read_text(encoding="utf-8")
    # Client's docstring, its complete() method with the schema overload's annotations.
    assert "A configured model. Make one with a builder" in client
    assert "Ask the model; return its text, or a validated instance of" in client
    assert "TypeForm" in client
    testing = (site / "reference" / "testing.html").read_text(encoding="utf-8")
    assert "An offline LLM provider for tests, examples and CI." in testing
    # Doctests are fenced and highlighted, Sphinx roles shown as code, not printed raw.
    assert '<span class="gp">&gt;&gt;&gt; </span>' in testing  # the pycon lexer's prompt
    assert ":class:" not in testing and ":meth:" not in testing


def test_the_included_root_files_link_inside_the_site(site: Path) -> None:
    contributing = (site / "contributing.html").read_text(encoding="utf-8")
    assert 'href="architecture.html"' in contributing and 'href="changelog.html"' in contributing
    changelog = (site / "changelog.html").read_text(encoding="utf-8")
    assert "Versioning policy" in changelog


# -- the reference is current and complete ------------------------------------------------


def test_the_reference_pages_are_generated_and_current() -> None:
    generator = _load_generator()
    for name, content in generator.expected().items():
        path = REFERENCE / name
        assert path.is_file(), f"missing docs/reference/{name}: run scripts/generate_reference.py"
        current = path.read_text(encoding="utf-8")
        assert current == content, "regenerate with `python scripts/generate_reference.py`"
    check = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_reference.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout


def _documented_paths() -> set[str]:
    paths: set[str] = set()
    for page in REFERENCE.glob("*.md"):
        paths |= set(re.findall(r"^::: (\S+)$", page.read_text(encoding="utf-8"), re.MULTILINE))
    return paths


def test_every_public_name_is_in_the_reference() -> None:
    documented = _documented_paths()
    by_identity = {id(typedllm_object(path)) for path in documented}
    missing = [
        f"{namespace}.{name}"
        for namespace, name, value in _public()
        if f"{namespace}.{name}" not in documented and id(value) not in by_identity
    ]
    assert missing == [], f"not in docs/reference (run scripts/generate_reference.py): {missing}"


def typedllm_object(path: str) -> Any:
    """The object a dotted public path names (``typedllm.tools.Tool``)."""
    module_path, _, name = path.rpartition(".")
    try:
        return importlib.import_module(path)
    except ImportError:
        return getattr(importlib.import_module(module_path), name)


# -- no undocumented public name ------------------------------------------------------------


def _attribute_docstring(module_name: str, name: str) -> str | None:
    """The docstring written under ``name = ...`` where ``module_name`` (or the module it
    imports ``name`` from) assigns it: how type aliases and constants are documented."""
    module = importlib.import_module(module_name)
    tree = ast.parse(Path(inspect.getfile(module)).read_text(encoding="utf-8"))
    lazy = getattr(module, "_LAZY", {})
    if name in lazy:  # typedllm's lazy exports
        return _attribute_docstring(importlib.util.resolve_name(lazy[name], module_name), name)
    body = tree.body
    for index, node in enumerate(body):
        targets = []
        if isinstance(node, ast.Assign):
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            targets = [node.target.id]
        if name in targets:
            after = body[index + 1] if index + 1 < len(body) else None
            if isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant):
                return str(after.value.value)
            return None
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and any(a.name == name for a in node.names):
            package = module_name if hasattr(module, "__path__") else module.__package__
            source = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
            return _attribute_docstring(source, name)
    return None


# Docstrings a class or function has without writing one: inherited from these bases.
_DEFAULT_DOCS = {
    getattr(base, "__doc__", None)
    for base in (object, type, Exception, BaseException, ValueError, AssertionError, dict, tuple)
}


def _own_docstring(namespace: str, name: str, value: Any) -> str | None:
    if inspect.ismodule(value):
        return value.__doc__
    if inspect.isclass(value):
        doc = value.__dict__.get("__doc__")
        # dataclasses and NamedTuples make up a docstring from the signature: "Name(a, b)".
        generated = isinstance(doc, str) and doc.startswith(f"{value.__name__}(")
        return None if doc in _DEFAULT_DOCS or generated else doc
    if inspect.isfunction(value) or inspect.isbuiltin(value):
        return value.__doc__
    if callable(value) and hasattr(value, "__wrapped__"):
        return value.__doc__
    # A type alias or a constant: its __doc__ is its type's, so read the source.
    return _attribute_docstring(namespace, name)


def test_every_public_name_has_its_own_docstring() -> None:
    undocumented = [
        f"{namespace}.{name}"
        for namespace, name, value in _public()
        if not (_own_docstring(namespace, name, value) or "").strip()
    ]
    assert undocumented == [], f"public names without a docstring: {undocumented}"


def _public_methods(cls: type) -> list[tuple[str, Any]]:
    """The public methods and properties ``cls`` has from typedllm's own classes."""
    found = []
    for klass in cls.__mro__:
        if not klass.__module__.startswith("typedllm"):
            continue
        for attr, member in vars(klass).items():
            if attr.startswith("_"):
                continue
            if isinstance(member, (classmethod, staticmethod)):
                found.append((f"{klass.__qualname__}.{attr}", member.__func__))
            elif isinstance(member, property):
                found.append((f"{klass.__qualname__}.{attr}", member.fget))
            elif inspect.isfunction(member):
                found.append((f"{klass.__qualname__}.{attr}", member))
    return found


def test_every_public_method_of_a_public_class_has_a_docstring() -> None:
    undocumented = sorted(
        {
            f"{value.__module__}.{method}"
            for _, _, value in _public()
            if inspect.isclass(value)
            for method, function in _public_methods(value)
            if not (getattr(function, "__doc__", None) or "").strip()
        }
    )
    assert undocumented == [], f"public methods without a docstring: {undocumented}"


def test_the_docstring_checks_catch_a_missing_docstring() -> None:
    class Bare:
        def method(self) -> None:
            pass

    assert _own_docstring("typedllm", "Bare", Bare) is None
    assert _own_docstring("typedllm", "Point", dataclasses.dataclass(type("Point", (), {}))) is None
    Bare.__module__ = "typedllm.example"
    assert [(m, f.__doc__) for m, f in _public_methods(Bare)] == [
        ("test_the_docstring_checks_catch_a_missing_docstring.<locals>.Bare.method", None)
    ]
    assert _attribute_docstring("typedllm", "FinishReason") == (
        'Why the model stopped, normalised across providers (``"other"`` keeps unknown reasons).'
    )
    assert _attribute_docstring("typedllm.testing", "block_network") is None


# -- the site's build helpers ----------------------------------------------------------------


def _load_script(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_root_links_of_the_included_files_point_into_the_site() -> None:
    pytest.importorskip("markdown", reason="pip install 'typedllm[docs]'")
    hooks = _load_script("mkdocs_hooks")
    assert hooks.root_link_to_docs_link("docs/architecture.md") == "architecture.md"
    assert hooks.root_link_to_docs_link("CHANGELOG.md#unreleased") == "changelog.md#unreleased"
    assert hooks.root_link_to_docs_link("examples/x.py") == "examples/x.py"  # still checked


def test_docstrings_are_rewritten_for_markdown() -> None:
    pytest.importorskip("griffe", reason="pip install 'typedllm[docs]'")
    rewrite = _load_script("griffe_docstrings").rewrite
    text = 'Use :class:`~typedllm.Stream`, :meth:`a.B.c`.\n>>> x["a"]["b"]\n1\n\nAfter.'
    assert rewrite(text) == (
        'Use `Stream`, `a.B.c`.\n\n```pycon\n>>> x["a"]["b"]\n1\n```\n\nAfter.'
    )
    fenced = "```python\n>>> kept\n```"
    assert rewrite(fenced) == fenced
    assert rewrite(">>> last\n...   line") == "```pycon\n>>> last\n...   line\n```"

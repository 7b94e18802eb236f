"""The optional compiled build of the JS/TS analysis, and the guard that never runs a stale one.

The JavaScript/TypeScript walk (``javascript/``, every module but its ``__init__``) and the
tree-sitter door it reads positions through (``treesitter.py``) are ordinary typed Python, and
mypyc compiles them unchanged::

    SLSREVIEW_COMPILE=1 pip install --no-build-isolation -e .    # needs mypy and a C compiler

Compiled, the same sources give the same facts in a little over half the time beyond the parse
(``bench/bench_js_analysis.py`` says which build it measured). Without the variable nothing is
compiled, and nothing here costs more than a look at two folders.

A build writes ``compiled.json`` beside this module: the hash of every source it compiled. This
module, imported first by ``slsreview.analysis``, lets the compiled modules load only while the
sources are exactly those (same files, same hashes) and the build's code library (an extension
beside the top-level package) loads; otherwise it imports every one of them from its ``.py``,
past the stale extensions. So an edit after a build runs as written. ``SLSREVIEW_PURE_PYTHON=1``
runs the sources beside a current build too (``COMPILED`` says which is running).

setup.py loads this file by path (``compiled_sources``, ``write_manifest``): it imports only the
standard library.
"""

from __future__ import annotations

import importlib.machinery
import os
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).parent  # slsreview/analysis
LIBRARY = "slsreview_jsnative__mypyc"  # the extension holding the compiled code
MANIFEST = "compiled.json"
_SUFFIXES = tuple(importlib.machinery.EXTENSION_SUFFIXES)


def compiled_sources(root: Path = ROOT) -> list[Path]:
    """The modules a build compiles, below ``root`` (``slsreview/analysis``)."""
    package = sorted(p for p in (root / "javascript").glob("*.py") if p.name != "__init__.py")
    return [root / "treesitter.py", *package]


def source_hashes(root: Path = ROOT) -> dict[str, str]:
    import hashlib

    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in compiled_sources(root)
    }


def write_manifest(root: Path = ROOT) -> None:
    import json

    (root / MANIFEST).write_text(json.dumps(source_hashes(root), indent=1, sort_keys=True) + "\n")


def built_from_these_sources(root: Path = ROOT) -> bool:
    """The manifest below ``root`` records exactly the sources there now, with their hashes."""
    import json

    try:
        recorded = json.loads((root / MANIFEST).read_text())
    except (OSError, ValueError):
        return False
    return bool(recorded == source_hashes(root))


def _module_name(path: Path) -> str:
    return "slsreview.analysis." + path.relative_to(ROOT).with_suffix("").as_posix().replace("/", ".")


class _Sources:
    """Imports the compiled modules from their ``.py`` files, past any extension beside them
    (a meta path finder; ``importlib.abc`` would import ``typing`` for nothing)."""

    def __init__(self) -> None:
        self.files = {_module_name(p): p for p in compiled_sources()}

    def find_spec(
        self, name: str, path: object = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        source = self.files.get(name)
        if source is None or not source.is_file():
            return None
        import importlib.util

        return importlib.util.spec_from_file_location(name, source)


def _load_library() -> bool:
    """Load the build's code library from beside the top-level package (site-packages, or the
    project's root for an editable install, which is not on sys.path): by path, never by name,
    so that another checkout's build on sys.path cannot serve this one's modules."""
    import importlib.util

    for suffix in _SUFFIXES:
        library = ROOT.parents[1] / f"{LIBRARY}{suffix}"
        if not library.is_file():
            continue
        loaded = sys.modules.get(LIBRARY)
        if loaded is not None:
            return Path(getattr(loaded, "__file__", "")) == library
        spec = importlib.util.spec_from_file_location(LIBRARY, library)
        if spec is None or spec.loader is None:
            return False
        module = importlib.util.module_from_spec(spec)
        sys.modules[LIBRARY] = module
        try:
            spec.loader.exec_module(module)
        except ImportError:
            del sys.modules[LIBRARY]
            return False
        return True
    return False


def _has_extensions() -> bool:
    if any((ROOT / f"treesitter{suffix}").is_file() for suffix in _SUFFIXES):
        return True
    return any(name.endswith(_SUFFIXES) for name in os.listdir(ROOT / "javascript"))


def _decide() -> bool:
    if not _has_extensions():
        return False
    if not os.environ.get("SLSREVIEW_PURE_PYTHON") and built_from_these_sources() and _load_library():
        return True
    sys.meta_path.insert(0, _Sources())
    return False


# Decided once, when slsreview.analysis is imported (not when setup.py reads the helpers above)
COMPILED = _decide() if __name__ == "slsreview.analysis.native" else False

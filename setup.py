"""Package discovery, and the optional compiled JS/TS analyzer. Everything else is in pyproject.toml.

``rules/`` installs as ``slsreview_rules`` (PyPI's django-rules owns the name ``rules``), so its
packages are found under their folder and renamed here: a new rule category folder ships in the
wheel without editing any list.

``SLSREVIEW_COMPILE=1 pip install --no-build-isolation [-e] .`` (with mypy installed, as the
``test`` extra installs it, and a C compiler) compiles the JS/TS analysis with mypyc; without the
variable nothing is compiled. ``slsreview/analysis/native.py`` names the modules, records their
hashes in ``compiled.json`` and keeps a build from running once they change.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

from setuptools import find_packages, setup


def compiled_analysis() -> list[Any]:
    if os.environ.get("SLSREVIEW_COMPILE") != "1":
        return []
    from mypyc.build import mypycify

    # native.py imports only the standard library: read it by path, without importing slsreview
    spec = importlib.util.spec_from_file_location("slsreview_native", "slsreview/analysis/native.py")
    assert spec is not None and spec.loader is not None
    native = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(native)
    root = Path("slsreview/analysis")
    native.write_manifest(root)
    sources = [str(p) for p in native.compiled_sources(root)]
    return mypycify(sources, group_name="slsreview_jsnative", opt_level="3")


setup(
    packages=[
        *find_packages(include=["slsreview", "slsreview.*"]),
        "slsreview_rules",
        *(f"slsreview_rules.{name}" for name in find_packages("rules")),
    ],
    ext_modules=compiled_analysis(),
)

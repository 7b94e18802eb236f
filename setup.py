"""Package discovery, and the optional compiled JS/TS analyzer. Everything else is in pyproject.toml.

``rules/`` installs as ``slsreview_rules`` (PyPI's django-rules owns the name ``rules``), so its
packages are found under their folder and renamed here: a new rule category folder ships in the
wheel without editing any list.

``SLSREVIEW_COMPILE=1 pip install --no-build-isolation [-e] .`` (with mypy installed, as the
``test`` extra installs it, and a C compiler) compiles ``slsreview/analysis/javascript/`` with
mypyc: the same source, the same facts, the walk about twice as fast. Without the variable
nothing is compiled. The build records the hash of every module it compiled in
``compiled.json``; the package uses the compiled modules only while their sources still have
those hashes (see its ``__init__``), so a source edited after a build runs as written.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from setuptools import find_packages, setup

COMPILED_PACKAGE = Path("slsreview/analysis/javascript")


def compiled_analyzer() -> list[Any]:
    if os.environ.get("SLSREVIEW_COMPILE") != "1":
        return []
    from mypyc.build import mypycify

    modules = sorted(p for p in COMPILED_PACKAGE.glob("*.py") if p.name != "__init__.py")
    hashes = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in modules}
    (COMPILED_PACKAGE / "compiled.json").write_text(json.dumps(hashes, indent=1, sort_keys=True) + "\n")
    return mypycify([str(p) for p in modules], group_name="slsreview_jsnative", opt_level="3")


setup(
    packages=[
        *find_packages(include=["slsreview", "slsreview.*"]),
        "slsreview_rules",
        *(f"slsreview_rules.{name}" for name in find_packages("rules")),
    ],
    ext_modules=compiled_analyzer(),
    package_data={"slsreview.analysis.javascript": ["compiled.json"]},
)

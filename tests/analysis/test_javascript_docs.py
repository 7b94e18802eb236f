"""The examples in the JS/TS analyzer's docstrings run: a newcomer reads them first."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import slsreview.analysis.javascript as package
from slsreview.analysis.javascript import analyze_javascript

SUBMODULES = sorted(
    info.name for info in pkgutil.iter_modules(package.__path__, package.__name__ + ".")
)
MODULES = [package.__name__, *SUBMODULES, "slsreview.analysis.treesitter"]  # and the door it reads through


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, extraglobs={"analyze_javascript": analyze_javascript})
    assert result.failed == 0


def test_the_package_documents_every_module() -> None:
    """The package docstring's map names every module of the package."""
    doc = package.__doc__ or ""
    for name in SUBMODULES:
        assert f"``{name.rsplit('.', 1)[1]}.py``" in doc, name

"""Package discovery. Everything else is in pyproject.toml.

``rules/`` installs as ``slsreview_rules`` (PyPI's django-rules owns the name ``rules``), so its
packages are found under their folder and renamed here: a new rule category folder ships in the
wheel without editing any list.
"""

from setuptools import find_packages, setup

setup(
    packages=[
        *find_packages(include=["slsreview", "slsreview.*"]),
        "slsreview_rules",
        *(f"slsreview_rules.{name}" for name in find_packages("rules")),
    ],
)

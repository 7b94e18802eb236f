"""slsreview's built-in rules, installed as the package ``slsreview_rules``.

One rule per file, grouped by category (``parse/``, ``runtime/``, ...). The engine finds this
pack through the ``slsreview.rules`` entry point group, as it finds any team's own pack. To add a
rule, copy a small rule file next to the ones of its category: the engine, ``slsreview rules``,
``slsreview explain`` and the example tests pick it up by itself.
"""

if __name__ != "slsreview_rules":  # pragma: no cover - a guard, exercised by a test in a subprocess
    raise ImportError(
        "The rules folder is installed as 'slsreview_rules', not 'rules' (PyPI's django-rules owns "
        "that name). Install the project (pip install -e .) and import slsreview_rules."
    )

"""slsreview: review serverless functions before they are deployed.

The package is layered as the picture in STYLE.md shows; each layer imports only the layers to
its left::

    discovery -> loaders -> model -> analysis -> rules -> engine (findings) -> reporters

The CLI (``slsreview.cli``) wires the layers together. Heavy modules (libcst, tree-sitter, the
reporters) are imported only when a run needs them, so ``slsreview --version`` stays instant.
"""

__version__ = "0.1.0"

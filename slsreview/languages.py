"""Which language a source file is written in, by its extension: one table for every layer.

    >>> language_of("src/app.mts"), dialect_of("src/App.tsx")
    ('typescript', 'tsx')
"""

from __future__ import annotations

import posixpath
from typing import Literal

Language = Literal["python", "javascript", "typescript"]
Dialect = Literal["javascript", "typescript", "tsx"]  # the tree-sitter grammar that reads a file

SOURCE_LANGUAGES: dict[str, Language] = {
    ".py": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "typescript",
}


def language_of(path: str) -> Language | None:
    return SOURCE_LANGUAGES.get(posixpath.splitext(path)[1].lower())


def dialect_of(path: str) -> Dialect | None:
    """The grammar for a JavaScript or TypeScript file (``tsx`` for .tsx), else None."""
    language = language_of(path)
    if language is None or language == "python":
        return None
    return "tsx" if path.lower().endswith(".tsx") else language

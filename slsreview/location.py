"""Where something is: a file and a 1-based region in it.

Every layer speaks in these. Loaders convert their parser's positions (0-based columns from
libyaml and libcst, byte offsets from tree-sitter) exactly once, so that a ``Location`` is always
1-based line and 1-based *character* column, with an exclusive end column as SARIF counts it.

    >>> Location("template.yaml", 7, 5, 7, 12).short()
    'template.yaml:7:5'
"""

from __future__ import annotations

from dataclasses import dataclass

# (line, column, end_line, end_column), 1-based, end column exclusive. Containers keep their
# children's spans as plain tuples: cheap to store, turned into a Location only when asked.
Span = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True, order=True)
class Location:
    path: str
    line: int = 1
    column: int = 1
    end_line: int = 0
    end_column: int = 0

    @classmethod
    def of(cls, path: str, span: Span) -> Location:
        return cls(path, span[0], span[1], span[2], span[3])

    @classmethod
    def file_start(cls, path: str) -> Location:
        """The first line of a file: where a finding about something absent in it points."""
        return cls(path, 1, 1, 1, 1)

    def short(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def __reduce__(self) -> tuple[type[Location], tuple[str, int, int, int, int]]:
        # (class, fields): far faster to load than dataclasses' generic __setstate__, and
        # cached analysis results hold one Location per fact
        return (Location, (self.path, self.line, self.column, self.end_line, self.end_column))

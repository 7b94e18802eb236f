"""Where something is: a file and a 1-based region in it.

Every layer speaks in these. Loaders convert their parser's positions (0-based columns from
libyaml and libcst, byte offsets from tree-sitter) exactly once, so that a ``Location`` is always
1-based line and 1-based *character* column, with an exclusive end column as SARIF counts it.

    >>> Location("template.yaml", 7, 5, 7, 12).short()
    'template.yaml:7:5'
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, TypeVar

_C = TypeVar("_C", bound=type)

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


def fast_init(cls: _C) -> _C:
    """Give a frozen, slotted dataclass an ``__init__`` that stores through the slots' own
    descriptors: same signature, defaults and frozen instances, made about twice as fast.

    The generated ``__init__`` of a frozen dataclass calls ``object.__setattr__`` for every field;
    the analyzers make tens of thousands of locations and facts per second, and a cache load makes
    them all again, so the difference is visible end to end.
    """
    params = dataclasses.fields(cls)
    assert cls.__dataclass_params__.frozen and "__slots__" in cls.__dict__, cls  # type: ignore[attr-defined]
    namespace: dict[str, Any] = {}
    signature, body = [], []
    for field in params:
        assert field.init and field.default_factory is dataclasses.MISSING, field
        namespace[f"_set_{field.name}"] = cls.__dict__[field.name].__set__
        if field.default is dataclasses.MISSING:
            signature.append(field.name)
        else:
            namespace[f"_default_{field.name}"] = field.default
            signature.append(f"{field.name}=_default_{field.name}")
        body.append(f"    _set_{field.name}(self, {field.name})")
    source = f"def __init__(self, {', '.join(signature)}):\n" + "\n".join(body or ["    pass"])
    exec(source, namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init  # type: ignore[misc]
    return cls


fast_init(Location)


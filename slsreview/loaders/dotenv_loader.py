"""``.env`` / ``.dev.vars`` files: ``NAME=value`` lines as a ``MapNode`` with positions.

The syntax is what Wrangler and the dotenv libraries accept: ``NAME=value``, optional ``export``,
``#`` comments on their own line or after an unquoted value, single- or double-quoted values, a
double-quoted value spanning lines (a PEM key), spaces around ``=``. A line that is none of
these is skipped, not an error: these files are read for the values they hold, never run.

    >>> env = load_dotenv(".dev.vars", 'API_TOKEN="abc def"\\n# note\\nexport DEBUG=1 # on\\n').value
    >>> dict(env), env.loc("API_TOKEN").short()
    ({'API_TOKEN': 'abc def', 'DEBUG': '1'}, '.dev.vars:1:12')
"""

from __future__ import annotations

import re

from slsreview.loaders import Loaded
from slsreview.loaders.nodes import MapNode

_LINE = re.compile(r"^[ \t]*(?:export[ \t]+)?(?P<name>[A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*")


def load_dotenv(path: str, text: str) -> Loaded:
    env = MapNode(path, (1, 1, 1, 1))
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index].rstrip("\r")
        number = index + 1
        index += 1
        match = _LINE.match(line)
        if match is None:
            continue
        name = match.group("name")
        key_span = (number, match.start("name") + 1, number, match.end("name") + 1)
        start = match.end()
        rest = line[start:]
        if rest[:1] in ('"', "'"):
            quote = rest[0]
            close = rest.find(quote, 1)
            if close >= 0:
                value = rest[1:close]
                span = (number, start + 2, number, start + close + 1)
            elif quote == '"':  # a double-quoted value may continue over the next lines
                parts = [rest[1:]]
                end_line, end_col = number, len(line) + 1
                while index < len(lines):
                    more = lines[index].rstrip("\r")
                    index += 1
                    close = more.find('"')
                    if close >= 0:
                        parts.append(more[:close])
                        end_line, end_col = index, close + 1
                        break
                    parts.append(more)
                value = "\n".join(parts)
                span = (number, start + 2, end_line, end_col)
            else:
                value = rest[1:]
                span = (number, start + 2, number, len(line) + 1)
        else:
            comment = re.search(r"[ \t]#", rest)
            value = (rest[: comment.start()] if comment else rest).rstrip()
            span = (number, start + 1, number, start + len(value) + 1)
        env.set(name, value, key_span, span)
    if env:
        first = min(env.key_span(k) for k in env)
        env.span = (first[0], 1, first[0], 1)
    return Loaded(env)

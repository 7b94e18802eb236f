"""Which lines changed since a git ref, from real ``git diff`` output.

    >>> changed_lines("origin/main", cwd=Path.cwd())
    {'template.yaml': {12, 13}, 'src/new_handler.py': None}

``None`` means the file is new (or untracked): every line of it counts as changed. Paths are
display paths, relative to ``cwd`` like every report path.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from slsreview.inputs import Inputs

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


class DiffError(Exception):
    """git is missing, the folder is not a repository, or the ref does not exist."""


def _git(args: list[str], cwd: Path, inputs: Inputs, only_status: bool = False) -> str:
    try:
        returncode, stdout, stderr = inputs.run(["git", *args], cwd, only_status=only_status)
    except FileNotFoundError as exc:
        raise DiffError("--diff needs git, which is not installed") from exc
    except (OSError, subprocess.SubprocessError) as exc:
        raise DiffError(f"git {' '.join(args[:2])}: {exc}") from exc
    if returncode != 0:
        message = (stderr.decode("utf-8", "replace").strip().splitlines() or ["git failed"])[-1]
        raise DiffError(f"git {' '.join(args[:2])}: {message}")
    return stdout.decode("utf-8", "replace")


def changed_lines(ref: str, cwd: Path, inputs: Inputs | None = None) -> dict[str, set[int] | None]:
    """Every question goes to git through ``inputs``, so a cached review can ask it again."""
    inputs = inputs or Inputs(record=False)
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd, inputs).strip())
    _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd, inputs, only_status=True)
    diff = _git(["diff", "--no-color", "--no-ext-diff", "--unified=0", "--no-renames", ref, "--"], top, inputs)
    changed = parse_diff(diff)
    for path in _git(["ls-files", "--others", "--exclude-standard", "-z"], top, inputs).split("\0"):
        if path:
            changed[path] = None
    out: dict[str, set[int] | None] = {}
    for path, lines in changed.items():
        absolute = top / path
        try:
            shown = absolute.relative_to(cwd).as_posix()
        except ValueError:
            shown = os.path.relpath(absolute, cwd) if absolute.is_relative_to(top) else absolute.as_posix()
            shown = Path(shown).as_posix()
        out[shown] = lines
    return out


def parse_diff(text: str) -> dict[str, set[int] | None]:
    """Added or changed lines per file (in the new version) from ``git diff --unified=0``."""
    changed: dict[str, set[int] | None] = {}
    path: str | None = None
    new_file = False
    for line in text.splitlines():
        if line.startswith("diff --git "):
            path, new_file = None, False
        elif line.startswith("new file mode"):
            new_file = True
        elif line.startswith("+++ "):
            target = line[4:]
            if target == "/dev/null":
                path = None  # a deleted file: nothing in it can carry a finding
                continue
            path = _unquote(target)[2:] if target.startswith(('b/', '"b/')) else _unquote(target)
            changed[path] = None if new_file else set()
        elif line.startswith("@@") and path is not None:
            match = _HUNK.match(line)
            lines = changed.get(path)
            if match and lines is not None:
                start, count = int(match.group(1)), int(match.group(2) or "1")
                lines.update(range(start, start + count))
    return changed


def _unquote(path: str) -> str:
    """git quotes unusual paths C-style: "b/na\\303\\257ve.py"."""
    if not (path.startswith('"') and path.endswith('"')):
        return path
    raw = path[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")
    return raw.encode("latin-1", "replace").decode("utf-8", "replace")

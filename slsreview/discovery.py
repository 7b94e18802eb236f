"""Find what to review: templates, wrangler configs, samconfig files, docs and source files.

Walks each given path once, honouring ``.gitignore`` files (nested ones too) and the
configuration's ``exclude`` globs, never entering dependency, build or VCS folders, and never
following a symlink out of the reviewed root (or round a loop). Templates are recognised by
content, not by name: a YAML or JSON file that mentions ``AWSTemplateFormatVersion``, the
``AWS::Serverless-2016-10-31`` transform or an ``AWS::Lambda::Function`` resource.

    >>> found = discover([Path(".")], cwd=Path.cwd())
    >>> found.templates, found.wranglers
    (['template.yaml'], ['worker/wrangler.toml'])
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slsreview.inputs import Inputs
from slsreview.languages import SOURCE_LANGUAGES
from slsreview.vocabulary.secrets import local_env_file

NEVER_ENTER = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".aws-sam",
        ".wrangler",
        "cdk.out",
        ".serverless",
        ".venv",
        "venv",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
        ".nox",
        ".slsreview_cache",
        ".terraform",
        ".next",
        ".svelte-kit",
    }
)
WRANGLER_NAMES = ("wrangler.jsonc", "wrangler.json", "wrangler.toml")
MAKEFILE_NAMES = ("Makefile", "makefile", "GNUmakefile", "justfile", "Justfile")
TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
SOURCE_SUFFIXES = tuple(ext for ext in SOURCE_LANGUAGES if ext not in (".jsx", ".tsx"))  # SPEC's list
TEMPLATE_MARKERS = (b"AWSTemplateFormatVersion", b"AWS::Serverless-2016-10-31", b"AWS::Lambda::Function")
SNIFF_BYTES = 256 * 1024


@dataclass
class Discovery:
    """What a walk found. Paths are display paths (see ``display_path``)."""

    templates: list[str] = field(default_factory=list)
    wranglers: list[str] = field(default_factory=list)
    samconfigs: list[str] = field(default_factory=list)
    docs: list[str] = field(default_factory=list)  # READMEs, docs/*.md, Makefiles
    packages: list[str] = field(default_factory=list)  # package.json files, read when a config or handler is below
    fixtures: list[str] = field(default_factory=list)  # JSON files that may be event fixtures (events/, *event*.json)
    sources: list[str] = field(default_factory=list)  # every source file seen, read only on demand
    env_files: list[str] = field(default_factory=list)  # .dev.vars, .env and their variants (examples too)
    skipped: list[str] = field(default_factory=list)  # one line each: what was not followed, and why
    roots: list[str] = field(default_factory=list)
    contents: dict[str, bytes] = field(default_factory=dict)  # bytes read while sniffing, reused by loaders
    sizes: dict[str, int] = field(default_factory=dict)


def display_path(path: Path, cwd: Path) -> str:
    """POSIX path relative to ``cwd`` when under it, else absolute: what every report shows."""
    try:
        return path.relative_to(cwd).as_posix() or "."
    except ValueError:
        return path.as_posix()


class _Ignores:
    """.gitignore files and user excludes. Each folder sees only the .gitignore files of its own
    ancestors (the deepest one with an opinion wins), so the cost per file is the folder depth,
    not the number of .gitignore files in the repository."""

    def __init__(self, root: str, excludes: Iterable[str], inputs: Inputs) -> None:
        self.inputs = inputs
        patterns = list(excludes)
        self.exclude = _gitignore_spec(patterns) if patterns else None
        self.root = root
        self._compiled: dict[str, _Spec] = {}

    def load(self, directory: str) -> Any:
        gitignore = os.path.join(directory, ".gitignore")
        try:
            data = self.inputs.read(gitignore, MAX_GITIGNORE_BYTES)
        except OSError:
            return None
        text = data.decode("utf-8", errors="replace")
        # Monorepos repeat the same .gitignore in every project: compile each text once.
        if text not in self._compiled:
            self._compiled[text] = _Spec(_gitignore_spec(text.splitlines()))
        return self._compiled[text]

    def ignored(self, path: str, is_dir: bool, specs: list[tuple[str, Any]]) -> bool:
        suffix = "/" if is_dir else ""
        verdict = False
        for base, spec in specs:
            include = spec.check(path[len(base) + 1 :] + suffix)
            if include is not None:
                verdict = include
        if not verdict and self.exclude is not None and path.startswith(self.root + os.sep):
            verdict = bool(self.exclude.match_file(path[len(self.root) + 1 :] + suffix))
        return verdict


def _gitignore_spec(lines: list[str]) -> Any:
    import pathspec  # only when there is a pattern to match: most runs inside git need none

    return pathspec.GitIgnoreSpec.from_lines(lines)


MAX_GITIGNORE_BYTES = 1024 * 1024  # a real .gitignore is a few KiB; read no more than this


class _Spec:
    """One .gitignore file. A real repository's file has hundreds of patterns and most paths
    match none of them: one combined regular expression answers that common case, and only a
    path it matches is checked pattern by pattern (last match wins, negations included)."""

    def __init__(self, spec: Any) -> None:
        self.spec = spec
        parts = [p.regex.pattern for p in spec.patterns if getattr(p, "regex", None) is not None]
        # pathspec names a group in every pattern; names may not repeat in one expression
        self.any = re.compile("|".join(f"(?:{_NAMED_GROUP.sub('(?:', part)})" for part in parts)) if parts else None

    def check(self, relative: str) -> bool | None:
        if self.any is None or not self.any.search(relative):
            return None
        result = self.spec.check_file(relative)
        return None if result.include is None else bool(result.include)


_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


def discover(paths: Iterable[Path], *, cwd: Path, excludes: Iterable[str] = (), inputs: Inputs | None = None) -> Discovery:
    """What to review under ``paths``. Every question asked of the disk goes through
    ``inputs``, so that a cached review knows what a file added or removed would change."""
    inputs = inputs or Inputs(record=False)
    found = Discovery()
    seen_files: set[str] = set()
    for given in paths:
        given = Path(os.path.abspath(given))
        found.roots.append(display_path(given, cwd))
        if inputs.is_file(given):
            _classify(given, cwd, found, seen_files, inputs, explicit=True)
            continue
        if not inputs.is_dir(given):
            found.skipped.append(f"{display_path(given, cwd)}: no such file or directory")
            continue
        if not _from_git(given, cwd, found, seen_files, excludes, inputs):
            _walk(given, cwd, found, seen_files, excludes, inputs)
    _add_samconfig_templates(found, cwd, seen_files, inputs)
    for name in ("templates", "wranglers", "samconfigs", "docs", "sources", "env_files", "packages", "fixtures"):
        getattr(found, name).sort()
    return found


def _from_git(
    root: Path, cwd: Path, found: Discovery, seen_files: set[str], excludes: Iterable[str], inputs: Inputs
) -> bool:
    """Inside a git work tree, ask git which files exist and are not ignored: it knows every
    .gitignore rule exactly (and tracked files are reviewed even when a pattern matches them),
    in a fraction of the time a walk takes. False when git cannot answer; the caller walks."""
    # Without a .git up the tree (and no GIT_DIR) git cannot answer: do not start it to hear so.
    if not os.environ.get("GIT_DIR") and not any(inputs.exists(folder / ".git") for folder in (root, *root.parents)):
        return False
    import subprocess

    try:
        returncode, stdout, _ = inputs.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "."], root
        )
    except (OSError, subprocess.SubprocessError):
        return False
    if returncode != 0:
        return False
    real_root = inputs.realpath(root)
    ignores = _Ignores(str(root), excludes, inputs)
    plain_dirs: dict[str, bool] = {}  # folder -> may be entered (not a virtualenv, not excluded)

    def enterable(folder: str) -> bool:
        if folder not in plain_dirs:
            parent = os.path.dirname(folder)
            plain_dirs[folder] = folder == str(root) or (
                enterable(parent)
                and os.path.basename(folder) not in NEVER_ENTER
                and not inputs.exists(os.path.join(folder, "pyvenv.cfg"))
                and not ignores.ignored(folder, True, [])
            )
        return plain_dirs[folder]

    names = sorted(set(stdout.decode("utf-8", "surrogateescape").split("\0")) - {""})
    for name in names:
        path = os.path.join(str(root), name)
        if not enterable(os.path.dirname(path)) or ignores.ignored(path, False, []):
            continue
        kind = inputs.kind(path)
        if kind.startswith("link-"):
            target = inputs.realpath(path)
            if not (target == real_root or target.startswith(real_root + os.sep)):
                found.skipped.append(f"{display_path(Path(path), cwd)}: symlink out of the reviewed folder, not followed")
                continue
        if kind.endswith("file"):  # a tracked file deleted from the work tree is not there to review
            _classify(Path(path), cwd, found, seen_files, inputs, explicit=False)
        elif kind == "link-missing" and _reviewable(os.path.basename(path)):
            shown = display_path(Path(path), cwd)
            found.skipped.append(f"{shown}: a symlink that leads nowhere (dangling, or a loop), not read")
    return True


def _walk(root: Path, cwd: Path, found: Discovery, seen_files: set[str], excludes: Iterable[str], inputs: Inputs) -> None:
    real_root = inputs.realpath(root)
    ignores = _Ignores(str(root), excludes, inputs)
    # .gitignore files between the repository's top and the reviewed folder apply inside it too
    inherited: list[tuple[str, Any]] = []
    above: list[Path] = []
    for parent in root.parents:
        above.append(parent)
        if inputs.exists(parent / ".git"):
            for folder in reversed(above):
                spec = ignores.load(str(folder))
                if spec is not None:
                    inherited.append((str(folder), spec))
            break
    visited: set[str] = set()
    stack: list[tuple[str, list[tuple[str, Any]]]] = [(str(root), inherited)]
    while stack:
        directory, specs = stack.pop()
        real = inputs.realpath(directory)
        if real in visited:
            found.skipped.append(f"{display_path(Path(directory), cwd)}: symlink loop, not followed")
            continue
        visited.add(real)
        own = ignores.load(directory)
        if own is not None:
            specs = [*specs, (directory, own)]
        try:
            entries = inputs.scandir(directory, skip=NEVER_ENTER)
        except OSError as exc:
            found.skipped.append(f"{display_path(Path(directory), cwd)}: cannot be read ({exc.strerror})")
            continue
        subdirs = []
        for entry in entries:
            try:
                is_link = entry.is_symlink()
            except OSError:
                continue
            try:
                is_dir = entry.is_dir()
                is_file = entry.is_file()
            except OSError:  # a symlink loop: following it fails with ELOOP
                is_dir = is_file = False
            if is_link:
                target = inputs.realpath(entry.path)
                if not (target == real_root or target.startswith(real_root + os.sep)):
                    found.skipped.append(
                        f"{display_path(Path(entry.path), cwd)}: symlink out of the reviewed folder, not followed"
                    )
                    continue
            if is_dir:
                if entry.name in NEVER_ENTER or inputs.exists(os.path.join(entry.path, "pyvenv.cfg")):
                    continue
                if ignores.ignored(entry.path, True, specs):
                    continue
                subdirs.append((entry.path, specs))
            elif is_file:
                if ignores.ignored(entry.path, False, specs):
                    continue
                _classify(Path(entry.path), cwd, found, seen_files, inputs, explicit=False)
            elif _reviewable(entry.name) and not ignores.ignored(entry.path, False, specs):
                # Never opened: reading a FIFO blocks forever, and a dangling link or a link loop
                # cannot be read. Said, so that a template that is one is not silently missing.
                what = "a symlink that leads nowhere (dangling, or a loop)" if is_link else "not a regular file"
                found.skipped.append(f"{display_path(Path(entry.path), cwd)}: {what}, not read")
        stack.extend(reversed(subdirs))


def _reviewable(name: str) -> bool:
    """Whether ``_classify`` would look at a file of this name."""
    lower = name.lower()
    return (
        name in WRANGLER_NAMES
        or name == "samconfig.toml"
        or lower.endswith(TEMPLATE_SUFFIXES)
        or (lower.endswith(SOURCE_SUFFIXES) and not lower.endswith(".d.ts"))
        or lower.startswith("readme")
        or local_env_file(name) is not None
        or name in MAKEFILE_NAMES
    )


def _classify(path: Path, cwd: Path, found: Discovery, seen_files: set[str], inputs: Inputs, explicit: bool) -> None:
    shown = display_path(path, cwd)
    if shown in seen_files:
        return
    name = path.name
    lower = name.lower()
    if name in WRANGLER_NAMES:
        seen_files.add(shown)
        found.wranglers.append(shown)
    elif local_env_file(name) is not None:
        seen_files.add(shown)
        found.env_files.append(shown)
    elif name == "package.json":
        seen_files.add(shown)
        found.packages.append(shown)
    elif name in MAKEFILE_NAMES:
        seen_files.add(shown)
        found.docs.append(shown)
    elif name == "samconfig.toml":
        seen_files.add(shown)
        found.samconfigs.append(shown)
    elif lower.endswith(TEMPLATE_SUFFIXES):
        head = _sniff(path, found, shown, inputs)
        if head is not None and any(marker in head for marker in TEMPLATE_MARKERS):
            seen_files.add(shown)
            found.templates.append(shown)
        elif head is not None and lower.endswith(".json") and _may_be_fixture(shown):
            seen_files.add(shown)
            found.fixtures.append(shown)
        elif explicit and head is not None:
            found.skipped.append(f"{shown}: not a SAM/CloudFormation template")
    elif lower.endswith(SOURCE_SUFFIXES) and not lower.endswith(".d.ts"):
        seen_files.add(shown)
        found.sources.append(shown)
    elif lower.startswith("readme") or (path.parent.name == "docs" and lower.endswith((".md", ".rst", ".txt"))):
        seen_files.add(shown)
        found.docs.append(shown)


def _may_be_fixture(shown: str) -> bool:
    """A JSON file where SAM projects keep the events they invoke functions with locally:
    under an ``events/`` (or ``event/``, ``fixtures/``) folder, or named like an event."""
    parts = shown.lower().split("/")
    return any(p in ("events", "event", "fixtures", "test-events") for p in parts[:-1]) or "event" in parts[-1]


def _sniff(path: Path, found: Discovery, shown: str, inputs: Inputs) -> bytes | None:
    """Read a candidate template's head (and keep the whole file when it is small)."""
    try:
        size = inputs.size(path)
        head = inputs.read(path, SNIFF_BYTES)
    except OSError as exc:
        found.skipped.append(f"{shown}: cannot be read ({exc.strerror})")
        return None
    found.sizes[shown] = size
    if size <= SNIFF_BYTES and len(head) == size:
        found.contents[shown] = head
    return head


def _add_samconfig_templates(found: Discovery, cwd: Path, seen_files: set[str], inputs: Inputs) -> None:
    """``samconfig.toml`` may name a template that does not look like one by its file name."""
    from slsreview.loaders.toml_loader import load_toml

    for samconfig in found.samconfigs:
        try:
            text = inputs.read(cwd / samconfig).decode("utf-8")
        except (OSError, ValueError):
            continue  # the samconfig itself is reported by the engine when it loads it
        # load_toml, not tomllib: tomllib raises RecursionError on deep nesting and takes minutes
        # over a 100,000-part dotted key; the loader bounds both and never raises.
        data = load_toml(samconfig, text).value
        if not isinstance(data, dict):
            continue
        base = (cwd / samconfig).parent
        for env in data.values():
            if not isinstance(env, dict):
                continue
            for command in env.values():
                params = command.get("parameters") if isinstance(command, dict) else None
                template = params.get("template_file") or params.get("template") if isinstance(params, dict) else None
                if isinstance(template, str):
                    shown = display_path(Path(os.path.abspath(base / template)), cwd)
                    if shown not in seen_files and inputs.is_file(cwd / shown):
                        seen_files.add(shown)
                        found.templates.append(shown)

"""The review: discovery, loading, model, analysis and rules joined into findings.

    >>> result = review([Path(".")], settings, load_rules(), cwd=Path.cwd())
    >>> [f.rule for f in result.findings]
    ['SLS201', 'SLS202']

Every stage isolates its failures: a file that cannot be read becomes a ``parse`` finding, a rule
that raises on one function becomes one finding naming the rule and the file, and the rest of the
review runs. The result is deterministic: findings are sorted, and nothing in them depends on
the order files were found or analysed in.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import posixpath
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from slsreview.analysis.facts import Facts, FileFacts
from slsreview.cache import CACHE_DIR, Store, code_fingerprint
from slsreview.config import Settings
from slsreview.discovery import MAKEFILE_NAMES, Discovery, discover
from slsreview.findings import Confirmation, Finding, tier_rank
from slsreview.inputs import Inputs, utf8_text
from slsreview.loaders import Loaded, LoadError, Problem, decode_text
from slsreview.location import Location
from slsreview.model.handlers import language_of
from slsreview.model.project import (
    ConfigFile,
    Doc,
    DocLink,
    EnvFile,
    Function,
    Located,
    PackageJson,
    Project,
    SourceFile,
    Worker,
    is_within,
)
from slsreview.model.sam import build_template
from slsreview.model.wrangler import build_workers
from slsreview.redact import redact
from slsreview.results import Results, Summary, digest
from slsreview.rule import Context, Report, Rule
from slsreview.suppressions import Suppression, scan_inline, scan_metadata


@dataclass
class Review:
    """The result of one review.

    ``findings`` are what the reports list. Findings hidden on purpose are kept apart, so that
    nothing is lost from view: ``suppressed`` (inline, Metadata or per-path), ``baselined``
    (recorded in ``--baseline``), ``outside_diff`` (on lines ``--diff`` did not change). In diff
    mode ``changed_lines`` maps each changed file to its added or changed lines (``None`` for a
    file that is new or changed as a whole).
    """

    findings: list[Finding]
    suppressed: list[Finding]
    project: Project
    files: list[str]
    skipped: list[str]
    rules: list[type[Rule]]
    suppressions: list[Suppression] = field(default_factory=list)
    cache_hits: int = 0
    baselined: list[Finding] = field(default_factory=list)
    outside_diff: list[Finding] = field(default_factory=list)
    changed_lines: dict[str, set[int] | None] | None = None

    def summary(self) -> dict[str, int]:
        counts = {"blocking": 0, "non-blocking": 0, "human-confirmation": 0}
        for finding in self.findings:
            counts[finding.tier] += 1
        summary = {
            **counts,
            "suppressed": len(self.suppressed),
            "files": len(self.files),
            "functions": len(self.project.functions) + len(self.project.workers),
        }
        # Extensions of SPEC's summary, present only when the feature is in use.
        if any(f.confirmation for f in self.findings):
            summary["confirmed"] = sum(1 for f in self.findings if f.confirmation)
        if self.baselined:
            summary["baselined"] = len(self.baselined)
        if self.changed_lines is not None:
            summary["outside_diff"] = len(self.outside_diff)
        return summary

    def fails(self, fail_on: str, require_confirmations: bool = False) -> bool:
        """Whether the check fails: a finding at or above ``fail_on`` (a signed-off
        human-confirmation finding does not count), or, when confirmations are required, a
        human-confirmation finding nobody signed off."""
        if require_confirmations and any(f.tier == "human-confirmation" and not f.confirmation for f in self.findings):
            return True
        return fail_on != "never" and any(
            tier_rank(f.tier) <= tier_rank(fail_on) and not (f.confirmation and f.tier == "human-confirmation")
            for f in self.findings
        )

    def not_reviewed(self) -> list[str]:
        """One line per thing the review could not read: code in an archive or on S3, a build
        output that does not exist yet, a symlink out of the folder, an unreadable file."""
        units = [
            f"{fn.name}: {fn.source.detail}"
            for fn in self.project.functions
            if fn.source.status in ("archive", "remote", "unresolved") and fn.source.detail
        ]
        units += [
            f"{w.display_name}: {w.source.detail}"
            for w in self.project.workers
            if w.env is None and w.source.status == "unresolved" and w.source.detail not in ("", "no main")
        ]
        return units + sorted(set(self.skipped))

    def in_diff(self, finding: Finding) -> bool:
        """True when a finding is on a line the diff added or changed (always, outside diff mode)."""
        if self.changed_lines is None:
            return True
        if finding.path not in self.changed_lines:
            return False
        lines = self.changed_lines[finding.path]
        return lines is None or finding.line in lines


def review(
    paths: Iterable[Path], settings: Settings, rules: list[type[Rule]], cwd: Path, inputs: Inputs | None = None
) -> Review:
    """Review ``paths``. Every question asked of the disk goes through ``inputs`` (a fresh one by
    default), so that the caller can tell afterwards what the review depended on."""
    return _Run(settings, rules, cwd, inputs).run(list(paths))


def narrow(
    result: Review,
    *,
    changed_lines: dict[str, set[int] | None] | None = None,
    baseline: set[str] | None = None,
    confirmations: dict[str, Confirmation] | None = None,
) -> Review:
    """Apply a diff, a baseline and confirmations to a review. Nothing is dropped: findings
    outside the diff or in the baseline move to their own lists, which the reports count."""
    kept: list[Finding] = []
    for finding in result.findings:
        if baseline is not None and finding.fingerprint in baseline:
            result.baselined.append(finding)
            continue
        if changed_lines is not None and not _in_changes(finding, changed_lines):
            result.outside_diff.append(finding)
            continue
        confirmation = (confirmations or {}).get(finding.fingerprint)
        if confirmation is not None and finding.tier == "human-confirmation":
            finding = replace(finding, confirmation=confirmation)
        kept.append(finding)
    result.findings = kept
    result.changed_lines = changed_lines
    return result


def _in_changes(finding: Finding, changed: dict[str, set[int] | None]) -> bool:
    if finding.path not in changed:
        return False
    lines = changed[finding.path]
    # A changed file's parse problems always count: the edit may break a line it did not touch.
    return lines is None or finding.line in lines or finding.category == "parse"


IMPORT_DEPTH = 6  # rounds of following local imports from the handlers


class _Run:
    def __init__(self, settings: Settings, rules: list[type[Rule]], cwd: Path, inputs: Inputs | None = None) -> None:
        self.settings = settings
        self.inputs = inputs or Inputs(record=False)
        self.all_rules = rules
        self.rules = settings.selected(rules)
        self.cwd = cwd
        self.project = Project()
        self.texts: dict[str, str] = {}
        self.facts: dict[str, FileFacts] = {}
        self.imports: dict[str, dict[str, str]] = {}  # source path -> {module as written: local file}
        self.cache_hits = 0
        self.discovery = Discovery()
        self._code_folders: dict[str, set[str]] | None = None
        self.workers: Any = None
        self._allowed_roots: list[str] | None = None
        self.secret_literals: dict[str, list[Any]] = {}  # path -> SecretLiteral (analysis.secret_scan)
        self.known_secrets: set[str] = set()  # values masked wherever they would be shown
        self._redacted: dict[str, str] = {}  # text -> redacted, for findings (known_secrets is settled by then)
        self._lines: dict[str, list[str]] = {}  # path -> its lines, for snippets
        self._python_roots: set[str] | None = None  # the functions' code roots (CodeUri)
        self._outlines: dict[str, Any] = {}  # Markdown path -> loaders.markdown.Outline (None: unreadable)
        # Analysis: each source file's summary (slsreview.results), its facts once loaded
        self.summaries: dict[str, Summary] = {}
        self._facts_cache: Any = None  # analysis.runner.FactsCache, for facts loaded on demand
        # The model's identity (a digest of what it was built from; "" when it is not cached)
        # and the rule results kept under it
        self.model_id = ""
        self.results: Results | None = None

    # -- files ------------------------------------------------------------------------------
    def abspath(self, path: str) -> str:
        return os.path.join(self.cwd, path)

    def allowed(self, path: str) -> bool:
        """Only files under the current folder or a reviewed path are read: a template's
        `CodeUri: ../../../home/runner` must not make the review read the rest of the machine."""
        if self._allowed_roots is None:
            roots = [str(self.cwd), *(self.abspath(r) for r in self.discovery.roots)]
            self._allowed_roots = [self.inputs.realpath(r) for r in roots]
        real = self.inputs.realpath(self.abspath(path))
        if any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in self._allowed_roots):
            return True
        note = f"{path}: outside the reviewed folder, not read"
        if note not in self.discovery.skipped:
            self.discovery.skipped.append(note)
        return False

    def exists(self, path: str) -> bool:
        """Whether a file (a folder, for a path ending in ``/``) is there and may be read. Asked
        in that order: most paths asked are import candidates that are not there (``boto3.py``
        beside every handler), and a missing file is neither resolved nor reported as outside."""
        where = self.abspath(path)
        there = self.inputs.is_dir(where) if path.endswith("/") else self.inputs.is_file(where)
        return there and self.allowed(path)

    def read(self, path: str) -> str | None:
        """The text of a file, or None after recording why it could not be read."""
        if path in self.texts:
            return self.texts[path]
        if not self.allowed(path):
            return None
        try:
            size = self.discovery.sizes.get(path)
            if size is None:
                size = self.inputs.size(self.abspath(path))
            if size > self.settings.max_file_size:
                self.problem(
                    path,
                    Problem(
                        "too-large",
                        f"file is {_size(size)}, over the {_size(self.settings.max_file_size)} "
                        "limit (max-file-size); it was not reviewed",
                    ),
                )
                return None
            data = self.discovery.contents.get(path)
            if data is None:
                data = self.inputs.read(self.abspath(path))
            text = decode_text(data)
        except LoadError as exc:
            self.problem(path, exc.problem())
            return None
        except OSError as exc:
            self.problem(path, Problem("unreadable", f"cannot be read: {exc.strerror or exc}"))
            return None
        self.texts[path] = text
        return text

    def has_code(self, folder: str, language: str) -> bool:
        """Whether discovery saw any source file of ``language`` under ``folder``."""
        if self._code_folders is None:
            self._code_folders = {"python": set(), "javascript": set()}
            for path in self.discovery.sources:
                family = "python" if path.endswith(".py") else "javascript"
                parent = posixpath.dirname(path)
                while parent not in self._code_folders[family]:
                    self._code_folders[family].add(parent)
                    if not parent:
                        break
                    parent = posixpath.dirname(parent)
        folder = "" if folder == "." else folder.rstrip("/")
        return folder in self._code_folders["python" if language == "python" else "javascript"]

    def read_quietly(self, path: str) -> str | None:
        """A neighbouring file (package.json, vite.config.ts) read for context, not reviewed."""
        try:
            if self.inputs.size(self.abspath(path)) > self.settings.max_file_size:
                return None
            return utf8_text(self.inputs.read(self.abspath(path)))
        except (OSError, UnicodeDecodeError):
            return None

    def problem(self, path: str, problem: Problem) -> None:
        self.project.problems.setdefault(path, []).append(problem)

    # -- stages -----------------------------------------------------------------------------
    def run(self, paths: list[Path]) -> Review:
        restored = self.restore_model(paths)
        since = self.inputs.mark()
        if not restored:
            self.discovery = discover(paths, cwd=self.cwd, excludes=self.settings.exclude, inputs=self.inputs)
        self.workers = self.start_workers()
        try:
            if not restored:
                self.load_configs()
                self.build_model()
                self.save_model(paths, since)
            if self.model_id:
                found = self._model_store(paths)
                if found is not None:
                    self.results = Results.load(Store(self.cwd / CACHE_DIR, "results", tuple), found[1])
            self.analyze_sources()
            self.scan_secrets()
        finally:
            if self.workers is not None:
                self.workers.close()
        suppressions = self.scan_suppressions()
        self.project.notes.extend(self.discovery.skipped)
        raw = self.run_rules(suppressions)
        findings, suppressed = self.apply_suppressions(raw, suppressions)
        files = sorted(set(self.texts) | set(self.project.problems))
        return Review(
            findings=findings,
            suppressed=suppressed,
            project=self.project,
            files=files,
            skipped=self.discovery.skipped,
            rules=self.rules,
            suppressions=suppressions,
            cache_hits=self.cache_hits,
        )

    def load_configs(self) -> None:
        found = self.discovery
        configs = Store(self.cwd / CACHE_DIR if self.settings.cache else None, "configs", Loaded)
        for kind, paths in (("template", found.templates), ("wrangler", found.wranglers), ("samconfig", found.samconfigs)):
            for path in paths:
                text = self.read(path)
                loaded = _load_cached(configs, kind, path, text) if text is not None else Loaded(None)
                for problem in loaded.problems:
                    self.problem(path, problem)
                self.project.configs.append(ConfigFile(path, kind, loaded.value, loaded.problems))  # type: ignore[arg-type]
        self.load_env_files()

    def load_env_files(self) -> None:
        """Local environment files (.dev.vars, .env, ...) the walk found: read for their values."""
        from slsreview.loaders.dotenv_loader import load_dotenv
        from slsreview.vocabulary.secrets import local_env_file

        for path in self.discovery.env_files:
            kind = local_env_file(posixpath.basename(path))
            text = self.read(path)
            if text is not None and kind is not None:
                self.project.env_files.append(EnvFile(path, kind, load_dotenv(path, text).value))

    def scan_secrets(self) -> None:
        """The one text-level scan: credentials written in every configuration, local environment
        file and source file the review read (documentation is not scanned: its keys are
        examples). Every value found, and every value of a secret-named setting, is masked
        wherever the review would show it: messages, fixes, snippets, fingerprints, tracebacks."""
        from slsreview.analysis.runner import Workers, scan_secrets_cached
        from slsreview.vocabulary.secrets import is_placeholder, secret_name

        docs = set(self.discovery.docs)
        jobs = [(path, text, path in self.project.sources) for path, text in sorted(self.texts.items()) if path not in docs]
        store = Store(self.cwd / CACHE_DIR if self.settings.cache else None, "secrets", list)
        workers = self.workers if isinstance(self.workers, Workers) else None
        for (path, _text, _names), found in zip(jobs, scan_secrets_cached(jobs, store, workers), strict=True):
            if found:
                self.secret_literals[path] = found
                self.known_secrets.update(s.value for s in found)
        named: list[tuple[str, Any]] = []
        for fn in self.project.functions:
            named.extend((name, v.value) for name, v in fn.environment.items())
        for worker in self.project.workers:
            named.extend((name, v.value) for name, v in worker.vars.items())
        for env_file in self.project.env_files:
            named.extend(env_file.entries.items())
        self.known_secrets.update(
            value for name, value in named if isinstance(value, str) and secret_name(name) and not is_placeholder(value)
        )

    def build_model(self) -> None:
        project = self.project
        for config in project.configs:
            if config.kind == "template":
                functions, resources = build_template(config, self.exists, self.has_code)
                project.functions.extend(functions)
                project.resources.extend(resources)
            elif config.kind == "wrangler":
                project.workers.extend(build_workers(config, self.exists, self.read_quietly))
        config_dirs = {c.directory for c in project.configs}
        roots = [
            posixpath.dirname(r) or "." if self.inputs.is_file(self.abspath(r)) else r for r in self.discovery.roots
        ]
        for doc_path in self.discovery.docs:
            doc_dir = posixpath.dirname(doc_path) or "."
            if doc_dir.endswith("/docs") or doc_dir == "docs":
                doc_dir = posixpath.dirname(doc_dir) or "."
            if any(is_within(config_dir, doc_dir) and _under_roots(doc_dir, roots) for config_dir in config_dirs):
                text = self.read(doc_path)
                if text is not None:
                    project.docs.append(self.doc(doc_path, text))
        self.resolve_links()
        units: list[Function | Worker] = [*project.functions, *project.workers]
        for unit in units:
            source = unit.source
            if source.status == "found" and source.path and source.language:
                project.sources.setdefault(
                    source.path, SourceFile(source.path, source.language, f"handler of {_unit_name(unit)}")
                )
        self.load_packages([*config_dirs, *(posixpath.dirname(p) or "." for p in project.sources)])
        self.load_fixtures()
        self.scan_tests(config_dirs)
        # A configuration that could not be read must not make the review blind: read the
        # source files beside it, so their own problems are still reported.
        for config in project.configs:
            if config.value is None and config.kind != "samconfig":
                for source_path in self.discovery.sources:
                    language = language_of(source_path)
                    if language and is_within(posixpath.dirname(source_path) or ".", config.directory):
                        project.sources.setdefault(
                            source_path, SourceFile(source_path, language, f"beside unreadable {config.path}")
                        )

    def doc(self, path: str, text: str) -> Doc:
        from slsreview.loaders.markdown import outline

        name = posixpath.basename(path)
        if name in MAKEFILE_NAMES:
            return Doc(path, text, "makefile")
        kind: Any = "readme" if name.lower().startswith("readme") else "doc"
        if not _markdown(name):
            return Doc(path, text, kind)
        found = outline(path, text)
        self._outlines[path] = found
        doc = Doc(path, text, kind, found.headings, found.prose)
        doc.links = [DocLink(link.target, link.loc, None, None, None) for link in found.links]
        return doc

    def resolve_links(self) -> None:
        """Where each relative link of each Markdown document points, and whether it is there.
        Links to the web are left out: they are not fetched."""
        from slsreview.loaders.markdown import is_relative, outline

        for doc in self.project.docs:
            resolved = []
            for link in doc.links:
                target = link.target
                if not is_relative(target):
                    continue
                path_part, _, anchor = target.partition("#")
                path_part = unquote(path_part.split("?", 1)[0])
                if not path_part:
                    own = self._outlines.get(doc.path)
                    found = own is not None and anchor.lower() in {a.lower() for a in own.anchors}
                    resolved.append(DocLink(target, link.loc, None, anchor, True, found if anchor else None))
                    continue
                base = posixpath.dirname(doc.path)
                path = posixpath.normpath(posixpath.join(base, path_part)) if base else posixpath.normpath(path_part)
                exists = self._exists_quietly(path)
                anchor_exists = None
                if exists and anchor and _markdown(path):
                    other = self._outlines.get(path)
                    if other is None:
                        text = self.read_quietly(path)
                        other = self._outlines[path] = outline(path, text) if text is not None else None
                    if other is not None:
                        anchor_exists = anchor.lower() in {a.lower() for a in other.anchors}
                resolved.append(DocLink(target, link.loc, path, anchor or None, exists, anchor_exists))
            doc.links = resolved

    def _exists_quietly(self, path: str) -> bool | None:
        """Whether a file or folder a document links to exists; None when it is outside the
        reviewed folder (a link is not a reason to look there, nor to note that we did not)."""
        if path.startswith("../") or path == "..":
            if self._allowed_roots is None:
                self.allowed(".")
            real = self.inputs.realpath(self.abspath(path))
            if not any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in self._allowed_roots or []):
                return None
        return self.inputs.exists(self.abspath(path))

    def load_packages(self, folders: Iterable[str]) -> None:
        """The package.json files at or above the given folders (configurations and handlers):
        their module type, dependencies and scripts, for the rules that depend on them."""
        from slsreview.loaders.json_loader import load_json
        from slsreview.loaders.nodes import MapNode

        known = set(self.discovery.packages)
        wanted: set[str] = set()
        for folder in set(folders):
            directory = folder or "."
            while True:
                candidate = "package.json" if directory == "." else f"{directory}/package.json"
                if candidate in known:
                    wanted.add(candidate)
                    break
                if directory in (".", "/", ""):
                    break
                directory = posixpath.dirname(directory) or "."
        for path in sorted(wanted):
            text = self.read_quietly(path)
            if text is None:
                continue
            value = load_json(path, text).value
            if not isinstance(value, MapNode):
                continue
            deps: set[str] = set()
            for key in ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies"):
                table = value.get(key)
                if isinstance(table, MapNode):
                    deps.update(table)
            scripts = value.get("scripts")
            self.project.packages[path] = PackageJson(
                path,
                Located(value["type"], value.loc("type")) if "type" in value else None,
                frozenset(deps),
                {name: Located(cmd, scripts.loc(name)) for name, cmd in scripts.items()} if isinstance(scripts, MapNode) else {},
            )

    def load_fixtures(self) -> None:
        """The JSON event fixtures below each template's folder, with the trigger each imitates.
        Discovery already read them while looking for templates: nothing is read again."""
        from slsreview.model.fixtures import EventFixture, shape_of

        folders = {c.directory for c in self.project.configs if c.kind == "template"}
        for path in self.discovery.fixtures:
            if not any(is_within(posixpath.dirname(path) or ".", folder) for folder in folders):
                continue
            data = self.discovery.contents.get(path)
            if data is None:
                continue  # over the sniffing size: not an event someone wrote by hand
            try:
                value = json.loads(data)
            except ValueError:
                value = None
            self.project.fixtures.append(EventFixture(path, shape_of(value)))

    def scan_tests(self, config_dirs: set[str]) -> None:
        """Test files below a configuration's folder: the modules they import, read with a line
        scan (not parsed, not reviewed)."""
        from slsreview.loaders.imports import is_test_file, scan

        for path in self.discovery.sources:
            if not is_test_file(path):
                continue
            if not any(is_within(posixpath.dirname(path) or ".", folder) for folder in config_dirs):
                continue
            text = self.read_quietly(path)
            if text is not None:
                self.project.tests.append(scan(path, text))

    # -- the model, cached -----------------------------------------------------------------
    # Discovery, configuration and the model depend only on what they asked the disk (recorded
    # in ``inputs``), a few settings and the code. A review whose handler code changed but
    # nothing else takes them from the cache: the probes of the stage are asked again, and
    # when every answer is the same the stored state is used (a third of the cost of building
    # it). The whole-review cache (``slsreview.cache``) sits above this one.
    def _model_store(self, paths: list[Path]) -> tuple[Store, str] | None:
        if not (self.settings.cache and self.inputs.record):
            return None
        basis = (
            MODEL_STAGE,
            os.path.dirname(os.path.abspath(__file__)),  # two installations sharing a cache keep apart
            sys.path,
            str(self.cwd),
            [os.path.abspath(p) for p in paths],
            self.settings.exclude,
            self.settings.max_file_size,
        )
        key = hashlib.blake2b(repr(basis).encode("utf-8", "backslashreplace"), digest_size=20).hexdigest()
        return Store(self.cwd / CACHE_DIR, "models", tuple), key

    def restore_model(self, paths: list[Path]) -> bool:
        from slsreview.inputs import answers, still_valid

        found = self._model_store(paths)
        entry = found[0].get(found[1]) if found else None
        try:
            probes, listings, code, (discovery, project, texts) = entry  # type: ignore[misc]
        except (TypeError, ValueError):
            return False
        if not (isinstance(discovery, Discovery) and isinstance(project, Project) and isinstance(texts, dict)):
            return False
        if not still_valid(list(probes) + list(code))[0]:
            return False
        self.inputs.adopt(list(probes), listings)
        self.discovery, self.project, self.texts = discovery, project, texts
        self.model_id = digest((found[1], answers(list(probes)), answers(list(code))))  # type: ignore[index]
        return True

    def save_model(self, paths: list[Path], since: int) -> None:
        from slsreview.cache import code_probes
        from slsreview.inputs import answers

        found = self._model_store(paths)
        if found is None or self.inputs.unstable:
            return
        discovery = replace(self.discovery, contents={})  # the texts read are kept, not the bytes
        for fn in self.project.functions:  # kept with the model: the permissions rules ask for all
            with contextlib.suppress(Exception):  # a rule that asks meets the error itself
                self.project.grants_for(fn)
        state = (discovery, self.project, dict(self.texts))
        code = code_probes((), str(self.cwd / CACHE_DIR))
        probes = self.inputs.probes(since)
        found[0].put(found[1], (probes, self.inputs.listings(since), code, state))
        self.model_id = digest((found[1], answers(probes), answers(code)))

    def start_workers(self) -> Any:
        """Analysis workers, started now when this review will analyse enough source to need
        them: nothing cached yet and more than the pool threshold of code discovered. They
        import the analysers while this process loads configuration. (Sizes are read with a
        plain stat, not through ``inputs``: they decide how the work is done, never its result.)"""
        from slsreview.analysis.runner import POOL_THRESHOLD_BYTES, Workers

        facts_dir = self.cwd / CACHE_DIR / "facts"
        if self.settings.jobs < 2 or (self.settings.cache and os.path.isdir(facts_dir)):
            return None
        size = 0
        languages = set()
        for path in self.discovery.sources:
            try:
                size += os.stat(self.abspath(path)).st_size
            except OSError:
                continue
            languages.add("python" if path.endswith(".py") else "javascript")
            if size >= POOL_THRESHOLD_BYTES and len(languages) == 2:
                break
        return Workers(self.settings.jobs, languages) if size >= POOL_THRESHOLD_BYTES else None

    def analyze_sources(self) -> None:
        """Facts of every handler, then of the local modules they import, then of theirs (a
        lib/ helper's own helpers): bounded, since a project's import depth is small and cycles
        are common. A file whose summary the last review kept (same content, same analyser) is
        not even unpickled here: its facts are loaded when a rule asks for them."""
        from slsreview.analysis import local_import_candidates
        from slsreview.analysis.runner import FactsCache, analyze_many, cache_key

        cache = self._facts_cache = FactsCache(self.cwd / CACHE_DIR if self.settings.cache else None)
        known = self.results.index if self.results is not None else {}
        pending = sorted(self.project.sources)
        keys: dict[str, str] = {}
        for _round in range(IMPORT_DEPTH):
            jobs = []
            for path in pending:
                text = self.read(path)
                if text is None:
                    continue
                language = self.project.sources[path].language
                key = keys[path] = cache_key(path, text, language)
                summary = known.get(path)
                if summary is not None and summary.key == key:
                    self.summaries[path] = summary
                else:
                    jobs.append((path, text, language))
            self.summarise(analyze_many(jobs, self.settings.jobs, cache, self.workers, keys), keys)
            imported: list[str] = []
            for path in pending:
                summary = self.summaries.get(path)
                if summary is None:
                    continue
                resolved: dict[str, str] = {}
                for module in summary.modules:
                    for candidate in self._import_candidates(path, module, summary.language, local_import_candidates):
                        if self.exists(candidate):
                            resolved[module] = candidate
                            if candidate not in self.project.sources:
                                language = language_of(candidate) or summary.language
                                self.project.sources[candidate] = SourceFile(candidate, language, f"imported by {path}")
                                imported.append(candidate)
                            break
                self.imports[path] = resolved
            pending = sorted(set(imported))
            if not pending:
                break
        units: list[Function | Worker] = [*self.project.functions, *self.project.workers]
        for unit in units:
            inline = unit.source.inline_code
            if unit.source.status == "inline" and inline is not None and unit.source.language:
                # Line numbers match the template: a block scalar's code starts on the line below
                # its `|`, a quoted one on its own line. Columns are the code's own.
                template_lines = (self.texts.get(inline.loc.path) or "").splitlines()
                line = template_lines[inline.loc.line - 1] if inline.loc.line <= len(template_lines) else ""
                block = line[inline.loc.column - 1 : inline.loc.column].startswith(("|", ">"))
                text = "\n" * (inline.loc.line if block else inline.loc.line - 1) + inline.value
                key = f"{unit.source.path}#{_unit_name(unit)}"
                facts = analyze_many([(key, text, unit.source.language)], 1, cache, self.workers)[key]
                keys[key] = cache_key(key, text, unit.source.language)
                self.summarise({key: _with_path(facts, unit.source.path or key)}, keys)
        self.cache_hits = cache.hits
        for _path, summary in sorted(self.summaries.items()):
            for problem in summary.syntax:
                loc = problem.loc
                kind = "syntax" if problem.fatal else "recovered"
                self.problem(loc.path, Problem(kind, problem.message, (loc.line, loc.column, loc.end_line or loc.line, loc.end_column or loc.column)))

    def summarise(self, analysed: dict[str, FileFacts], keys: dict[str, str]) -> None:
        """Keep freshly analysed facts, with their summaries (``keys``: their cache keys)."""
        for path, facts in analysed.items():
            self.facts[path] = facts
            self.summaries[path] = Summary(
                keys[path],
                facts.language,
                tuple(imp.module for imp in facts.imports),
                tuple(facts.syntax),
            )

    def file_facts(self, path: str) -> FileFacts | None:
        """The facts of a source file the review analysed, loaded from the cache when needed."""
        facts = self.facts.get(path)
        if facts is None and path in self.summaries:
            summary = self.summaries[path]
            facts = self._facts_cache.get(summary.key) if self._facts_cache is not None else None
            text = self.texts.get(path)
            if facts is None and text is not None:  # the entry went missing since: analyse again
                from slsreview.analysis.runner import analyze_many

                language = self.project.sources[path].language
                facts = analyze_many([(path, text, language)], 1, self._facts_cache)[path]
            if facts is not None:
                self.facts[path] = facts
        return facts

    def _import_candidates(self, importer: str, module: str, language: Any, candidates: Callable[..., list[str]]) -> list[str]:
        out = list(candidates(importer, module, language))
        if language == "python" and not module.startswith("."):
            # Lambda puts the code root (CodeUri) on sys.path: `from lib import db` may live
            # there, whether the handler or one of its modules imports it.
            folder = posixpath.dirname(importer) or "."
            if self._python_roots is None:
                self._python_roots = {r for fn in self.project.functions if fn.source.path and (r := _code_root(fn))}
            # the code roots the importer is under: its folder's ancestors (a walk up, not a
            # scan of every function's root for every import)
            ancestors, directory = {"."}, folder
            while directory not in ("", "."):
                ancestors.add(directory)
                parent = posixpath.dirname(directory)
                if parent == directory:  # "/"
                    break
                directory = parent
            for root in sorted(ancestors & self._python_roots):
                out.extend(candidates(posixpath.join(root, "__root__.py"), module, language))
        return list(dict.fromkeys(out))

    def unit_files(self, unit: Function | Worker) -> tuple[list[str], dict[tuple[str, str], str], str | None] | None:
        """The analysed files of a function or Worker's code (the entry file, then every local
        module it reaches through imports, nearest first), how its imports resolved, and its
        entry symbol; None when it has no analysed source."""
        source = unit.source
        if source.status == "inline":
            key = f"{source.path}#{_unit_name(unit)}"
            return ([key], {}, source.symbol) if key in self.summaries else None
        if source.status != "found" or source.path is None or source.path not in self.summaries:
            return None
        order = [source.path]
        modules: dict[tuple[str, str], str] = {}
        for path in order:
            imported = self.imports.get(path, {})
            for module, target in imported.items():
                modules[(path, module)] = target
            for target in sorted(set(imported.values())):
                if target not in order and target in self.summaries:
                    order.append(target)
        symbol = source.symbol
        if unit.platform == "cloudflare-workers" and self.summaries[source.path].language == "python":
            symbol = "default"
        return order, modules, symbol

    def unit_key(self, unit: Function | Worker) -> str | None:
        """The digest of a unit's facts: the content keys of its files, how its imports
        resolved, its entry symbol. None when it has no analysed source."""
        found = self.unit_files(unit)
        if found is None:
            return None
        order, modules, symbol = found
        return digest(([(p, self.summaries[p].key) for p in order], sorted(modules.items()), symbol))

    def facts_for(self, unit: Function | Worker) -> Facts | None:
        found = self.unit_files(unit)
        if found is None:
            return None
        # Each file has a summary, so its facts can be had (from the cache, or by analysing the
        # text read this review again): they are loaded when a question needs them.
        order, modules, symbol = found

        def files() -> list[FileFacts]:
            return [f for f in map(self.file_facts, order) if f is not None]

        kept = self.results.kept if self.results is not None else None
        if unit.source.status == "inline":
            return Facts(files, entry=symbol, key=self.unit_key(unit), kept=kept, paths=[unit.source.path or order[0]])
        return Facts(files, entry=symbol, modules=modules, key=self.unit_key(unit), kept=kept, paths=order)

    def scan_suppressions(self) -> list[Suppression]:
        known = {r.id for r in self.all_rules}
        today = self.settings.today
        out: list[Suppression] = []
        for path, text in sorted(self.texts.items()):
            if path.endswith((".md", ".rst", ".txt")) or path.rsplit("/", 1)[-1].lower().startswith("readme"):
                continue
            out.extend(scan_inline(path, text, known, today))
        for resource in self.project.resources:
            out.extend(scan_metadata(resource.template, resource.logical_id, resource.metadata, known, today))
        return out

    def run_rules(self, suppressions: list[Suppression]) -> list[Finding]:
        """Every selected rule on the project and on each function and Worker it applies to.
        With the cache, a call whose answers have not changed since the last review is replayed
        (``slsreview.results``) instead of run."""
        facts_cache: dict[int, Facts | None] = {}
        asked: set[tuple[Any, ...]] = set()  # what the running call asked of the engine
        refs = {id(u): ("function", i) for i, u in enumerate(self.project.functions)}
        refs.update({id(u): ("worker", i) for i, u in enumerate(self.project.workers)})

        def facts(unit: Function | Worker) -> Facts | None:
            asked.add(("unit", *refs[id(unit)]))
            if id(unit) not in facts_cache:
                facts_cache[id(unit)] = self.facts_for(unit)
            return facts_cache[id(unit)]

        ctx = Context(self.project, self.settings.today, facts, suppressions, self.secret_literals)
        results = self.results
        if results is not None:
            results.rebase(self.basis(suppressions))
        answers: dict[tuple[Any, ...], str] = {}

        def current(question: tuple[Any, ...]) -> str:
            if question not in answers:
                answers[question] = self.answer(question, suppressions)
            return answers[question]

        findings: list[Finding] = []
        for rule_class in self.rules:
            rule = rule_class()
            calls: list[tuple[tuple[Any, ...], Function | Worker | None, Callable[[], Iterator[Report]]]] = []
            calls.append((("project",), None, lambda rule=rule: rule.check(ctx)))  # type: ignore[misc]
            if "aws-lambda" in rule.platforms:
                calls.extend((refs[id(fn)], fn, lambda fn=fn, rule=rule: rule.check_function(fn, ctx)) for fn in self.project.functions)  # type: ignore[misc]
            if "cloudflare-workers" in rule.platforms:
                calls.extend((refs[id(w)], w, lambda w=w, rule=rule: rule.check_worker(w, ctx)) for w in self.project.workers)  # type: ignore[misc]
            for ref, subject, call in calls:
                if results is not None:
                    replayed = results.replay((rule_class.id, ref), current)
                    if replayed is not None:
                        findings.extend(replayed)
                        continue
                asked.clear()
                ctx.used.clear()
                start = len(findings)
                try:
                    for report in call():
                        findings.append(self.to_finding(rule_class, report, subject))
                except Exception as exc:
                    if os.environ.get("SLSREVIEW_DEBUG"):
                        sys.stderr.write(redact(traceback.format_exc(), self.known_secrets))
                    findings.append(self.crash_finding(rule_class, subject, exc))
                    continue  # a crash is not kept: the next review tries again
                if results is not None:
                    asked.update((name,) for name in ctx.used)
                    results.keep((rule_class.id, ref), asked, findings[start:], current)
        if results is not None:
            units: list[Function | Worker] = [*self.project.functions, *self.project.workers]
            results.save(self.summaries, {k for k in map(self.unit_key, units) if k is not None})
        return self.fingerprint(findings)

    def basis(self, suppressions: list[Suppression]) -> str:
        """Everything a rule's findings depend on besides the facts, the secret literals and the
        suppressions it asks for: the model (and what the analysis added to it: imported
        modules, syntax problems, notes), the date, the tiers, the secrets masked in messages,
        and the code that reviews (slsreview, the rule packs, the modules of the rules given)."""
        from slsreview.cache import code_probes
        from slsreview.inputs import answers
        from slsreview.registry import pack_locations

        packs = set(pack_locations())
        for rule in self.all_rules:
            module = sys.modules.get(rule.__module__)
            where = getattr(module, "__file__", None) or ""
            if not any(is_within(where, pack) for pack in packs):
                packs.add(where)
        code = code_probes(tuple(sorted(packs)), str(self.cwd / CACHE_DIR))
        project = self.project
        return digest(
            (
                self.model_id,
                answers(code),
                sorted((s.path, s.language, s.reason) for s in project.sources.values()),
                sorted(project.problems.items()),
                project.notes,
                self.settings.today,
                sorted(self.settings.tiers.items()),
                sorted(hashlib.sha256(s.encode("utf-8", "surrogatepass")).hexdigest() for s in self.known_secrets),
            )
        )

    def answer(self, question: tuple[Any, ...], suppressions: list[Suppression]) -> str:
        """The digest of what a rule asked: a unit's facts (the content keys of its files, how
        its imports resolved, its entry), the secret literals, or the suppressions."""
        if question[0] == "unit":
            units: list[Any] = self.project.functions if question[1] == "function" else self.project.workers
            return self.unit_key(units[question[2]]) or ""
        if question[0] == "secret_literals":
            return digest(sorted((p, [(s, hashlib.sha256(s.value.encode("utf-8", "surrogatepass")).hexdigest()) for s in found]) for p, found in self.secret_literals.items()))
        if question[0] == "suppressions":
            return digest(suppressions)
        raise ValueError(f"unknown question {question!r}")

    # -- findings ---------------------------------------------------------------------------
    def to_finding(self, rule: type[Rule], report: Report, subject: Function | Worker | None) -> Finding:
        subject = report.subject or subject or (report.at if isinstance(report.at, (Function, Worker)) else None)
        loc = locate(report.at)
        tier = self.settings.tiers.get(rule.id) or report.tier or rule.tier
        resource = None
        if isinstance(subject, Function):
            resource = (subject.template, subject.name)
        else:
            resource = self.resource_at(loc)
        return Finding(
            rule=rule.id,
            name=rule.name,
            category=rule.category,
            tier=tier,
            message=self.redacted(report.message),
            path=loc.path,
            line=loc.line,
            column=loc.column,
            end_line=loc.end_line or loc.line,
            end_column=loc.end_column or loc.column,
            function=_unit_name(subject) if subject is not None else None,
            platform=subject.platform if subject is not None else None,
            fix=self.redacted(report.fix or rule.fix),
            docs=rule.docs[0],
            resource=resource,
        )

    def crash_finding(self, rule: type[Rule], subject: Function | Worker | None, exc: Exception) -> Finding:
        loc = subject.loc if subject is not None else Location.file_start(self.project.configs[0].path if self.project.configs else ".")
        where = f" on {_unit_name(subject)}" if subject is not None else ""
        return Finding(
            rule=rule.id,
            name=rule.name,
            category=rule.category,
            tier="non-blocking",
            message=redact(
                f"{rule.id} could not check {loc.path}{where}: {type(exc).__name__}: {exc}. "
                "The rest of the review ran; please report this.",
                self.known_secrets,
            ),
            path=loc.path,
            line=loc.line,
            column=loc.column,
            end_line=loc.end_line or loc.line,
            end_column=loc.end_column or loc.column,
            function=_unit_name(subject) if subject is not None else None,
            platform=subject.platform if subject is not None else None,
            fix="Report the crash with the file that triggered it; run with --debug for the traceback.",
            docs=rule.docs[0],
        )

    def resource_at(self, loc: Location) -> tuple[str, str] | None:
        """The template resource whose definition contains a location, if any."""
        for resource in self.project.resources:
            if resource.template == loc.path:
                start, _, end, _ = resource.node.span
                if resource.loc.line <= loc.line <= max(end, start):
                    return (resource.template, resource.logical_id)
        return None

    def fingerprint(self, findings: list[Finding]) -> list[Finding]:
        """Stable across runs and unrelated edits: rule, path, function, and the normalised
        text of the line (not its number), with an occurrence count for identical lines."""
        out = []
        seen: dict[str, int] = {}
        for finding in sorted(findings, key=Finding.sort_key):
            snippet = self.snippet(finding.path, finding.line)
            basis = "\0".join((finding.rule, finding.path, finding.function or "", snippet))
            seen[basis] = seen.get(basis, 0) + 1
            digest = hashlib.sha256(f"{basis}\0{seen[basis]}".encode("utf-8", "surrogatepass")).hexdigest()[:20]
            out.append(replace(finding, fingerprint=digest, snippet=snippet))
        return out

    def snippet(self, path: str, line: int) -> str:
        """The line a finding is on, normalised, with every secret on it masked: the snippet
        and the fingerprint made from it must not carry a credential either."""
        lines = self._lines.get(path)
        if lines is None:
            text = self.texts.get(path)
            if text is None:
                return ""
            lines = self._lines[path] = text.splitlines()
        if not 1 <= line <= len(lines):
            return ""
        return " ".join(self.redacted(lines[line - 1]).split())[:200]

    def redacted(self, text: str) -> str:
        """``redact`` once per distinct text of the run: most findings of a rule share their fix,
        and findings about one resource share the line they point at."""
        done = self._redacted.get(text)
        if done is None:
            done = self._redacted[text] = redact(text, self.known_secrets)
        return done

    def apply_suppressions(self, findings: list[Finding], suppressions: list[Suppression]) -> tuple[list[Finding], list[Finding]]:
        per_path = []
        if self.settings.per_path_ignores:
            import pathspec

            per_path = [
                (pathspec.GitIgnoreSpec.from_lines([glob]), selectors)
                for glob, selectors in self.settings.per_path_ignores.items()
            ]
        inline: dict[tuple[str, int], list[Suppression]] = {}
        by_resource: dict[tuple[str, str], list[Suppression]] = {}
        for s in suppressions:
            if s.problem is not None:
                continue
            if s.resource is not None:
                by_resource.setdefault(s.resource, []).append(s)
            for line in s.lines:
                inline.setdefault((s.loc.path, line), []).append(s)
        rules = {r.id: r for r in self.all_rules}
        kept: list[Finding] = []
        hidden: list[Finding] = []
        for finding in findings:
            if finding.rule == "SLS004":  # a broken suppression cannot hide itself
                kept.append(finding)
                continue
            candidates = inline.get((finding.path, finding.line), []) + by_resource.get(finding.resource or ("", ""), [])
            suppressed = any(s.covers(finding.rule) for s in candidates)
            if not suppressed:
                rule = rules.get(finding.rule)
                for spec, selectors in per_path:
                    if spec.match_file(finding.path) and rule is not None and any(
                        rule.id.startswith(s) or s in (rule.category, rule.name) for s in selectors
                    ):
                        suppressed = True
            (hidden if suppressed else kept).append(finding)
        return kept, hidden


def locate(at: Any) -> Location:
    """The location of whatever a rule reported on."""
    if isinstance(at, Location):
        return at
    loc = getattr(at, "loc", None)
    if callable(loc):
        loc = loc()
    if isinstance(loc, Location):
        return loc
    raise TypeError(f"cannot tell where {type(at).__name__} is; report a Location, a Located value or a model object")


MODEL_STAGE = 1  # the shape of a cached model entry; bump when it changes
LOADER_CODE = ("loaders", "location.py", "engine.py")  # engine.py: _load_config


@functools.cache
def _loader_fingerprint() -> str:
    return code_fingerprint(os.path.dirname(os.path.abspath(__file__)), LOADER_CODE)


def _load_cached(store: Store, kind: str, path: str, text: str) -> Loaded:
    """A configuration loaded once per content: a review where only handler code changed does
    not parse its templates again (unpickling one is a third of the cost)."""
    if store.directory is None:
        return _load_config(kind, path, text)
    digest = hashlib.blake2b(digest_size=20)
    for part in (_loader_fingerprint(), kind, path, text):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    key = digest.hexdigest()
    loaded: Loaded | None = store.get(key)
    if loaded is None:
        loaded = _load_config(kind, path, text)
        store.put(key, loaded)
    return loaded


def _load_config(kind: str, path: str, text: str) -> Loaded:
    from slsreview.loaders.json_loader import load_json
    from slsreview.loaders.toml_loader import load_toml

    if path.endswith(".toml"):
        loaded = load_toml(path, text)
    elif kind == "wrangler":
        loaded = load_json(path, text, jsonc=True)
    elif path.endswith(".json") or (path.endswith(".template") and text.lstrip().startswith("{")):
        loaded = load_json(path, text, intrinsics=True)
    else:
        from slsreview.loaders.yaml_loader import load_yaml

        loaded = load_yaml(path, text)
    if loaded.value is not None and not isinstance(loaded.value, dict):
        what = "template" if kind == "template" else "configuration"
        return Loaded(None, [*loaded.problems, Problem("syntax", f"the {what} is not a mapping of keys to values")])
    if loaded.value is None and not loaded.problems:
        return Loaded(None, [Problem("syntax", "the file is empty")])
    return loaded


def _markdown(name: str) -> bool:
    lower = name.lower()
    return lower.endswith((".md", ".markdown", ".mdx")) or lower in ("readme", "readme.txt") or "." not in lower


def _with_path(facts: FileFacts, path: str) -> FileFacts:
    """Inline code is analysed under a private key; its locations must name the template."""
    import dataclasses

    def fix(value: Any) -> Any:
        if isinstance(value, Location):
            return replace(value, path=path)
        if isinstance(value, tuple):
            return tuple(fix(v) for v in value)
        if isinstance(value, list):
            return [fix(v) for v in value]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return replace(value, **{f.name: fix(getattr(value, f.name)) for f in dataclasses.fields(value)})
        return value

    return fix(facts)


def _unit_name(unit: Function | Worker) -> str:
    return unit.name if isinstance(unit, Function) else unit.display_name


def _code_root(fn: Function) -> str | None:
    code = fn.properties.get("CodeUri")
    base = posixpath.dirname(fn.template) or "."
    if isinstance(code, str) and not code.startswith("s3://"):
        return posixpath.normpath(posixpath.join(base, code))
    return base


def _under_roots(directory: str, roots: list[str]) -> bool:
    return any(is_within(directory, root) for root in roots)


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MiB"
    if size >= 1024:
        return f"{size / 1024:.0f} KiB"
    return f"{size} bytes"




"""wrangler.toml / wrangler.json / wrangler.jsonc to ``Worker`` views.

A config yields one Worker for its top level and one per ``[env.NAME]``. Each environment view
inherits the inheritable keys from the top level and declares its own bindings and vars: Wrangler
does not inherit those, and a binding present only at the top level is *absent* in production
if production is an environment.

    >>> workers = build_workers(config_file, exists=os.path.exists)
    >>> [w.display_name for w in workers]
    ['orders', 'orders [env.production]']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from slsreview.loaders.nodes import ListNode, MapNode
from slsreview.location import Location
from slsreview.model.handlers import join, resolve_worker_main
from slsreview.model.project import Binding, ConfigFile, Located, Origin, Worker

# Keys an [env.NAME] does not inherit from the top level (bindings, vars and a few more).
NOT_INHERITED = frozenset(
    {
        "define",
        "vars",
        "durable_objects",
        "workflows",
        "kv_namespaces",
        "r2_buckets",
        "d1_databases",
        "vectorize",
        "hyperdrive",
        "services",
        "analytics_engine_datasets",
        "queues",
        "dispatch_namespaces",
        "mtls_certificates",
        "tail_consumers",
        "browser",
        "ai",
        "images",
        "send_email",
        "unsafe",
        "version_metadata",
        "secrets_store_secrets",
        "pipelines",
        "ratelimits",
        "assets",
        "containers",
        "text_blobs",
        "data_blobs",
        "wasm_modules",
        "logfwdr",
    }
)

# Binding tables that are lists of entries: key -> (kind, field holding the name code uses).
LIST_BINDINGS: dict[str, tuple[str, str]] = {
    "kv_namespaces": ("kv", "binding"),
    "d1_databases": ("d1", "binding"),
    "r2_buckets": ("r2", "binding"),
    "services": ("service", "binding"),
    "analytics_engine_datasets": ("analytics-engine", "binding"),
    "vectorize": ("vectorize", "binding"),
    "hyperdrive": ("hyperdrive", "binding"),
    "dispatch_namespaces": ("dispatch-namespace", "binding"),
    "mtls_certificates": ("mtls-certificate", "binding"),
    "send_email": ("send-email", "name"),
    "workflows": ("workflow", "binding"),
    "ratelimits": ("rate-limiter", "name"),
    "secrets_store_secrets": ("secrets-store", "binding"),
    "pipelines": ("pipeline", "binding"),
    "worker_loaders": ("worker-loader", "binding"),
}
# Binding tables that are a single entry.
SINGLE_BINDINGS: dict[str, str] = {
    "ai": "ai",
    "browser": "browser",
    "images": "images",
    "version_metadata": "version-metadata",
    "assets": "assets",
}
UNSAFE_TYPES = {"ratelimit": "rate-limiter"}
# Keys read above, or known not to be binding tables
_KNOWN_TABLES = frozenset(
    {*LIST_BINDINGS, *SINGLE_BINDINGS, "durable_objects", "queues", "unsafe", "text_blobs", "data_blobs", "wasm_modules", "env", "vars", "routes", "route", "triggers", "migrations", "build", "site", "dev", "limits", "observability", "placement", "tail_consumers", "containers", "rules"}
)


def build_workers(
    config: ConfigFile,
    exists: Callable[[str], bool],
    read_text: Callable[[str], str | None] = lambda path: None,
) -> list[Worker]:
    """Worker views of one wrangler config. ``read_text`` reads a neighbouring file (package.json,
    vite.config.*) to learn what supplies an entry the config leaves out."""
    top = config.value
    if not isinstance(top, MapNode):
        return []
    supplied = supplied_elsewhere(config.directory, exists, read_text)
    if "main" not in top:
        tested = tested_by_vitest(config, exists, read_text)
        if tested is not None:  # a test-only configuration: the Workers Vitest pool runs it
            supplied["vitest"] = tested
    workers = [_worker(config, top, None, None, Location.file_start(config.path), exists)]
    envs = top.get("env")
    if isinstance(envs, MapNode):
        for env_name, env in envs.items():
            if isinstance(env, MapNode):
                workers.append(_worker(config, top, env_name, env, envs.key_loc(env_name), exists))
    for worker in workers:
        worker.supplied_elsewhere = supplied
    return workers


_DEPLOY_ENTRY = re.compile(r"wrangler\s+(?:deploy|publish|dev|versions\s+upload)\s+(?:--?[\w-]+(?:[= ]\S+)?\s+)*([\w./-]+\.(?:[cm]?[jt]s|py))")
_COMPAT_FLAG = re.compile(r"--compatibility-date[= ](\d{4}-\d{2}-\d{2})")
_VITE_CONFIGS = ("vite.config.ts", "vite.config.js", "vite.config.mts", "vite.config.mjs")
_VITEST_CONFIGS = tuple(f"vitest.config.{ext}" for ext in ("ts", "mts", "cts", "js", "mjs", "cjs"))
_VITEST_PACKAGES = re.compile(r"@cloudflare/vitest-(?:pool-workers|plugin)\b")  # the older name, the newer
_PAGES_COMMAND = re.compile(r"\bwrangler\s+pages\s+(?:dev|deploy|publish)\b")


def tested_by_vitest(
    config: ConfigFile, exists: Callable[[str], bool], read_text: Callable[[str], str | None]
) -> Located[str] | None:
    """The Vitest configuration beside a wrangler config that runs it in the Workers Vitest pool
    (``@cloudflare/vitest-pool-workers`` or ``@cloudflare/vitest-plugin``, with ``configPath:
    "./wrangler.jsonc"``), if any: that pool runs the tests without a ``main`` and, without a
    date, with the newest compatibility date.
    https://developers.cloudflare.com/workers/testing/vitest-integration/configuration/"""
    name = config.path.rsplit("/", 1)[-1]
    for path, text in _beside(config.directory, _VITEST_CONFIGS, exists, read_text):
        if _VITEST_PACKAGES.search(text) and re.search(r"configPath\s*:\s*[\"'`](?:\./)?" + re.escape(name) + r"[\"'`]", text):
            return Located("the Workers Vitest pool", Location.file_start(path))
    return None


def supplied_elsewhere(
    directory: str, exists: Callable[[str], bool], read_text: Callable[[str], str | None]
) -> dict[str, Located[str]]:
    """``main`` and ``compatibility_date`` given on a package.json script's wrangler command
    line, or an entry supplied by the Cloudflare Vite plugin; ``pages`` when a script runs
    ``wrangler pages dev|deploy`` (Pages builds the Worker from ``functions/`` or ``_worker.js``)."""
    from slsreview.loaders.json_loader import load_json

    out: dict[str, Located[str]] = {}
    package = join(directory, "package.json")
    text = read_text(package) if exists(package) else None
    if text:
        loaded = load_json(package, text)
        scripts = loaded.value.get("scripts") if isinstance(loaded.value, MapNode) else None
        if isinstance(scripts, MapNode):
            for name, command in scripts.items():
                if not isinstance(command, str):
                    continue
                entry = _DEPLOY_ENTRY.search(command)
                if entry and "main" not in out:
                    out["main"] = Located(entry.group(1), scripts.loc(name))
                if _PAGES_COMMAND.search(command) and "pages" not in out:  # Pages builds its own Worker
                    out["pages"] = Located(command, scripts.loc(name))
                date = _COMPAT_FLAG.search(command)
                if date and "compatibility_date" not in out:
                    out["compatibility_date"] = Located(date.group(1), scripts.loc(name))
    for path, vite in _beside(directory, _VITE_CONFIGS, exists, read_text):
        if "@cloudflare/vite-plugin" in vite:
            out.setdefault("main", Located("the Cloudflare Vite plugin", Location.file_start(path)))
    return out


def _beside(
    directory: str, names: tuple[str, ...], exists: Callable[[str], bool], read_text: Callable[[str], str | None]
) -> Iterator[tuple[str, str]]:
    """(path, text) of each of ``names`` that is in ``directory`` and not empty."""
    for name in names:
        path = join(directory, name)
        text = read_text(path) if exists(path) else None
        if text:
            yield path, text


def _worker(
    config: ConfigFile,
    top: MapNode,
    env_name: str | None,
    env: MapNode | None,
    loc: Location,
    exists: Callable[[str], bool],
) -> Worker:
    if env is None:
        settings = MapNode(top.path, top.span)
        for key, value in top.items():
            if key != "env":
                settings.set(key, value, top.key_span(key), top.value_span(key))
        origins: dict[str, Origin] = dict.fromkeys(settings, "explicit")
    else:
        settings = MapNode(env.path, env.span)
        origins = {}
        for key, value in env.items():
            settings.set(key, value, env.key_span(key), env.value_span(key))
            origins[key] = "explicit"
        for key, value in top.items():
            if key == "env" or key in settings or key in NOT_INHERITED:
                continue
            settings.set(key, value, top.key_span(key), top.value_span(key))
            origins[key] = "global"

    def located(key: str) -> Located[Any] | None:
        if key not in settings:
            return None
        return Located(settings[key], settings.loc(key), origins.get(key, "explicit"))

    main = located("main")
    flags = settings.get("compatibility_flags")
    return Worker(
        name=located("name"),
        env=env_name,
        config=config,
        settings=settings,
        origins=origins,
        main=main,
        compatibility_date=located("compatibility_date"),
        compatibility_flags=[Located(f, flags.loc(i)) for i, f in enumerate(flags)] if isinstance(flags, ListNode) else [],
        bindings=bindings_of(settings),
        vars=_vars(settings),
        source=resolve_worker_main(config.path, main, exists),
        loc=loc,
    )


def bindings_of(settings: MapNode) -> list[Binding]:
    """Every binding a (view of a) wrangler config declares, wherever it is declared."""
    out: list[Binding] = []
    for key, (kind, name_field) in LIST_BINDINGS.items():
        entries = settings.get(key)
        if isinstance(entries, ListNode):
            for index, entry in enumerate(entries):
                if isinstance(entry, MapNode):
                    out.append(_binding(kind, entry, name_field, entries.loc(index)))
    for key, kind in SINGLE_BINDINGS.items():
        entry = settings.get(key)
        if isinstance(entry, MapNode) and "binding" in entry:
            out.append(_binding(kind, entry, "binding", settings.loc(key)))
    durable = settings.get("durable_objects")
    if isinstance(durable, MapNode) and isinstance(durable.get("bindings"), ListNode):
        entries = durable["bindings"]
        for index, entry in enumerate(entries):
            if isinstance(entry, MapNode):
                out.append(_binding("durable-object", entry, "name", entries.loc(index)))
    queues = settings.get("queues")
    if isinstance(queues, MapNode):
        for key, kind, name_field in (("producers", "queue-producer", "binding"), ("consumers", "queue-consumer", "queue")):
            entries = queues.get(key)
            if isinstance(entries, ListNode):
                for index, entry in enumerate(entries):
                    if isinstance(entry, MapNode):
                        out.append(_binding(kind, entry, name_field, entries.loc(index)))
    unsafe = settings.get("unsafe")
    if isinstance(unsafe, MapNode) and isinstance(unsafe.get("bindings"), ListNode):
        entries = unsafe["bindings"]
        for index, entry in enumerate(entries):
            if isinstance(entry, MapNode):
                kind = UNSAFE_TYPES.get(str(entry.get("type")), f"unsafe-{entry.get('type')}")
                out.append(_binding(kind, entry, "name", entries.loc(index)))
    # a binding table this model does not know yet (Cloudflare adds them: unsafe_hello_world,
    # vpc_services, ...): every entry with a "binding" name is a binding of unknown kind
    for key, value in settings.items():
        if key in _KNOWN_TABLES:
            continue
        entries = value if isinstance(value, ListNode) else [value] if isinstance(value, MapNode) else []
        for index, entry in enumerate(entries):
            if isinstance(entry, MapNode) and isinstance(entry.get("binding"), str):
                loc = value.loc(index) if isinstance(value, ListNode) else settings.loc(key)
                out.append(_binding(f"unknown-{key}", entry, "binding", loc))
    for key, kind in (("text_blobs", "text-blob"), ("data_blobs", "data-blob"), ("wasm_modules", "wasm-module")):
        table = settings.get(key)
        if isinstance(table, MapNode):
            for name in table:
                out.append(Binding(kind, name, MapNode(table.path, table.value_span(name)), table.key_loc(name)))
    return out


def _binding(kind: str, entry: MapNode, name_field: str, loc: Location) -> Binding:
    name = entry.get(name_field)
    return Binding(kind, name if isinstance(name, str) else "", entry, loc)


def _vars(settings: MapNode) -> dict[str, Located[Any]]:
    table = settings.get("vars")
    if not isinstance(table, MapNode):
        return {}
    return {name: Located(value, table.loc(name)) for name, value in table.items()}

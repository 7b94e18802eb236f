"""From configuration to the source file that will run: Lambda ``Handler`` and wrangler ``main``.

    Python  Handler: pkg/mod.fn   ->  <CodeUri>/pkg/mod.py, entry ``fn``
    Node    Handler: dir/file.fn  ->  <CodeUri>/dir/file.{mjs,js,cjs,ts}, entry ``fn``
            esbuild               ->  Metadata.BuildProperties.EntryPoints[0]
    Inline  InlineCode / Code.ZipFile
    Worker  main = "src/index.ts"  (relative to the wrangler config)

Paths are display paths (POSIX, relative to where the review runs); ``exists`` is given by the
caller so that this module never touches the disk itself.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from typing import Any, Literal

from slsreview.languages import Language, language_of
from slsreview.loaders.nodes import ListNode, MapNode
from slsreview.model.project import HandlerSource, Located, Resource

NODE_EXTENSIONS = (".mjs", ".js", ".cjs", ".ts")  # the order Lambda's Node runtime tries


def join(directory: str, *parts: str) -> str:
    joined = posixpath.normpath(posixpath.join(directory, *parts))
    return joined


def resolve_lambda_handler(
    resource: Resource,
    props: MapNode,
    runtime: Located[Any] | None,
    handler: Located[Any] | None,
    template_path: str,
    exists: Callable[[str], bool],
    has_code: Callable[[str, str], bool] | None = None,
) -> HandlerSource:
    if props.get("PackageType") == "Image" or "ImageUri" in props:
        return HandlerSource("remote", detail="container image")
    runtime_value = runtime.value if runtime else None
    family = _family(runtime_value)
    if family == "other":
        return HandlerSource("unresolved", detail=f"runtime {runtime_value} is not analysed")
    handler_value = handler.value if handler else None
    module, symbol = _split_handler(handler_value)
    languages: list[Language] = (
        ["python"] if family == "python" else ["javascript"] if family == "node" else ["python", "javascript"]
    )

    inline = props.get("InlineCode")
    code = props.get("Code")
    if inline is None and isinstance(code, MapNode):
        inline = code.get("ZipFile")
        if inline is not None:
            inline_loc = code.loc("ZipFile")
    else:
        inline_loc = props.loc("InlineCode")
    if isinstance(inline, str):
        language: Language = "python" if family == "python" else "javascript"
        return HandlerSource(
            "inline",
            template_path,
            symbol,
            language,
            detail="inline code",
            inline_code=Located(inline, inline_loc),
        )

    base = _code_location(props)
    template_dir = posixpath.dirname(template_path) or "."
    if base is None:
        code_dir = template_dir
    elif isinstance(base, str):
        if base.startswith(("s3://", "https://")):
            return HandlerSource("remote", detail=f"code at {base}")
        if _absolute(base):
            return HandlerSource("unresolved", detail=f"CodeUri {base} is an absolute path; {_NOT_FOLLOWED}")
        code_dir = join(template_dir, base)
    else:
        return HandlerSource("remote" if isinstance(base, MapNode) else "unresolved", detail="code location is not a local path")

    archive = None
    if code_dir.lower().endswith((".zip", ".jar")):
        archive, code_dir = code_dir, posixpath.dirname(code_dir) or "."

    if module is None or symbol is None:
        return HandlerSource("unresolved", detail="no Handler" if handler_value is None else "Handler is not a plain string")
    if isinstance(handler_value, str) and (handler_value.endswith(".sh") or exists(join(code_dir, handler_value))):
        # Lambda Web Adapter and custom wrappers name a start-up script, not a module.function.
        return HandlerSource("unresolved", detail=f"Handler {handler_value} is a start-up script")

    entry_points = [entry for entry in _esbuild_entry_points(resource) if not _absolute(entry)]
    candidates: list[tuple[str, Language]] = []
    if entry_points and "javascript" in languages:
        for entry in entry_points:
            path = join(code_dir, entry)
            candidates.append((path, language_of(path) or "javascript"))
    else:
        for language in languages:
            if language == "python":
                dotted = module.replace(".", "/")
                candidates.append((join(code_dir, dotted + ".py"), "python"))
                candidates.append((join(code_dir, dotted, "__init__.py"), "python"))
            else:
                for ext in NODE_EXTENSIONS:
                    path = join(code_dir, module + ext)
                    candidates.append((path, language_of(path) or "javascript"))

    for path, language in candidates:
        if exists(path):
            detail = f"read beside the archive {archive}" if archive else ""
            return HandlerSource("found", path, symbol, language, tuple(p for p, _ in candidates), detail)
    if archive:
        return HandlerSource("archive", archive, symbol, languages[0], tuple(p for p, _ in candidates), f"code is packaged in {archive}")
    if not exists(code_dir + "/") and code_dir != template_dir:
        return HandlerSource(
            "unresolved",
            None,
            symbol,
            languages[0],
            tuple(p for p, _ in candidates),
            f"CodeUri folder {code_dir} does not exist (produced by a build step?)",
        )
    if family == "unknown":
        return HandlerSource("unresolved", None, symbol, None, tuple(p for p, _ in candidates), "runtime is not a literal")
    if has_code is not None and not has_code(code_dir, languages[0]):
        # Not one source file of the runtime's language in the code folder: the code comes
        # from elsewhere (a build, another repository), or this is a template-only fixture.
        return HandlerSource(
            "unresolved", None, symbol, languages[0], tuple(p for p, _ in candidates),
            f"no {languages[0]} source in {code_dir}",
        )
    return HandlerSource("missing", candidates[0][0] if candidates else None, symbol, languages[0], tuple(p for p, _ in candidates))


def resolve_worker_main(config_path: str, main: Located[Any] | None, exists: Callable[[str], bool]) -> HandlerSource:
    if main is None:
        return HandlerSource("unresolved", detail="no main")
    if not isinstance(main.value, str):
        return HandlerSource("unresolved", detail="main is not a string")
    if _absolute(main.value):
        return HandlerSource("unresolved", detail=f"main {main.value} is an absolute path; {_NOT_FOLLOWED}")
    path = join(posixpath.dirname(config_path) or ".", main.value)
    candidates = [path]
    stem, ext = posixpath.splitext(path)
    if language_of(path) is None:
        # Wrangler's bundler resolves an entry written without its extension
        candidates += [path + e for e in (".ts", ".tsx", ".js", ".mjs", ".jsx", ".mts")]
    elif ext in (".js", ".mjs", ".cjs", ".jsx"):
        # ...and, as TypeScript does, "index.js" written for the source "index.ts"
        candidates += [stem + e for e in (".ts", ".mts", ".cts", ".tsx")]
    for candidate in candidates:
        language = language_of(candidate)
        if exists(candidate) and language is not None:
            symbol = "default" if language != "python" else None
            return HandlerSource("found", candidate, symbol, language, tuple(candidates))
    language = language_of(path)
    symbol = "default" if language != "python" else None
    folder = posixpath.dirname(path) or "."
    if folder != "." and not exists(folder + "/"):
        # dist/, .open-next/, build/: a framework's build writes the entry before deploy
        return HandlerSource("unresolved", path, symbol, language, tuple(candidates), f"{folder} does not exist (built before deploy?)")
    return HandlerSource("missing", path, symbol, language, tuple(candidates))


# An absolute path in a template or wrangler config names a file on the machine that runs the
# review, not in the project (SAM and Wrangler resolve these paths against the config's folder):
# a template under review must not make us read /home/runner/.aws/credentials.
_NOT_FOLLOWED = "code outside the project is not read"


def _absolute(path: str) -> bool:
    return path.startswith(("/", "\\", "~")) or (len(path) > 1 and path[1] == ":")


def _family(runtime: Any) -> Literal["python", "node", "other", "unknown"]:
    if not isinstance(runtime, str):
        return "unknown"
    if runtime.startswith("python"):
        return "python"
    if runtime.startswith("nodejs"):
        return "node"
    return "other"


def _split_handler(handler: Any) -> tuple[str | None, str | None]:
    if not isinstance(handler, str) or "." not in handler:
        return None, None
    module, _, symbol = handler.rpartition(".")
    return module, symbol


def _code_location(props: MapNode) -> Any:
    if "CodeUri" in props:
        return props["CodeUri"]
    code = props.get("Code")
    if isinstance(code, str):
        return code  # a local path, as `aws cloudformation package` accepts it
    if isinstance(code, MapNode):
        return code  # S3Bucket/S3Key or ImageUri
    return code


def _esbuild_entry_points(resource: Resource) -> list[str]:
    metadata = resource.metadata
    if metadata.get("BuildMethod") != "esbuild":
        return []
    build = metadata.get("BuildProperties")
    entries = build.get("EntryPoints") if isinstance(build, MapNode) else None
    if isinstance(entries, ListNode):
        return [e for e in entries if isinstance(e, str)]
    return []


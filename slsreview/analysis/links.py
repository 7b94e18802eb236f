"""Values that cross calls of the project's own functions: what a helper's parameters receive,
and what a call of a local function gives back.

An analyzer reads one file at a time and walks a helper's body without knowing who calls it, so
it leaves a symbolic ``Source`` wherever a value crosses such a call:

- ``param``: a parameter of a named function, at the parameter, named ``"<qualname>#<index>"``
  (``"<qualname>#=<name>"`` for a keyword-only one), with ``.<field>`` for each field read from it
  (``order["id"]``, ``order.id``, ``{ id }``);
- ``return``: what a call of a local function gives back, at the call, named by its callee.

``link`` replaces them, in every fact of the files a ``Facts`` joins (the entry file and the local
modules it imports), by the sources that really reach them: a parameter receives what its
reachable callers pass (in its own file or in a file that imports it), a call's result is what
the function returns *for that call's arguments*. A call whose function is not among the files (a
package, a module that could not be read) gives what it was given, derived through it
(``Source.via``), as any call outside the vocabulary does. So::

    # lib/db.py                                    # app.py
    def save_order(order_id, amount):              def handler(event, context):
        table.put_item(Item={"pk": order_id})          save_order(str(uuid4()), event["amount"])

gives the ``put_item``'s ``Item`` the ``random`` source of the handler's ``uuid4()``.

Bounded and deterministic: at most ``MAX_SITES`` call sites per function (in file and source
order); each value is followed at most ``MAX_DEPTH`` calls deep from where it is asked about
(reusing what earlier values, in file and source order, worked out completely), and cycles are
cut; a parameter's fields ``MAX_FIELDS`` deep
(``order.customer.email``), the fields of a dict or object literal one level (``Value.fields``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping

from slsreview.analysis.common import deeper_place, derived
from slsreview.analysis.facts import (
    Call,
    Comparison,
    FileFacts,
    Flow,
    FunctionDef,
    ModuleState,
    Parse,
    Return,
    Source,
    StateAccess,
    Value,
    Wrapper,
)
from slsreview.location import Location
from slsreview.vocabulary import events

PARAM = "param"
RETURN = "return"
SYMBOLIC = frozenset({PARAM, RETURN})
MAX_SITES = 64  # call sites per function whose arguments a parameter receives
MAX_DEPTH = 12  # calls deep a value is followed from where it is asked about
MAX_FIELDS = 3  # fields deep a parameter is followed (order.customer.email)

FnKey = tuple[str, str]  # (path, qualname)
Env = tuple[tuple[FnKey, int], ...]  # the calls being followed, outermost first: (function, id of the call)
Fields = dict[str, frozenset[Source]]
_NONE: frozenset[Source] = frozenset()


def is_symbolic(sources: Iterable[Source]) -> bool:
    return any(s.kind in SYMBOLIC for s in sources)


def link(
    files: list[FileFacts],
    reachable: Callable[[str | None], bool],
    modules: Mapping[tuple[str, str], str],
) -> list[FileFacts]:
    """The same files with every ``param`` and ``return`` source replaced (see the module
    docstring); a file without any is returned as it is."""
    linker = _Linker(files, reachable, modules)
    return [linker.file(f) if f.links else f for f in files]


class _Linker:
    def __init__(
        self,
        files: list[FileFacts],
        reachable: Callable[[str | None], bool],
        modules: Mapping[tuple[str, str], str],
    ) -> None:
        # by path and by the path its locations name (inline code's is its template's)
        self.by_path: dict[str, FileFacts] = {}
        for file in files:
            self.by_path.setdefault(file.path, file)
            for loc in (*(f.loc for f in file.functions[:1]), *(c.loc for c in file.calls[:1])):
                self.by_path.setdefault(loc.path, file)
        self.modules = modules
        self.functions: dict[FnKey, FunctionDef] = {}
        self.exports: dict[FnKey, str] = {}
        self.returns: dict[FnKey, list[Return]] = {}
        self.calls_at: dict[Location, Call] = {}
        self.by_id: dict[int, Call] = {}
        self.sites: dict[FnKey, list[Call]] = {}
        self.imports: dict[str, list[tuple[str, str]]] = {}
        self.targets: dict[int, FnKey | None] = {}
        for file in files:
            for fn in file.functions:
                self.functions.setdefault((fn.loc.path, fn.qualname), fn)
            for entry in file.entry_points:
                self.exports.setdefault((entry.loc.path, entry.symbol), entry.qualname)
            for ret in file.returns:
                if ret.function is not None:
                    self.returns.setdefault((ret.loc.path, ret.function), []).append(ret)
            prefixes = [(imp.module, imp.module if imp.module.endswith(".") else imp.module + ".") for imp in file.imports]
            self.imports[file.path] = sorted(set(prefixes), key=lambda mp: (-len(mp[1]), mp[1]))
        for file in files:
            for call in file.calls:
                if call.name:
                    continue
                self.calls_at.setdefault(call.loc, call)
                self.by_id[id(call)] = call
                if not reachable(call.function):
                    continue
                target = self.target(call)
                if target is not None:
                    sites = self.sites.setdefault(target, [])
                    if len(sites) < MAX_SITES:
                        sites.append(call)
        # Answers by (the source object, which the facts hold as long as the linker lives, and
        # the calls followed). One worked out while a cycle or the depth bound cut it short may
        # lack what the cut part brings: kept only for the value being linked (``top``), so that
        # each answer is worked out once per value, and the next value asks again.
        self.memo: dict[tuple[int, Env], frozenset[Source]] = {}
        self.fields_memo: dict[tuple[int, Env], Fields | None] = {}
        self.partial: dict[tuple[int, Env], frozenset[Source]] = {}
        self.partial_fields: dict[tuple[int, Env], Fields | None] = {}
        self.active: set[tuple[int, Env]] = set()
        self.active_fields: set[tuple[int, Env]] = set()
        self.cuts = 0

    # -- which function a call runs ---------------------------------------------------------
    def target(self, call: Call) -> FnKey | None:
        """The local function a call runs: one of its own file's (by qualname, a class's
        constructor for ``Cls(...)``/``new Cls(...)``), or of a local module it imports."""
        key = id(call)
        if key in self.targets:
            return self.targets[key]
        found = self.targets[key] = self._target(call)
        return found

    def _target(self, call: Call) -> FnKey | None:
        path = call.loc.path
        callee = call.callee
        found = self._defined(path, callee)
        if found is not None:
            return found
        importer = self.by_path[path].path if path in self.by_path else path
        for module, prefix in self.imports.get(importer, ()):
            if not callee.startswith(prefix):
                continue
            other = self.modules.get((importer, module))
            if other is None or other not in self.by_path:
                continue
            rest = callee[len(prefix) :]
            exported = self.exports.get((other, rest))
            for qualname in (rest, exported, f"default.{rest}"):
                if qualname is not None:
                    found = self._defined(other, qualname)
                    if found is not None:
                        return found
        return None

    def _defined(self, path: str, qualname: str) -> FnKey | None:
        for name in (qualname, f"{qualname}.__init__", f"{qualname}.constructor"):
            if (path, name) in self.functions:
                return (path, name)
        return None

    def _arguments(self, call: Call, fn: FnKey, param: str) -> list[Value]:
        """The arguments a call passes to one parameter (``"2"`` by position, ``"=key"`` by
        keyword only): a Python method's ``self`` is not among the call's arguments."""
        params = self.functions[fn].params
        language = self._language(fn[0])
        if param.startswith("="):
            keyword = param[1:]
            value = call.kwarg(keyword)
            return [value] if value is not None else []
        index = int(param)
        if index >= len(params):
            return []
        name = params[index]
        shift = 1 if language == "python" and params[0] in ("self", "cls") and "." in fn[1] else 0
        position = index - shift
        if position < 0:
            return []
        if name.startswith("..."):  # a JavaScript rest parameter takes every argument from there
            return list(call.args[position:])
        out = [call.args[position]] if position < len(call.args) else []
        if language == "python":
            value = call.kwarg(name)
            if value is not None:
                out.append(value)
        return out

    # -- what reaches a symbolic source -----------------------------------------------------
    def concrete(self, sources: Iterable[Source], env: Env = (), depth: int = 0) -> frozenset[Source]:
        out: set[Source] = set()
        for source in sources:
            if source.kind in SYMBOLIC:
                out |= self.expand(source, env, depth)
            else:
                out.add(source)
        return frozenset(out)

    def top(self) -> _Linker:
        """Start linking another value: forget the answers a cut made partial."""
        self.partial.clear()
        self.partial_fields.clear()
        return self

    def expand(self, source: Source, env: Env, depth: int, responses: bool = True) -> frozenset[Source]:
        key = (id(source), env)
        if responses:
            cached = self.memo.get(key)
            if cached is None:
                cached = self.partial.get(key)
            if cached is not None:
                return cached
        if key in self.active or depth > MAX_DEPTH:
            self.cuts += 1
            return _NONE
        cuts = self.cuts
        self.active.add(key)
        try:
            if source.kind == PARAM:
                result = self._param(source, env, depth)
            else:
                result = self._return(source, env, depth, responses)
        finally:
            self.active.discard(key)
        if source.via:
            result = derived(result, source.via)
        if responses:
            (self.memo if self.cuts == cuts else self.partial)[key] = result
        return result

    def _binding(self, fn: FnKey, env: Env) -> tuple[list[Call], Env]:
        """The calls whose arguments a function's parameters take: the one being followed (a
        returned value is what the function gives *that* call), else every reachable one."""
        for index in range(len(env) - 1, -1, -1):
            if env[index][0] == fn:
                return [self.by_id[env[index][1]]], env[:index]
        return self.sites.get(fn, []), ()

    def _param(self, source: Source, env: Env, depth: int) -> frozenset[Source]:
        qualname, _, rest = source.name.rpartition("#")
        param, _, field = rest.partition(".")
        fn = (source.loc.path, qualname)
        if fn not in self.functions:
            return _NONE
        sites, outer = self._binding(fn, env)
        out: set[Source] = set()
        for site in sites:
            for value in self._arguments(site, fn, param):
                out |= self._value_sources(value, field, outer, depth + 1)
        return frozenset(out)

    def _return(self, source: Source, env: Env, depth: int, responses: bool) -> frozenset[Source]:
        site = self.calls_at.get(source.loc)
        if site is None:
            return _NONE
        fn = self.target(site)
        if fn is None:
            # a function outside these files: what it returns is made from what it was given
            given = self.concrete([s for v in (*site.args, *(v for _, v in site.kwargs)) for s in v.sources], env, depth + 1)
            if self._language(source.loc.path) != "python":
                given = frozenset(s for s in given if not _root(s))
            return derived(given, site.callee.rsplit(".", 1)[-1][:40] or "call")
        frame = (*env, (fn, id(site)))
        out: set[Source] = set()
        for ret in self.returns.get(fn, ()):
            if not responses and (ret.status is not None or "statusCode" in ret.keys):
                continue  # a response the function builds is reported where it is built
            if ret.value is not None:
                out |= self.concrete(ret.value.sources, frame, depth + 1)
        return frozenset(out)

    def _value_sources(self, value: Value, field: str, env: Env, depth: int) -> frozenset[Source]:
        """What reaches a value, or a field of it (``payload.email``: a dotted path)."""
        if not field:
            return self.concrete(value.sources, env, depth)
        head, _, tail = field.partition(".")
        fields = self._fields(value, env, depth)
        if fields is not None:
            found = fields.get(head, _NONE)
            return frozenset(self._narrow(s, tail) for s in found) if tail else found
        out: set[Source] = set()
        for source in value.sources:
            if source.kind == PARAM:
                out |= self.expand(_field_of(source, field), env, depth)
            elif source.kind == RETURN:
                out |= {self._narrow(s, field) for s in self.expand(source, env, depth)}
            else:
                out.add(self._narrow(source, field))
        return frozenset(out)

    def _fields(self, value: Value, env: Env, depth: int) -> Fields | None:
        """A value's fields with what reaches each: its own (a dict or object literal), or, for
        a value that is only a parameter or a call's result, the fields of what it stands for."""
        if value.fields:
            return {key: self.concrete(sources, env, depth) for key, sources in value.fields}
        if len(value.sources) == 1 and value.sources[0].kind in SYMBOLIC:
            return self._symbol_fields(value.sources[0], env, depth)
        return None

    def _symbol_fields(self, source: Source, env: Env, depth: int) -> Fields | None:
        key = (id(source), env)
        if key in self.fields_memo:
            return self.fields_memo[key]
        if key in self.partial_fields:
            return self.partial_fields[key]
        if key in self.active_fields or depth > MAX_DEPTH:
            self.cuts += 1
            return None
        cuts = self.cuts
        self.active_fields.add(key)
        try:
            values: list[tuple[Value, Env]] = []
            if source.kind == PARAM:
                qualname, _, rest = source.name.rpartition("#")
                fn = (source.loc.path, qualname)
                if "." in rest or fn not in self.functions:
                    return None
                sites, outer = self._binding(fn, env)
                values = [(v, outer) for site in sites for v in self._arguments(site, fn, rest)]
            else:
                site = self.calls_at.get(source.loc)
                target = self.target(site) if site is not None else None
                if site is None or target is None:
                    return None
                frame = (*env, (target, id(site)))
                values = [(r.value, frame) for r in self.returns.get(target, ()) if r.value is not None]
            merged: Fields | None = None
            for value, where in values:
                fields = self._fields(value, where, depth + 1)
                if fields is None:
                    return None  # one of them has no known shape: neither has the whole
                if merged is None:
                    merged = dict(fields)
                else:
                    for name, sources in fields.items():
                        merged[name] = merged.get(name, _NONE) | sources
            result = merged if merged else None
        finally:
            self.active_fields.discard(key)
        if source.via and result is not None:
            result = {k: derived(v, source.via) for k, v in result.items()}
        (self.fields_memo if self.cuts == cuts else self.partial_fields)[key] = result
        return result

    def _language(self, path: str) -> str:
        file = self.by_path.get(path)
        return file.language if file is not None else "python"

    def _narrow(self, source: Source, field: str) -> Source:
        """A field of a value from the event is a deeper place in it (``body`` -> ``body.email``),
        named as the analyzer of the file it was read in names places."""
        python = self._language(source.loc.path) == "python"
        narrowed = source
        for segment in field.split("."):
            if narrowed.kind != "event":
                break
            narrowed = deeper_place(narrowed, segment) if python else _narrow_javascript(narrowed, segment)
        if source.via and narrowed is not source:
            return Source(narrowed.kind, narrowed.name, narrowed.loc, source.via)
        return narrowed

    # -- the facts, linked ------------------------------------------------------------------
    def value(self, value: Value) -> Value:
        # a field's sources are among the value's own: one look at those says it
        for source in value.sources:
            if source.kind in SYMBOLIC:
                break
        else:
            return value
        fields = self.top()._fields(value, (), 0)
        keys = value.keys
        if fields is not None and not value.fields and not keys:
            keys = tuple(fields)
        return Value(
            value.text,
            value.loc,
            value.literal,
            value.is_literal,
            tuple(sorted(self.concrete(value.sources))),
            keys,
            tuple((name, tuple(sorted(sources))) for name, sources in fields.items()) if fields else (),
        )

    def call(self, call: Call) -> Call:
        if not any(s.kind in SYMBOLIC for v in call.args for s in v.sources) and not any(
            s.kind in SYMBOLIC for _, v in call.kwargs for s in v.sources
        ):
            return call
        args = tuple(self.value(v) for v in call.args)
        kwargs = tuple((k, self.value(v)) for k, v in call.kwargs)
        return Call(
            call.name,
            call.callee,
            call.loc,
            call.function,
            args,
            kwargs,
            call.attrs,
            call.try_id,
            call.awaited,
            call.loops,
            call.methods,
            call.tests,
        )

    def file(self, file: FileFacts) -> FileFacts:
        calls = [self.call(c) for c in file.calls]
        linked = {id(old): new for old, new in zip(file.calls, calls, strict=True) if new is not old}
        flows: list[Flow] = []
        seen: set[tuple[Source, str, Location]] = set()
        for flow in file.flows:
            call = linked.get(id(flow.call), flow.call) if flow.call is not None else None
            if flow.source.kind not in SYMBOLIC:
                key = (flow.source, flow.sink, flow.loc)
                if key not in seen:
                    seen.add(key)
                    flows.append(flow if call is flow.call else Flow(flow.source, flow.sink, flow.loc, flow.function, call))
                continue
            responses = not (flow.sink == "response" and flow.source.kind == RETURN)
            for source in sorted(self.top().expand(flow.source, (), 0, responses)):
                key = (source, flow.sink, flow.loc)
                if key not in seen:
                    seen.add(key)
                    flows.append(Flow(source, flow.sink, flow.loc, flow.function, call))
        return dataclasses.replace(
            file,
            calls=calls,
            flows=flows,
            returns=[self._return_fact(r) for r in file.returns],
            comparisons=[self._comparison(c) for c in file.comparisons],
            parses=[self._parse(p) for p in file.parses],
            module_state=[self._state(m) for m in file.module_state],
            wrappers=[self._wrapper(w) for w in file.wrappers],
        )

    def _return_fact(self, ret: Return) -> Return:
        parts = (ret.value, ret.body, ret.headers)
        linked = tuple(self.value(v) if v is not None else None for v in parts)
        if linked == parts:
            return ret
        return dataclasses.replace(ret, value=linked[0], body=linked[1], headers=linked[2])

    def _comparison(self, comparison: Comparison) -> Comparison:
        left, right = self.value(comparison.left), self.value(comparison.right)
        if left is comparison.left and right is comparison.right:
            return comparison
        return dataclasses.replace(comparison, left=left, right=right)

    def _parse(self, parse: Parse) -> Parse:
        if not is_symbolic(parse.of):
            return parse
        return dataclasses.replace(parse, of=tuple(sorted(self.top().concrete(parse.of))))

    def _state(self, state: ModuleState) -> ModuleState:
        accesses = tuple(self._access(a) for a in state.accesses)
        if all(a is b for a, b in zip(accesses, state.accesses, strict=True)):
            return state
        return dataclasses.replace(state, accesses=accesses)

    def _access(self, access: StateAccess) -> StateAccess:
        key = self.value(access.key)
        return access if key is access.key else dataclasses.replace(access, key=key)

    def _wrapper(self, wrapper: Wrapper) -> Wrapper:
        args = tuple((k, self.value(v)) for k, v in wrapper.args)
        if all(a[1] is b[1] for a, b in zip(args, wrapper.args, strict=True)):
            return wrapper
        return dataclasses.replace(wrapper, args=args)


def param_fields(sources: Iterable[Source], field: str) -> list[Source] | None:
    """A field read of a value that is only parameters (``order["id"]``, ``order.id``): those
    parameters' field; None for any other value."""
    out = [_field_of(s, field) for s in sources if s.kind == PARAM]
    if not out or any(s.kind != PARAM for s in sources):
        return None
    return out


def _field_of(source: Source, field: str) -> Source:
    """A parameter's field: ``f#0`` -> ``f#0.id`` -> ``f#0.id.x``, at most ``MAX_FIELDS`` deep
    (deeper reads take the deepest field followed)."""
    if source.name.rpartition("#")[2].count(".") + field.count(".") + 1 > MAX_FIELDS:
        return source
    return Source(PARAM, f"{source.name}.{field}", source.loc, source.via)


def _root(source: Source) -> bool:
    return (source.kind == "event" and source.name == "event") or (source.kind == "env" and source.name == "*")


_JS_IDS = events.javascript_event_id_fields()
_JS_IDEMPOTENCY_HEADERS = events.javascript_idempotency_headers()


def _narrow_javascript(source: Source, field: str) -> Source:
    """The JavaScript analyzer's names (``slsreview/analysis/javascript/values.py``
    ``event_source``): records keep their prefix, headers are lower case."""
    path = () if source.name == "event" else tuple(source.name.split("."))
    segment = field.lower() if path and path[-1] in events.HEADER_MAPS else field
    path = (*path, segment)
    last = path[-1]
    if last in _JS_IDS or (last == "id" and (len(path) == 1 or (len(path) == 2 and path[0] in ("records", "messages")))):
        return Source("event-id", last, source.loc)
    if len(path) >= 2 and path[-2] == "headers" and last in _JS_IDEMPOTENCY_HEADERS:
        return Source("event-id", "headers." + last, source.loc)
    if path[-3:] == events.S3_OBJECT_KEY:
        return Source("event-id", events.S3_KEY_NAME, source.loc)
    return Source("event", ".".join(path), source.loc)

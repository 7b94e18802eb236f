"""The project model: what a reviewer reasons about, free of file formats.

A ``Project`` holds every ``Function`` (a Lambda function from SAM or plain CloudFormation),
every ``Worker`` (one per wrangler configuration *and* per ``[env.NAME]`` view), the template
resources rules need, the documentation found beside the configuration, and the source files the
configuration points at. Every field a rule can report on is ``Located``: its value, where it is
written, and where it came from (written on the resource, taken from SAM ``Globals``, or the
platform's default)::

    fn = project.functions[0]
    fn.timeout.value, fn.timeout.origin, fn.timeout.loc   # 3, "default", <the resource's key>
    for event in fn.events:
        if event.type == "SQS": ...

Intrinsic functions stay ``Intrinsic`` objects; ``known(value)`` tells a rule whether it can
reason about a value at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from slsreview.loaders import Problem
from slsreview.loaders.imports import TestFile
from slsreview.loaders.markdown import Heading
from slsreview.loaders.nodes import Intrinsic, MapNode
from slsreview.location import Location

if TYPE_CHECKING:
    from slsreview.model.apis import ApiView
    from slsreview.model.fixtures import EventFixture
    from slsreview.model.grants import Grants
    from slsreview.model.resources import ErrorAlarm

T = TypeVar("T")

Origin = Literal["explicit", "global", "default"]
Platform = Literal["aws-lambda", "cloudflare-workers"]


@dataclass(frozen=True, slots=True)
class Located(Generic[T]):
    """A configuration value with the place it is written and where it came from."""

    value: T
    loc: Location
    origin: Origin = "explicit"

    @property
    def known(self) -> bool:
        return known(self.value)


def known(value: Any) -> bool:
    """False for intrinsics (``!Ref Timeout``) and anything built from them: unknown until deploy."""
    if isinstance(value, Intrinsic):
        return False
    if isinstance(value, dict):
        return all(known(v) for v in value.values())
    if isinstance(value, list):
        return all(known(v) for v in value)
    return True


@dataclass(slots=True)
class ConfigFile:
    """A file the review read as configuration: a template, a wrangler config, a samconfig."""

    path: str
    kind: Literal["template", "wrangler", "samconfig"]
    value: Any  # the loaded document; None when it could not be read
    problems: list[Problem] = field(default_factory=list)

    @property
    def directory(self) -> str:
        return _dirname(self.path)


@dataclass(slots=True)
class HandlerSource:
    """Where the code the configuration names lives, and whether we could read it.

    ``status`` is one of ``found`` (``path`` exists), ``missing`` (the file the configuration
    implies is not there), ``inline`` (code in the template: ``path`` is the template),
    ``archive`` (a zip we do not open), ``remote`` (S3 or an image), ``unresolved`` (an
    intrinsic or a custom runtime: nothing to check).
    """

    status: Literal["found", "missing", "inline", "archive", "remote", "unresolved"]
    path: str | None = None  # display path of the source file
    symbol: str | None = None  # the entry point the configuration names: "handler", "default"
    language: Literal["python", "javascript", "typescript"] | None = None
    tried: tuple[str, ...] = ()  # files looked for, for the message when none exists
    detail: str = ""
    inline_code: Located[str] | None = None


@dataclass(slots=True)
class Resource:
    """One template resource, as written (no Globals applied)."""

    logical_id: str
    type: str
    properties: MapNode
    loc: Location  # the resource's logical id key
    template: str  # path of the template
    node: MapNode  # the whole resource mapping (Type, Properties, Metadata, DeletionPolicy, ...)

    def prop(self, name: str) -> Located[Any] | None:
        if name not in self.properties:
            return None
        return Located(self.properties[name], self.properties.loc(name))

    def attribute(self, name: str) -> Located[Any] | None:
        """A resource attribute beside Properties: DeletionPolicy, Condition, DependsOn..."""
        if name not in self.node:
            return None
        return Located(self.node[name], self.node.loc(name))

    @property
    def metadata(self) -> MapNode:
        value = self.node.get("Metadata")
        return value if isinstance(value, MapNode) else MapNode(self.template, self.node.span)


@dataclass(slots=True)
class Event:
    """A trigger of a function: a SAM event, or an event source mapping / permission pointing at it."""

    name: str
    type: str  # SAM event type: Api, HttpApi, SQS, SNS, S3, Schedule, EventBridgeRule, ...
    properties: MapNode
    loc: Location
    mapping: bool = False  # an AWS::Lambda::EventSourceMapping resource, not a SAM event

    @property
    def label(self) -> str:
        """How messages name it: ``SQS event Orders``, ``Kinesis event source mapping ClicksMapping``."""
        if not self.mapping:
            return f"{self.type} event {self.name}"
        if self.type == "EventSourceMapping":
            return f"event source mapping {self.name}"
        return f"{self.type} event source mapping {self.name}"

    @property
    def invocation(self) -> Literal["sync", "async", "poll", "unknown"]:
        """How Lambda calls the function for this event, which decides how failures retry.

        An SNS event with ``SqsSubscription`` is delivered through a queue SAM creates, so Lambda
        polls it."""
        if self.type == "SNS" and self.properties.get("SqsSubscription") not in (None, False):
            return "poll"
        return EVENT_INVOCATION.get(self.type, "unknown")

    def prop(self, name: str) -> Located[Any] | None:
        """An event property (or an event source mapping's) with where it is written."""
        if name not in self.properties:
            return None
        return Located(self.properties[name], self.properties.loc(name))

    @property
    def reports_batch_item_failures(self) -> bool | None:
        """Whether ``FunctionResponseTypes`` lists ``ReportBatchItemFailures`` (partial batch
        responses): None when an intrinsic hides the answer until deploy."""
        types = self.properties.get("FunctionResponseTypes")
        if types is None:
            return False
        if not known(types):
            return None
        return isinstance(types, list) and "ReportBatchItemFailures" in types


EVENT_INVOCATION: dict[str, Literal["sync", "async", "poll"]] = {
    "Api": "sync",
    "HttpApi": "sync",
    "AlexaSkill": "sync",
    "Cognito": "sync",
    "IoTRule": "async",
    "S3": "async",
    "SNS": "async",
    "Schedule": "async",
    "ScheduleV2": "async",
    "CloudWatchEvent": "async",
    "EventBridgeRule": "async",
    "CloudWatchLogs": "async",
    "SQS": "poll",
    "Kinesis": "poll",
    "DynamoDB": "poll",
    "MSK": "poll",
    "MQ": "poll",
    "SelfManagedKafka": "poll",
    "DocumentDB": "poll",
}

# Event types whose mappings accept FunctionResponseTypes: [ReportBatchItemFailures].
PARTIAL_BATCH_TYPES = ("SQS", "Kinesis", "DynamoDB")
# Event types that read a stream shard in order: a failing record holds back the ones behind it.
STREAM_TYPES = ("Kinesis", "DynamoDB")


@dataclass(slots=True)
class Policy:
    """One entry of a function's permissions, in any of SAM's three forms or from its role.

    ``kind`` is ``managed`` (a managed policy name or ARN), ``template`` (a SAM policy template
    such as ``DynamoDBCrudPolicy`` with its ``arguments``) or ``inline`` (a policy document whose
    ``statements`` are listed).
    """

    kind: Literal["managed", "template", "inline"]
    name: str  # managed name/ARN, template name, or "inline"
    loc: Location
    arguments: Any = None
    statements: list[MapNode] = field(default_factory=list)
    via_role: str | None = None  # logical id of the IAM role it came through


@dataclass(slots=True)
class Function:
    """A Lambda function with its effective configuration (Globals applied as SAM applies them)."""

    name: str  # logical id
    resource: Resource
    properties: MapNode  # effective properties: Globals merged in
    origins: dict[str, Origin]  # for each top-level property: "explicit" or "global"
    runtime: Located[Any] | None
    handler: Located[Any] | None
    timeout: Located[Any]
    memory: Located[Any]
    source: HandlerSource
    events: list[Event] = field(default_factory=list)
    policies: list[Policy] = field(default_factory=list)
    environment: dict[str, Located[Any]] = field(default_factory=dict)
    platform: Platform = "aws-lambda"

    @property
    def loc(self) -> Location:
        return self.resource.loc

    @property
    def template(self) -> str:
        return self.resource.template

    def prop(self, name: str) -> Located[Any] | None:
        """An effective property with its location and origin, or None when absent."""
        if name not in self.properties:
            return None
        return Located(self.properties[name], self.properties.loc(name), self.origins.get(name, "explicit"))

    @property
    def function_url(self) -> Located[Any] | None:
        return self.prop("FunctionUrlConfig")

    @property
    def dead_letter(self) -> Located[Any] | None:
        """SAM ``DeadLetterQueue`` or CloudFormation ``DeadLetterConfig``."""
        return self.prop("DeadLetterQueue") or self.prop("DeadLetterConfig")

    @property
    def event_invoke_config(self) -> Located[Any] | None:
        return self.prop("EventInvokeConfig")

    @property
    def logging_config(self) -> Located[Any] | None:
        return self.prop("LoggingConfig")

    @property
    def role(self) -> Located[Any] | None:
        return self.prop("Role")

    @property
    def code_root(self) -> str | None:
        """The folder whose contents Lambda unpacks as the function's code (its ``CodeUri``,
        resolved from the template's folder), when it is a local folder."""
        code = self.properties.get("CodeUri")
        base = _dirname(self.template)
        if code is None:
            return base
        if not isinstance(code, str) or code.startswith("s3://") or code.endswith(".zip"):
            return None
        import posixpath

        return posixpath.normpath(posixpath.join(base, code)) if base != "." else posixpath.normpath(code)


@dataclass(slots=True)
class Binding:
    """A Workers binding: how code reaches a KV namespace, D1 database, queue, service, ..."""

    kind: str  # kv, d1, r2, queue-producer, queue-consumer, service, durable-object, ...
    name: str  # the name code uses: env.NAME (a queue consumer's name is its queue)
    properties: MapNode
    loc: Location


@dataclass(slots=True)
class Worker:
    """One deployable Worker: the top level of a wrangler config, or one ``[env.NAME]`` view.

    An environment view inherits what Wrangler inherits (main, compatibility_date, routes,
    limits, ...) and *not* bindings or vars: those are exactly what its ``[env.NAME]`` declares.
    """

    name: Located[Any] | None
    env: str | None  # None for the top level
    config: ConfigFile
    settings: MapNode  # effective top-level keys for this view
    origins: dict[str, Origin]  # "explicit" in this view, "global" when inherited from the top
    main: Located[Any] | None
    compatibility_date: Located[Any] | None
    compatibility_flags: list[Located[Any]]
    bindings: list[Binding]
    vars: dict[str, Located[Any]]
    source: HandlerSource
    loc: Location  # the [env.NAME] table, or the config file's first line
    # What supplies the entry or settings when the config does not: a package.json script
    # ("wrangler deploy src/index.ts --compatibility-date 2025-01-01") or a framework plugin
    # ("main", "compatibility_date"); or what the config is for instead of a deploy: a Pages
    # project ("pages": a `wrangler pages dev` script), tests only ("vitest": the Workers Vitest
    # pool runs it, and gives it the newest date when it has none).
    supplied_elsewhere: dict[str, Located[str]] = field(default_factory=dict)
    platform: Platform = "cloudflare-workers"

    @property
    def display_name(self) -> str:
        base = self.name.value if self.name and isinstance(self.name.value, str) else self.config.path
        return f"{base} [env.{self.env}]" if self.env else str(base)

    def setting(self, name: str) -> Located[Any] | None:
        if name not in self.settings:
            return None
        return Located(self.settings[name], self.settings.loc(name), self.origins.get(name, "explicit"))

    def bindings_of(self, kind: str) -> list[Binding]:
        return [b for b in self.bindings if b.kind == kind]

    @property
    def queue_consumers(self) -> list[QueueConsumer]:
        """The ``queues.consumers`` entries of this view, with Cloudflare's defaults filled in."""
        out = []
        for binding in self.bindings_of("queue-consumer"):
            entry = binding.properties
            retries = (
                Located(entry["max_retries"], entry.loc("max_retries"))
                if "max_retries" in entry
                else Located(QUEUES_DEFAULT_MAX_RETRIES, binding.loc, "default")
            )
            dlq = Located(entry["dead_letter_queue"], entry.loc("dead_letter_queue")) if "dead_letter_queue" in entry else None
            out.append(QueueConsumer(binding, binding.name, retries, dlq, entry.get("type") == "http_pull"))
        return out


QUEUES_DEFAULT_MAX_RETRIES = 3  # Cloudflare Queues: deliveries of a failing message before it is deleted


@dataclass(frozen=True, slots=True)
class QueueConsumer:
    """A Workers Queues consumer: which queue it reads, how often a failing message is retried,
    and where it goes after the last retry (nowhere, when ``dead_letter_queue`` is None)."""

    binding: Binding
    queue: str
    max_retries: Located[Any]  # origin "default" when absent
    dead_letter_queue: Located[Any] | None
    pull: bool  # type = "http_pull": read over HTTP, not by a Worker's queue() handler

    @property
    def loc(self) -> Location:
        return self.binding.loc


@dataclass(frozen=True, slots=True)
class DocLink:
    """A relative link in a Markdown document, resolved by the engine: ``path`` is the file it
    points at (None for an anchor of the same document), ``exists`` whether that file or folder
    is there (None when it is outside the reviewed folder), ``anchor_exists`` whether the
    ``#anchor`` is a heading or HTML anchor of the Markdown file it names (None when there is no
    anchor, or the target is not a Markdown file we can read)."""

    target: str
    loc: Location
    path: str | None
    anchor: str | None
    exists: bool | None
    anchor_exists: bool | None = None


@dataclass(slots=True)
class Doc:
    """A README, a document under ``docs/``, or a Makefile beside the configuration, for
    requirements, removal procedures and links. Markdown documents carry their ``headings``,
    their ``prose`` (each line outside code blocks, with its number) and their relative
    ``links``; a Makefile carries only its text."""

    path: str
    text: str
    kind: Literal["readme", "doc", "makefile"] = "doc"
    headings: list[Heading] = field(default_factory=list)
    prose: list[tuple[int, str]] = field(default_factory=list)
    links: list[DocLink] = field(default_factory=list)

    @property
    def loc(self) -> Location:
        return Location.file_start(self.path)


@dataclass(slots=True)
class PackageJson:
    """A ``package.json`` above a handler or a configuration: its module type, the packages it
    depends on (``dependencies``, ``devDependencies``, ``peerDependencies``, ``optionalDependencies``)
    and its scripts."""

    path: str
    module_type: Located[Any] | None  # "type": "module" / "commonjs"
    dependencies: frozenset[str]
    scripts: dict[str, Located[Any]]

    @property
    def directory(self) -> str:
        return _dirname(self.path)


@dataclass(slots=True)
class ProjectFolder:
    """One deployable project: a folder with templates or wrangler configurations that define
    functions or Workers, the documents that describe it (beside it, above it, or in its
    ``docs/``), its nearest README and its nearest package.json."""

    directory: str
    configs: list[ConfigFile]
    docs: list[Doc]
    readme: Doc | None
    package: PackageJson | None

    @property
    def loc(self) -> Location:
        """Where a finding about something the project's docs lack points: the README's first
        line, or the first configuration's when there is no README."""
        return self.readme.loc if self.readme is not None else Location.file_start(self.configs[0].path)

    @property
    def tools(self) -> list[str]:
        """How it is deployed, in the words of the commands: "sam" and/or "wrangler"."""
        kinds = {c.kind for c in self.configs}
        return [tool for kind, tool in (("template", "sam"), ("wrangler", "wrangler")) if kind in kinds]


@dataclass(slots=True)
class EnvFile:
    """A local environment file in the reviewed tree (``.dev.vars``, ``.env.local``,
    ``.dev.vars.example``): its ``NAME=value`` entries with positions. Discovery lists only files
    that no ``.gitignore`` excludes (or that git tracks anyway), so every one of them is, or will
    be, committed."""

    path: str
    kind: Literal["secrets", "example"]  # example: a template meant to be committed
    entries: MapNode

    @property
    def loc(self) -> Location:
        return Location.file_start(self.path)


@dataclass(slots=True)
class SourceFile:
    """A handler source file the review read (parsed later, once, by the analysis layer)."""

    path: str
    language: Literal["python", "javascript", "typescript"]
    reason: str  # why it is reviewed: "handler of OrdersFunction", "beside unreadable template.yaml"


@dataclass(slots=True)
class Project:
    """Everything one ``slsreview check`` run reviews."""

    configs: list[ConfigFile] = field(default_factory=list)
    functions: list[Function] = field(default_factory=list)
    workers: list[Worker] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    docs: list[Doc] = field(default_factory=list)
    packages: dict[str, PackageJson] = field(default_factory=dict)  # path -> package.json read
    fixtures: list[EventFixture] = field(default_factory=list)  # JSON events below a template's folder
    tests: list[TestFile] = field(default_factory=list)  # test files below a configuration's folder
    sources: dict[str, SourceFile] = field(default_factory=dict)
    env_files: list[EnvFile] = field(default_factory=list)
    problems: dict[str, list[Problem]] = field(default_factory=dict)  # path -> loader problems
    notes: list[str] = field(default_factory=list)  # what could not be reviewed, for the report
    _grants: dict[tuple[str, str], Grants] = field(default_factory=dict, repr=False, compare=False)  # (template, logical id)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # derived views, computed once

    def in_template(self, template: str) -> list[Resource]:
        """The resources of one template (computed once per review)."""
        by_template: dict[str, list[Resource]] | None = self._memo.get("by_template")
        if by_template is None or sum(len(v) for v in by_template.values()) != len(self.resources):
            by_template = {}
            for resource in self.resources:
                by_template.setdefault(resource.template, []).append(resource)
            self._memo["by_template"] = by_template
        return by_template.get(template, [])

    def resources_of(self, *types: str) -> Iterator[Resource]:
        return (r for r in self.resources if r.type in types)

    def resource(self, template: str, logical_id: str) -> Resource | None:
        for resource in self.resources:
            if resource.logical_id == logical_id and resource.template == template:
                return resource
        return None

    def log_group_of(self, fn: Function) -> Resource | None:
        from slsreview.model.resources import log_group_of

        return log_group_of(fn, self.in_template(fn.template))

    def alarms_for(self, fn: Function) -> list[Resource]:
        from slsreview.model.resources import alarms_for

        return alarms_for(fn, self.in_template(fn.template))

    def error_alarms_for(self, fn: Function) -> list[ErrorAlarm]:
        """The alarms of the function's template that go off when it fails: on its Errors metric
        (``slsreview.model.resources.error_alarms_for``), or, for a function only APIs trigger, on
        their 5xx metric (``slsreview.model.apis.api_error_alarms``)."""
        from slsreview.model.apis import api_error_alarms
        from slsreview.model.resources import error_alarms_for

        return error_alarms_for(fn, self.in_template(fn.template)) or api_error_alarms(self, fn)

    def permissions_for(self, fn: Function) -> list[Resource]:
        from slsreview.model.resources import permissions_for

        return permissions_for(fn, self.in_template(fn.template))

    def grants_for(self, fn: Function) -> Grants:
        """What the function's execution role is granted, statement by statement, with what
        could not be known and why (see ``slsreview.model.grants``)."""
        from slsreview.model.grants import grants_for

        key = (fn.template, fn.name)
        found = self._grants.get(key)
        if found is None:
            found = self._grants[key] = grants_for(fn, self.in_template(fn.template))
        return found

    def event_invoke_config_of(self, fn: Function) -> Located[Any] | None:
        from slsreview.model.resources import event_invoke_config

        return event_invoke_config(fn, self.in_template(fn.template))

    def event_queue(self, fn: Function, event: Event) -> Resource | None:
        """The queue (or stream, or table) an event polls, when it is in the same template."""
        from slsreview.model.resources import event_source

        key = "EventSourceArn" if event.mapping else {"SQS": "Queue", "Kinesis": "Stream", "DynamoDB": "Stream"}.get(event.type, "EventSourceArn")
        return event_source(event.properties.get(key), self.resources, fn.template)

    def apis_of(self, fn: Function) -> list[tuple[Event, ApiView | None]]:
        """Each ``Api``/``HttpApi`` event of a function with the API it is a route of (Globals
        applied; SAM's implicit API when the event names none), or None when the API is not in
        the template (imported, or a parameter)."""
        from slsreview.model.apis import api_of

        return [(event, api_of(self, fn, event)) for event in fn.events if event.type in ("Api", "HttpApi")]

    def folders(self) -> list[ProjectFolder]:
        """The deployable projects of this review, one per configuration folder, in path order."""
        deployable = {f.template for f in self.functions} | {w.config.path for w in self.workers}
        by_folder: dict[str, list[ConfigFile]] = {}
        for config in self.configs:
            if config.path in deployable:
                by_folder.setdefault(config.directory, []).append(config)
        out = []
        for directory, configs in sorted(by_folder.items()):
            docs = self.docs_for(configs[0].path)
            readmes = [d for d in docs if d.kind == "readme" and is_within(directory, _dirname(d.path))]
            # the nearest: in the folder itself, else the deepest folder above it
            readmes.sort(key=lambda d: (-_depth(_dirname(d.path)), d.path))
            readme = readmes[0] if readmes else None
            out.append(ProjectFolder(directory, configs, docs, readme, self.package_for(configs[0].path)))
        return out

    def package_for(self, path: str) -> PackageJson | None:
        """The nearest ``package.json`` at or above a file's folder (Node's and bundlers' rule)."""
        directory = _dirname(path)
        while True:
            found = self.packages.get(_join(directory, "package.json"))
            if found is not None:
                return found
            if directory == ".":
                return None
            directory = _dirname(directory)

    def docs_for(self, config_path: str) -> list[Doc]:
        """Documents beside a configuration file or in a folder above it."""
        directory = _dirname(config_path)
        return [d for d in self.docs if is_within(directory, _dirname(d.path)) or _dirname(d.path).startswith(_join(directory, "docs"))]


def _dirname(path: str) -> str:
    head, _, _ = path.rpartition("/")
    return head or "."


def _depth(directory: str) -> int:
    return 0 if directory == "." else directory.count("/") + 1


def _join(directory: str, name: str) -> str:
    return name if directory == "." else f"{directory}/{name}"


def is_within(inner: str, outer: str) -> bool:
    """True when ``outer`` is ``inner`` or one of its ancestors (paths relative to the same base)."""
    if outer == "." or inner == outer:
        return True
    return inner.startswith(outer + "/")

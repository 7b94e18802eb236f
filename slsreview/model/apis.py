"""The API Gateway APIs in front of functions, as SAM builds them.

An ``Api`` event belongs to the ``AWS::Serverless::Api`` its ``RestApiId`` names, or to the
implicit API SAM creates (``ServerlessRestApi``) when it names none; an ``HttpApi`` event likewise
to its ``ApiId`` or to ``ServerlessHttpApi``. ``Globals.Api`` / ``Globals.HttpApi`` apply to both
kinds, the way SAM applies them, so that a rule asks one question (``api.prop("Auth")``) whatever
the template's style::

    for event, api in project.apis_of(fn):
        if api is not None and api.prop("Cors") is not None: ...
        stages = api.related("AWS::ApiGateway::Stage", "RestApiId", project.resources)
        state, at = route_authorization(event, api)   # open / opted-out / protected / unknown

    worker_reachable(worker)   # "workers.dev (workers_dev defaults to true)", "its routes", or None
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from slsreview.loaders.nodes import Intrinsic, MapNode, walk
from slsreview.location import Location
from slsreview.model.project import Event, Function, Located, Origin, Resource
from slsreview.model.resources import refers_to

if TYPE_CHECKING:
    from slsreview.model.project import Project, Worker
    from slsreview.model.resources import ErrorAlarm

# Keys of an inline OpenAPI definition that configure authorization there instead of in SAM.
_OPENAPI_SECURITY = {"security", "securityDefinitions", "securitySchemes", "x-amazon-apigateway-authorizer"}

# event type -> (kind, the event property naming the API, SAM resource type, Globals section, implicit id)
_EVENTS: dict[str, tuple[Literal["rest", "http"], str, str, str, str]] = {
    "Api": ("rest", "RestApiId", "AWS::Serverless::Api", "Api", "ServerlessRestApi"),
    "HttpApi": ("http", "ApiId", "AWS::Serverless::HttpApi", "HttpApi", "ServerlessHttpApi"),
}


@dataclass(frozen=True, slots=True)
class ApiView:
    kind: Literal["rest", "http"]
    logical_id: str  # the resource's id, or SAM's ServerlessRestApi / ServerlessHttpApi
    template: str
    resource: Resource | None  # None for the implicit API SAM creates from the events
    properties: MapNode  # Globals applied
    origins: dict[str, Origin]
    loc: Location  # the resource's logical id; for the implicit API, the event that asked

    @property
    def implicit(self) -> bool:
        return self.resource is None

    @property
    def name(self) -> str:
        """How a person would name it in a message."""
        kind = "REST API" if self.kind == "rest" else "HTTP API"
        return f"the implicit {kind}" if self.implicit else f"{kind} {self.logical_id}"

    def prop(self, name: str) -> Located[Any] | None:
        if name not in self.properties:
            return None
        return Located(self.properties[name], self.properties.loc(name), self.origins.get(name, "explicit"))

    @property
    def private(self) -> bool:
        """A REST API with a PRIVATE endpoint is reachable only from inside a VPC."""
        config = self.properties.get("EndpointConfiguration")
        kind = config.get("Type") if isinstance(config, MapNode) else config
        return isinstance(kind, str) and kind.upper() == "PRIVATE"

    @property
    def definition(self) -> Literal["none", "inline", "external"]:
        """Whether the API's OpenAPI definition is absent (SAM builds it from the events), inline
        (``DefinitionBody`` as a mapping we can read) or somewhere we cannot read
        (``DefinitionUri``, an ``AWS::Include`` transform)."""
        if self.properties.get("DefinitionUri") is not None:
            return "external"
        body = self.properties.get("DefinitionBody")
        if body is None:
            return "none"
        if isinstance(body, MapNode) and "Fn::Transform" not in body:
            return "inline"
        return "external"

    def related(self, resource_type: str, key: str, resources: list[Resource]) -> list[Resource]:
        """Resources of a type whose property ``key`` points at this API (a raw
        ``AWS::ApiGateway::Stage`` with ``RestApiId: !Ref Api``)."""
        return [
            r
            for r in resources
            if r.type == resource_type and r.template == self.template and refers_to(r.properties.get(key), self.logical_id)
        ]


def api_of(project: Project, fn: Function, event: Event) -> ApiView | None:
    """The API an ``Api``/``HttpApi`` event is a route of, or None when it is not in the template."""
    spec = _EVENTS.get(event.type)
    if spec is None:
        return None
    kind, key, sam_type, section, implicit_id = spec
    reference = event.properties.get(key)
    globals_node = _globals(project, fn.template, section)
    if reference is None:
        props, origins = _merged(globals_node, MapNode(fn.template, (event.loc.line, event.loc.column, event.loc.line, event.loc.column)))
        return ApiView(kind, implicit_id, fn.template, None, props, origins, event.loc)
    target = reference.ref_target() if isinstance(reference, Intrinsic) else None
    resource = project.resource(fn.template, target) if target else None
    if resource is None or resource.type != sam_type:
        return None
    props, origins = _merged(globals_node, resource.properties)
    return ApiView(kind, resource.logical_id, fn.template, resource, props, origins, resource.loc)


def _globals(project: Project, template: str, section: str) -> MapNode | None:
    for config in project.configs:
        if config.path == template and isinstance(config.value, MapNode):
            globals_node = config.value.get("Globals")
            node = globals_node.get(section) if isinstance(globals_node, MapNode) else None
            return node if isinstance(node, MapNode) else None
    return None


def _merged(globals_node: MapNode | None, props: MapNode) -> tuple[MapNode, dict[str, Origin]]:
    if globals_node is None:
        return props, dict.fromkeys(props, "explicit")
    from slsreview.model.sam import merge_globals

    return merge_globals(globals_node, props)


def route_authorization(event: Event, api: ApiView) -> tuple[str, Any]:
    """How a route is protected: ``open``; ``opted-out`` (``Authorizer: NONE`` on the route, with
    the value it is written at); ``protected``; or ``unknown`` (a resource policy, a private API, an
    authorizer the template computes, a definition we cannot read). ``OPTIONS`` routes, the CORS
    preflight, are ``protected`` for this purpose: browsers send them without credentials."""
    method = event.properties.get("Method")
    if isinstance(method, str) and method.upper() == "OPTIONS":
        return "protected", None
    if api.private:
        return "unknown", None
    own = event.properties.get("Auth")
    own = own if isinstance(own, MapNode) else MapNode()
    shared = api.properties.get("Auth")
    shared = shared if isinstance(shared, MapNode) else MapNode()
    if "ResourcePolicy" in own or "ResourcePolicy" in shared:
        return "unknown", None
    if api.kind == "rest" and (own.get("ApiKeyRequired") is True or (shared.get("ApiKeyRequired") is True and own.get("ApiKeyRequired") is not False)):
        return "protected", None
    authorizer = own.get("Authorizer")
    if isinstance(authorizer, Intrinsic):
        return "unknown", None
    if isinstance(authorizer, str):
        if authorizer.upper() == "NONE":
            return "opted-out", Located(authorizer, own.loc("Authorizer"))
        return "protected", None
    default = shared.get("DefaultAuthorizer")
    if isinstance(default, Intrinsic):
        return "unknown", None
    if isinstance(default, str) and default.upper() != "NONE":
        return "protected", None
    if api.definition == "external":
        return "unknown", None
    if api.definition == "inline" and any(key in _OPENAPI_SECURITY for _, key, _ in walk(api.properties.get("DefinitionBody"))):
        return "unknown", None
    return "open", None


def worker_reachable(worker: Worker) -> str | None:
    """How a Worker view is reachable from the internet: on workers.dev, on its routes, or None."""
    hows = []
    for key in ("routes", "route"):
        value = worker.settings.get(key)
        if value:
            hows.append("its routes")
            break
    workers_dev = worker.settings.get("workers_dev")
    if workers_dev is True:
        hows.append("workers.dev")
    elif workers_dev is None and not hows:
        hows.append("workers.dev (workers_dev defaults to true)")
    return " and ".join(hows) or None


# API Gateway's server-error metric, per kind of API, and the dimension naming the API.
_SERVER_ERRORS = {"rest": ("5XXError", "ApiName"), "http": ("5xx", "ApiId")}


def api_error_alarms(project: Project, fn: Function) -> list[ErrorAlarm]:
    """Alarms on the server errors (``5XXError``, ``5xx``) of the APIs in front of a function whose
    every trigger is an API route: a failing invocation is a 5xx answer there, so the API's alarm
    goes off when the function fails. A function with any other trigger gets none from here."""
    from slsreview.model.resources import ErrorAlarm

    routes = project.apis_of(fn)
    if not routes or len(routes) != len(fn.events) or any(api is None for _, api in routes):
        return []
    out: list[ErrorAlarm] = []
    for _, api in routes:
        assert api is not None
        metric, dimension = _SERVER_ERRORS[api.kind]
        name = api.properties.get("Name")
        found = [
            alarm
            for alarm in project.resources_of("AWS::CloudWatch::Alarm")
            if alarm.template == fn.template
            and alarm.properties.get("Namespace") == "AWS/ApiGateway"
            and alarm.properties.get("MetricName") == metric
            and any(
                isinstance(d, MapNode)
                and d.get("Name") == dimension
                and (refers_to(d.get("Value"), api.logical_id) or (name is not None and d.get("Value") == name))
                for d in alarm.properties.get("Dimensions") or ()
            )
        ]
        if not found:
            return []
        out.extend(ErrorAlarm(alarm, f"the {metric} metric of {api.name}") for alarm in found)
    return out

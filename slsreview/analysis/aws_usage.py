"""Which AWS services a handler's code uses, and whether that answer is complete.

Built on the facts (never on syntax): the SDK calls the analyzers name (``aws.s3.GetObject``,
read through the vocabulary's operation table), the SDK modules a JavaScript file imports, the
libraries that call AWS with the function's credentials (``slsreview.vocabulary.libraries``),
and calls on objects the analyzers could not identify whose method is an SDK method
(``table.put_item`` on a parameter). The answer is *complete* only when nothing else could call
AWS: every file parsed, every import read or known, no client for a service named at run time::

    usage = aws_usage(facts)
    usage.complete, usage.unknown        # False, ["src/app.py imports awswrangler, ..."]
    usage.uses("dynamodb")               # the evidence: calls, imports, libraries
    usage.calls                          # [(Call, Operation)] of the named SDK calls

Services are IAM prefixes (``states`` for Step Functions, ``bedrock`` for bedrock-runtime).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from slsreview.analysis.facts import Call, Facts, FileFacts, Import
from slsreview.location import Location
from slsreview.vocabulary import aws, libraries

# DynamoDB document client methods (JS v2 DocumentClient): a call on an unidentified object
# with one of these names may be one when the file uses the v2 SDK.
_DOCUMENT_METHODS = frozenset(aws.document_client_names("js-v2-method"))
# Python methods of builtin types and common objects that happen to be SDK method names
_PLAIN_METHODS = frozenset({"get", "put", "update", "delete", "send", "run", "start", "list", "describe"})


@dataclass(frozen=True, slots=True)
class Use:
    """One piece of evidence that the code uses a service."""

    prefix: str
    how: str  # "calls GetObject", "imports @aws-sdk/client-s3", "through aws_lambda_powertools.utilities.idempotency"
    loc: Location


@dataclass(slots=True)
class AwsUsage:
    evidence: dict[str, list[Use]] = field(default_factory=dict)  # IAM prefix -> evidence
    calls: list[tuple[Call, aws.Operation]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # why other services may be used too
    # calls on objects nobody identified, by method name and SDK form ("boto3", "js-v2"), with
    # where they are: matched against a service only when a rule asks about it
    unidentified: list[tuple[str, str, Location]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.unknown

    def uses(self, prefix: str) -> list[Use]:
        """Evidence that the code uses the service with this IAM prefix, the calls on objects
        that may be one of its clients included."""
        found = list(self.evidence.get(prefix, []))
        for method, form, loc in self.unidentified:
            for svc in aws.services_of_prefix(prefix):
                op = aws.boto3_operation(svc.name, method) if form == "boto3" else aws.js_v2_operation(svc.name, method)
                if op is not None or (form == "js-v2-document" and svc.name == "dynamodb"):
                    found.append(Use(prefix, f"may call {method} on a client it was handed", loc))
                    break
        return found

    def add(self, prefix: str, how: str, loc: Location) -> None:
        self.evidence.setdefault(prefix, []).append(Use(prefix, how, loc))


def aws_usage(facts: Facts, reachable_only: bool = False) -> AwsUsage:
    """What the handler's files use of AWS. With ``reachable_only`` only code reachable from the
    entry point counts; otherwise every call in the files (the safe side for "never used")."""
    usage = AwsUsage()
    v2 = any(imp.module == "aws-sdk" or imp.module.startswith("aws-sdk/") for f in facts.files for imp in f.imports)
    languages = languages_by_path(facts)
    for file in facts.files:
        _file_state(file, usage)
        for call in file.calls:
            if not reachable_only or facts.reachable(call.function):
                _call(call, file.language, usage, v2)
    for imp in facts.external_imports():
        _import(imp, languages.get(imp.loc.path, "python"), usage)
    return usage


def languages_by_path(facts: Facts) -> dict[str, libraries.Language]:
    """Each file's language by the path its locations carry (inline code's is the template's)."""
    out: dict[str, libraries.Language] = {}
    for file in facts.files:
        out.setdefault(file.path, file.language)
        out.setdefault(file.path.split("#", 1)[0], file.language)
    return out


def _file_state(file: FileFacts, usage: AwsUsage) -> None:
    if not file.complete:
        usage.unknown.append(f"{file.path} could not be analysed")
    elif file.syntax:
        usage.unknown.append(f"{file.path} is only partly parsed")


def _call(call: Call, language: str, usage: AwsUsage, v2: bool) -> None:
    if call.name.startswith("aws."):
        _, service_word, operation = [*call.name.split(".", 2), "", ""][:3]
        if service_word == "*":
            usage.unknown.append(f"{_at(call.loc)} calls {operation} on a client whose service is chosen at run time")
            return
        op = aws.operation_of_word(call.name)
        svc = aws.service_of_word(service_word)
        if op is not None:
            usage.calls.append((call, op))
            for prefix in dict.fromkeys(a.partition(":")[0] for a in op.actions):
                usage.add(prefix, f"calls {op.name}", call.loc)
        elif svc is not None and svc.iam_prefix:
            usage.add(svc.iam_prefix, f"calls {operation}", call.loc)
        else:
            usage.unknown.append(f"{_at(call.loc)} calls {call.name}, which slsreview cannot place")
        return
    if call.name:
        return
    # a call on an object the analyzer could not identify: an SDK client passed as a parameter?
    receiver, _, method = call.callee.rpartition(".")
    if not receiver or receiver.split(".", 1)[0] in _STDLIB_ROOTS:
        return
    if language == "python":
        if method in _PLAIN_METHODS:
            return
        if method in ("generate_presigned_url", "generate_presigned_post"):
            usage.add("s3", f"presigns a request ({method})", call.loc)
        elif method == "generate_db_auth_token":
            usage.add("rds-db", "creates an RDS IAM authentication token", call.loc)
        else:
            usage.unidentified.append((method, "boto3", call.loc))
    elif any(ch.isupper() for ch in method):
        usage.unidentified.append((method, "js-v2", call.loc))
    elif method in _DOCUMENT_METHODS and v2:
        usage.unidentified.append((method, "js-v2-document", call.loc))


_STDLIB_ROOTS = frozenset({"json", "os", "re", "logging", "time", "datetime", "math", "random", "uuid", "hashlib", "base64", "Math", "JSON", "Object", "Array", "console", "Date", "Promise", "crypto"})


def _import(imp: Import, language: libraries.Language, usage: AwsUsage) -> None:
    module = imp.module
    if language != "python" and module.startswith("."):
        usage.unknown.append(f"{_at(imp.loc)} imports {module}, which could not be read")
        return
    if libraries.is_builtin(module, language):
        return
    service_name = libraries.sdk_service(module, language)
    if service_name is not None:
        svc = aws.service(service_name)
        if svc is not None and svc.iam_prefix:
            usage.add(svc.iam_prefix, f"imports {module}", imp.loc)
        return
    found = libraries.library(module, language)
    if found is None:
        usage.unknown.append(f"{_at(imp.loc)} imports {module}, which slsreview does not read")
    elif found.services is None:
        usage.unknown.append(f"{_at(imp.loc)} imports {module}, which {found.why}")
    else:
        for prefix in found.services:
            usage.add(prefix, f"through {module}", imp.loc)


def _at(loc: Location) -> str:
    return f"{loc.path}:{loc.line}"

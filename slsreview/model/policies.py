"""Every IAM identity policy the templates write: each statement, each managed policy and SAM
policy template named, where it is written and whose permissions it becomes.

``grants_for`` answers "what may this function do"; this module answers "what does this
template grant, statement by statement", for rules about how a policy is written (a wildcard
action, a wildcard resource, a broad managed policy). A statement of a role shared by three
functions is one statement here, so a rule reports it once::

    for written in written_statements(project):
        written.grant.actions, written.node.loc("Action"), written.owner.functions
    for ref in policy_references(project):
        ref.kind, ref.name, ref.loc        # "managed", "AdministratorAccess", <the list item>

Sources: ``Policies`` of ``AWS::Serverless::Function`` (effective properties) and
``AWS::Serverless::StateMachine`` in all three SAM forms; ``Policies`` and ``ManagedPolicyArns``
of ``AWS::IAM::Role`` / ``User`` / ``Group``; the ``PolicyDocument`` of ``AWS::IAM::Policy``,
``AWS::IAM::ManagedPolicy`` and ``AWS::IAM::RolePolicy`` / ``UserPolicy`` / ``GroupPolicy``.
Trust policies (``AssumeRolePolicyDocument``) are not permissions and are not listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from slsreview.loaders.nodes import Intrinsic, ListNode, MapNode
from slsreview.location import Location
from slsreview.model.grants import Grant, _lift, read_document
from slsreview.model.project import Function, Resource
from slsreview.model.resources import refers_to

if TYPE_CHECKING:
    from slsreview.model.project import Project

SAM_FUNCTION = "AWS::Serverless::Function"
SAM_STATE_MACHINE = "AWS::Serverless::StateMachine"
_PRINCIPALS = ("AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group")
_ATTACHED = ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")
_ONE_PRINCIPAL = {"AWS::IAM::RolePolicy": "RoleName", "AWS::IAM::UserPolicy": "UserName", "AWS::IAM::GroupPolicy": "GroupName"}


@dataclass(frozen=True, slots=True)
class Owner:
    """The resource a policy is written on, and the Lambda functions whose role it becomes."""

    logical_id: str
    type: str
    template: str
    loc: Location
    functions: tuple[Function, ...] = ()

    @property
    def function(self) -> Function | None:
        """The one function concerned, for a finding's subject; None for none or several."""
        return self.functions[0] if len(self.functions) == 1 else None

    @property
    def label(self) -> str:
        """How messages name it: ``OrdersFunction``, ``role OrdersRole (used by OrdersFunction)``."""
        kind = {
            "AWS::IAM::Role": "role",
            "AWS::IAM::User": "user",
            "AWS::IAM::Group": "group",
            "AWS::IAM::Policy": "policy",
            "AWS::IAM::ManagedPolicy": "managed policy",
            SAM_STATE_MACHINE: "state machine",
        }.get(self.type, "policy" if self.type.startswith("AWS::IAM::") else "")
        if self.type == SAM_FUNCTION:
            return self.logical_id
        text = f"{kind} {self.logical_id}" if kind else self.logical_id
        if self.functions:
            text += f" (used by {', '.join(fn.name for fn in self.functions)})"
        return text


@dataclass(frozen=True, slots=True)
class WrittenStatement:
    """One statement of a policy document as written in a template."""

    grant: Grant
    node: MapNode  # the statement mapping
    owner: Owner
    policy: str  # the policy's name: PolicyName, the policy resource's id, or "inline"

    def entries(self, key: str) -> list[tuple[Any, Location]]:
        """Each entry of ``Action``/``NotAction``/``Resource``/``NotResource`` with its location."""
        value = self.node.get(key)
        if isinstance(value, ListNode):
            return [(item, value.loc(i)) for i, item in enumerate(value)]
        if value is None:
            return []
        return [(value, self.node.loc(key))]


@dataclass(frozen=True, slots=True)
class PolicyReference:
    """A managed policy (``AdministratorAccess``, an ARN) or a SAM policy template
    (``DynamoDBCrudPolicy: {TableName: ...}``) named in a template."""

    kind: Literal["managed", "template"]
    name: str  # a template's name; for a managed policy, its text (ARN or bare name), "" if unknown
    value: Any  # as written: the string, the intrinsic, or the template's arguments
    loc: Location  # the list item (managed) or the template's key (template)
    owner: Owner


def written_statements(project: Project) -> list[WrittenStatement]:
    memo = project._memo.get("written_statements")
    if memo is not None:
        return list(memo)
    out: list[WrittenStatement] = []
    for owner, document, name, loc in _documents(project):
        grants, _ = read_document(document, _template_resources(project, owner.template), name, loc)
        for grant in grants:
            if grant.node is not None:
                out.append(WrittenStatement(grant, grant.node, owner, name))
    project._memo["written_statements"] = out
    return list(out)


def policy_references(project: Project) -> list[PolicyReference]:
    out: list[PolicyReference] = []
    for owner, policies in _sam_policies(project):
        for entry, loc in _sam_entries(policies):
            entry = _lift(entry)
            if isinstance(entry, (str, Intrinsic)):
                out.append(PolicyReference("managed", _text(entry), entry, loc, owner))
            elif isinstance(entry, MapNode) and "Statement" not in entry and len(entry) == 1:
                ((name, arguments),) = entry.items()
                out.append(PolicyReference("template", name, arguments, entry.key_loc(name), owner))
    for resource in project.resources:
        if resource.type not in _PRINCIPALS:
            continue
        arns = _lift(resource.properties.get("ManagedPolicyArns"))
        if isinstance(arns, ListNode):
            owner = _owner(project, resource)
            for index, arn in enumerate(arns):
                arn = _lift(arn)
                out.append(PolicyReference("managed", _text(arn), arn, arns.loc(index), owner))
    return out


# -- gathering --------------------------------------------------------------------------------


def _documents(project: Project) -> list[tuple[Owner, Any, str, Location]]:
    found: list[tuple[Owner, Any, str, Location]] = []
    for owner, policies in _sam_policies(project):
        for entry, loc in _sam_entries(policies):
            entry = _lift(entry)
            if isinstance(entry, MapNode) and "Statement" in entry:
                found.append((owner, entry, "inline", loc))
    for resource in project.resources:
        props = resource.properties
        if resource.type in _PRINCIPALS:
            policies = _lift(props.get("Policies"))
            if isinstance(policies, ListNode):
                owner = _owner(project, resource)
                for index, item in enumerate(policies):
                    item = _lift(item)
                    if isinstance(item, MapNode):
                        name = item.get("PolicyName")
                        found.append((owner, item.get("PolicyDocument"), name if isinstance(name, str) else "inline", policies.loc(index)))
        elif resource.type in _ATTACHED or resource.type in _ONE_PRINCIPAL:
            found.append((_owner(project, resource), props.get("PolicyDocument"), resource.logical_id, resource.loc))
    return found


def _sam_policies(project: Project) -> list[tuple[Owner, Any]]:
    out: list[tuple[Owner, Any]] = []
    for fn in project.functions:
        if fn.resource.type == SAM_FUNCTION and "Role" not in fn.properties:
            located = fn.prop("Policies")
            if located is not None:
                owner = Owner(fn.name, SAM_FUNCTION, fn.template, fn.loc, (fn,))
                out.append((owner, (located.value, located.loc)))
    for resource in project.resources_of(SAM_STATE_MACHINE):
        if "Role" not in resource.properties and "Policies" in resource.properties:
            owner = Owner(resource.logical_id, SAM_STATE_MACHINE, resource.template, resource.loc)
            out.append((owner, (resource.properties["Policies"], resource.properties.loc("Policies"))))
    return out


def _sam_entries(policies: Any) -> list[tuple[Any, Location]]:
    """SAM's three forms: one managed policy name, one inline document, or a list of any."""
    value, loc = policies
    value = _lift(value)
    if isinstance(value, ListNode):
        return [(item, value.loc(i)) for i, item in enumerate(value)]
    return [(value, loc)]


def _owner(project: Project, resource: Resource) -> Owner:
    roles = _roles_of(project, resource)
    functions = tuple(
        fn
        for fn in project.functions
        if fn.template == resource.template and "Role" in fn.properties and any(refers_to(fn.properties["Role"], r) for r in roles)
    )
    return Owner(resource.logical_id, resource.type, resource.template, resource.loc, functions)


def _roles_of(project: Project, resource: Resource) -> list[str]:
    """The logical ids of the template's roles a resource's permissions end up on."""
    if resource.type == "AWS::IAM::Role":
        return [resource.logical_id]
    props = resource.properties
    named: list[Any] = []
    if resource.type in _ATTACHED:
        roles = _lift(props.get("Roles"))
        named = list(roles) if isinstance(roles, ListNode) else []
    elif resource.type == "AWS::IAM::RolePolicy":
        named = [props.get("RoleName")]
    out = [r.logical_id for r in project.resources_of("AWS::IAM::Role") if r.template == resource.template and any(refers_to(_lift(n), r.logical_id) for n in named)]
    if resource.type == "AWS::IAM::ManagedPolicy":
        # a role may instead list the managed policy in its ManagedPolicyArns
        for role in project.resources_of("AWS::IAM::Role"):
            arns = _lift(role.properties.get("ManagedPolicyArns"))
            if role.template == resource.template and isinstance(arns, ListNode) and any(refers_to(_lift(a), resource.logical_id) for a in arns):
                out.append(role.logical_id)
    return list(dict.fromkeys(out))


def _template_resources(project: Project, template: str) -> list[Resource]:
    return project.in_template(template)


def _text(value: Any) -> str:
    """A managed policy as text: the string, or a ``!Sub``/``!Join`` of literals and pseudo
    parameters (``arn:${AWS::Partition}:iam::aws:policy/X``); "" when something is unknown."""
    if isinstance(value, str):
        return value
    if isinstance(value, Intrinsic):
        if value.name == "Fn::Sub" and isinstance(value.value, str):
            return value.value
        if value.name == "Fn::Join" and isinstance(value.value, list) and len(value.value) == 2:
            delimiter, items = value.value
            if isinstance(delimiter, str) and isinstance(items, list):
                parts = []
                for item in items:
                    item = _lift(item)
                    if isinstance(item, str):
                        parts.append(item)
                    elif isinstance(item, Intrinsic) and item.name == "Ref" and isinstance(item.value, str) and item.value.startswith("AWS::"):
                        parts.append("${" + item.value + "}")
                    else:
                        return ""
                return delimiter.join(parts)
    return ""

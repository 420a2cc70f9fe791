"""Adopting what an interrupted deploy created but never recorded, and resuming its apply.

Terraform writes state periodically during apply; killed in between, it leaves resources in AWS
that its state does not list. A plain re-run would then create duplicates (a second set of
endpoints) or fail (the IAM role, log group and security group rules already exist). Every
resource here has a deterministic name or Name tag, so before applying we look up each
instance the configuration expects but the state lacks, and adopt what we find with Terraform
import blocks. Names are unique per account (the IAM role name already forces it), so a
resource with our name is ours.

Interrupted (Ctrl-C), Terraform stops gracefully and records what it was creating as tainted:
the next plan would replace it, which prevent_destroy refuses for a protected network. So
`deploy` marks each apply it starts (APPLY_MARKER) and, finding the mark of one that did not end
on its own, untaints what that apply left: each resource then converges in place from what it
is (the attributes set after creation, such as DNS flags or a key policy, are planned as
updates), and one that truly needs replacing is still planned so.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from modules.kernel.errors import CommandError
from modules.kernel.instances import Instance, expected_instances

IMPORTS_FILE = "recovery_imports.tf.json"
_REF = re.compile(r"^\$\{(\w+)\.(\w+)(?:\[\"(\w+)\"\])?\.(\w+)\}$")


class Finder:
    """Looks up live resources by the names and tags the configuration gives them."""

    def __init__(self, client: Callable[[str], Any], ids: dict[str, str]) -> None:
        self.client = client
        self.ids = dict(ids)  # address -> id, from state, completed as orphans are found

    def id_of(self, reference: Any) -> str | None:
        """The id behind ``${type.name["key"].attribute}``, if known."""
        match = _REF.match(str(reference))
        if not match:
            return None
        terraform_type, name, key, _ = match.groups()
        return self.ids.get(f"{terraform_type}.{name}" + (f'["{key}"]' if key else ""))

    def vpc_id(self, instances: list[Instance]) -> str | None:
        return next(
            (
                self.ids[i.address]
                for i in instances
                if i.terraform_type == "aws_vpc" and i.address in self.ids
            ),
            None,
        )

    def find(self, instance: Instance, vpc_id: str | None) -> str | None:
        finder = getattr(self, f"_{instance.terraform_type}", None)
        return finder(instance.body, vpc_id) if finder else None

    @staticmethod
    def _one(kind: str, name: str, ids: list[str]) -> str | None:
        if len(ids) > 1:
            raise CommandError(
                f"Found {len(ids)} {kind}s named {name!r} ({', '.join(ids)}): an interrupted "
                "deploy left duplicates. Delete the ones not in use, then deploy again."
            )
        return ids[0] if ids else None

    def _by_tag(
        self,
        kind: str,
        describe: str,
        key: str,
        id_field: str,
        body: dict[str, Any],
        vpc_id: str | None,
        alive: Callable[[dict[str, Any]], bool] = lambda _: True,
    ) -> str | None:
        name = body.get("tags", {}).get("Name")
        if not name:
            return None
        filters = [{"Name": "tag:Name", "Values": [name]}]
        if vpc_id and kind != "VPC":
            filters.append({"Name": "vpc-id", "Values": [vpc_id]})
        found = getattr(self.client("ec2"), describe)(Filters=filters)[key]
        return self._one(kind, name, [item[id_field] for item in found if alive(item)])

    def _aws_vpc(self, body: dict[str, Any], vpc_id: str | None) -> str | None:
        return self._by_tag("VPC", "describe_vpcs", "Vpcs", "VpcId", body, None)

    def _aws_subnet(self, body: dict[str, Any], vpc_id: str | None) -> str | None:
        return (
            self._by_tag("subnet", "describe_subnets", "Subnets", "SubnetId", body, vpc_id)
            if vpc_id
            else None
        )

    def _aws_route_table(self, body: dict[str, Any], vpc_id: str | None) -> str | None:
        return (
            self._by_tag(
                "route table", "describe_route_tables", "RouteTables", "RouteTableId", body, vpc_id
            )
            if vpc_id
            else None
        )

    def _aws_security_group(self, body: dict[str, Any], vpc_id: str | None) -> str | None:
        return (
            self._by_tag(
                "security group",
                "describe_security_groups",
                "SecurityGroups",
                "GroupId",
                body,
                vpc_id,
            )
            if vpc_id
            else None
        )

    def _aws_vpc_endpoint(self, body: dict[str, Any], vpc_id: str | None) -> str | None:
        if not vpc_id:
            return None
        return self._by_tag(
            "VPC endpoint",
            "describe_vpc_endpoints",
            "VpcEndpoints",
            "VpcEndpointId",
            body,
            vpc_id,
            alive=lambda e: e["State"].lower() not in ("deleted", "deleting", "failed"),
        )

    def _aws_flow_log(self, body: dict[str, Any], vpc_id: str | None) -> str | None:
        if not vpc_id:
            return None
        logs = self.client("ec2").describe_flow_logs(
            Filters=[{"Name": "resource-id", "Values": [vpc_id]}]
        )["FlowLogs"]
        name = body.get("tags", {}).get("Name")
        return self._one(
            "flow log",
            str(name),
            [f["FlowLogId"] for f in logs if {"Key": "Name", "Value": name} in f.get("Tags", [])],
        )

    def _aws_default_security_group(self, body: dict[str, Any], vpc_id: str | None) -> str | None:
        if not vpc_id:
            return None
        groups = self.client("ec2").describe_security_groups(
            Filters=[
                {"Name": "vpc-id", "Values": [vpc_id]},
                {"Name": "group-name", "Values": ["default"]},
            ]
        )["SecurityGroups"]
        return groups[0]["GroupId"] if groups else None

    def _aws_route_table_association(self, body: dict[str, Any], vpc_id: str | None) -> str | None:
        subnet, table = self.id_of(body.get("subnet_id")), self.id_of(body.get("route_table_id"))
        if not subnet or not table:
            return None
        tables = self.client("ec2").describe_route_tables(RouteTableIds=[table])["RouteTables"]
        associated = any(
            a.get("SubnetId") == subnet for t in tables for a in t.get("Associations", [])
        )
        return f"{subnet}/{table}" if associated else None

    def _rule(self, body: dict[str, Any], egress: bool) -> str | None:
        # Within one of our groups, direction, port and description identify a rule of rules.json.
        group = self.id_of(body.get("security_group_id"))
        if not group:
            return None
        rules = self.client("ec2").describe_security_group_rules(
            Filters=[{"Name": "group-id", "Values": [group]}]
        )["SecurityGroupRules"]
        matches = [
            r["SecurityGroupRuleId"]
            for r in rules
            if r["IsEgress"] == egress
            and r.get("Description") == body.get("description")
            and str(r.get("FromPort")) == str(body.get("from_port"))
        ]
        return self._one("security group rule", str(body.get("description")), matches)

    def _aws_vpc_security_group_ingress_rule(
        self, body: dict[str, Any], vpc_id: str | None
    ) -> str | None:
        return self._rule(body, egress=False)

    def _aws_vpc_security_group_egress_rule(
        self, body: dict[str, Any], vpc_id: str | None
    ) -> str | None:
        return self._rule(body, egress=True)

    def _aws_kms_key(self, body: dict[str, Any], vpc_id: str | None) -> str | None:
        kms = self.client("kms")
        name = body.get("tags", {}).get("Name")
        found = []
        for key in kms.list_keys()["Keys"]:
            metadata = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
            if metadata["KeyState"] != "Enabled" or metadata.get("Description") != body.get(
                "description"
            ):
                continue
            tags = kms.list_resource_tags(KeyId=key["KeyId"]).get("Tags", [])
            if {"TagKey": "Name", "TagValue": name} in tags:
                found.append(key["KeyId"])
        return self._one("KMS key", str(name), found)

    def _aws_kms_alias(self, body: dict[str, Any], vpc_id: str | None) -> str | None:
        aliases = self.client("kms").list_aliases()["Aliases"]
        return body["name"] if any(a["AliasName"] == body["name"] for a in aliases) else None

    def _aws_cloudwatch_log_group(self, body: dict[str, Any], vpc_id: str | None) -> str | None:
        groups = self.client("logs").describe_log_groups(logGroupNamePrefix=body["name"])[
            "logGroups"
        ]
        return body["name"] if any(g["logGroupName"] == body["name"] for g in groups) else None

    def _aws_iam_role(self, body: dict[str, Any], vpc_id: str | None) -> str | None:
        iam = self.client("iam")
        try:
            return str(iam.get_role(RoleName=body["name"])["Role"]["RoleName"])
        except iam.exceptions.NoSuchEntityException:
            return None

    def _aws_iam_role_policy(self, body: dict[str, Any], vpc_id: str | None) -> str | None:
        role = self.id_of(body.get("role"))
        if not role:
            return None
        names = self.client("iam").list_role_policies(RoleName=role)["PolicyNames"]
        return f"{role}:{body['name']}" if body["name"] in names else None


# Lookups that need the ids of others come after them. The KMS key comes last: finding it lists
# every key of the account, so it is looked for only when something else of ours was found.
ORDER = [
    "aws_vpc",
    "aws_iam_role",
    "aws_iam_role_policy",
    "aws_cloudwatch_log_group",
    "aws_kms_alias",
    "aws_subnet",
    "aws_route_table",
    "aws_route_table_association",
    "aws_default_security_group",
    "aws_security_group",
    "aws_vpc_endpoint",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
    "aws_flow_log",
    "aws_kms_key",
]


def orphans(
    stack: dict[str, Any], state_ids: dict[str, str], client: Callable[[str], Any]
) -> dict[str, str]:
    """Address -> import id of every expected instance that exists in AWS but not in state."""
    instances = expected_instances(stack)
    missing = [i for i in instances if i.address not in state_ids]
    if not missing:
        return {}
    finder = Finder(client, state_ids)
    found: dict[str, str] = {}
    for terraform_type in ORDER:
        if terraform_type == "aws_kms_key" and not found and len(state_ids) == 0:
            continue  # nothing of ours exists: a first deploy, not an interrupted one
        for instance in (i for i in missing if i.terraform_type == terraform_type):
            resource_id = finder.find(instance, finder.vpc_id(instances))
            if resource_id:
                found[instance.address] = resource_id
                # Later lookups refer to it by id (rules need their group's id, etc.).
                finder.ids[instance.address] = (
                    resource_id.split(":")[0]
                    if terraform_type == "aws_iam_role_policy"
                    else resource_id
                )
    return found


def write_import_blocks(stack_dir: Path, found: dict[str, str]) -> Path:
    path = stack_dir / IMPORTS_FILE
    path.write_text(
        json.dumps(
            {
                "import": [
                    {"to": address, "id": resource_id}
                    for address, resource_id in sorted(found.items())
                ]
            },
            indent=2,
        )
    )
    return path


def _instances(state: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(address, instance) of every managed resource instance of a raw state (`terraform state
    pull`, format 4): read without the provider's schemas, which `show -json` loads (seconds)."""
    for resource in state.get("resources", []):
        if resource.get("mode") != "managed":
            continue
        prefix = f"{resource['module']}." if resource.get("module") else ""
        base = f"{prefix}{resource['type']}.{resource['name']}"
        for instance in resource.get("instances", []):
            key = instance.get("index_key")
            index = "" if key is None else f"[{json.dumps(key)}]"
            yield base + index, instance


def state_ids(state: dict[str, Any]) -> dict[str, str]:
    """Address -> id of every managed instance of a raw state (`terraform state pull`)."""
    return {
        address: str(instance["attributes"]["id"])
        for address, instance in _instances(state)
        if (instance.get("attributes") or {}).get("id")
    }


# ---- resuming an interrupted apply ------------------------------------------------------------

#: Written beside the state before `deploy` applies, removed when the apply ends on its own: left
#: behind, it says the last apply was interrupted (Ctrl-C, a killed process, a lost machine).
APPLY_MARKER = "apply-in-progress.json"


def tainted(state: dict[str, Any]) -> list[str]:
    """The addresses a raw state (`terraform state pull`) marks tainted (for replacement)."""
    return sorted(a for a, instance in _instances(state) if instance.get("status") == "tainted")


#: Written when an apply fails (Terraform killed, AWS refusing, the emulator gone), removed when
#: one succeeds: what it created may not be in the state, so the next deploy looks for it.
FAILED_MARKER = "apply-failed.json"


@contextlib.contextmanager
def applying(target_dir: Path, stack: str) -> Iterator[None]:
    """The marker of an apply in progress, for the block: kept when the block is interrupted
    (KeyboardInterrupt, or the process dies), removed when it ends on its own, failed or not;
    a failure leaves the failed marker instead, a success neither."""
    marker, failed = target_dir / APPLY_MARKER, target_dir / FAILED_MARKER
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    marker.write_text(json.dumps({"stack": stack, "started": started}))
    try:
        yield
    except KeyboardInterrupt:
        raise
    except BaseException:
        failed.write_text(json.dumps({"stack": stack, "started": started}))
        marker.unlink(missing_ok=True)
        raise
    marker.unlink(missing_ok=True)
    failed.unlink(missing_ok=True)


def unfinished(target_dir: Path) -> bool:
    """Whether the last apply here did not succeed (interrupted or failed): it may have created
    what the state does not record. False after a success, and before any apply."""
    return (target_dir / APPLY_MARKER).is_file() or (target_dir / FAILED_MARKER).is_file()


def interrupted(target_dir: Path) -> str | None:
    """When the apply that did not end on its own started; None when the last one ended."""
    marker = target_dir / APPLY_MARKER
    if not marker.is_file():
        return None
    try:
        return str(json.loads(marker.read_text()).get("started") or "an unknown time")
    except ValueError:
        return "an unknown time"

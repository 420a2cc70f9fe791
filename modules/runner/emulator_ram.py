"""The emulator's AWS RAM as AWS answers it, for the subnet share (modules/subnet_sharing).

moto 5.2.5's RAM creates, lists and deletes resource shares, but: it has no
AssociateResourceShare, DisassociateResourceShare or ListResourceSharePermissions (Terraform
calls all three); it keeps no tags (every plan would re-add them); GetResourceShares ignores
its resourceShareArns and name filters (Terraform reads a share by ARN and expects that one);
it reports an association status equal to whatever status the caller filtered on, and the
associations of a deleted share as if it were not. Here
each is answered as the RAM API reference describes, in memory, nothing else changed.
"""

from __future__ import annotations

import json
from typing import Any

#: RAM's REST paths this module adds to moto's (moto routes by path).
ADDED_PATHS = (
    "associateresourceshare",
    "disassociateresourceshare",
    "listresourcesharepermissions",
    "tagresource",
    "untagresource",
)
#: The permission AWS attaches to a share of subnets (AWS-managed, one version).
SUBNET_PERMISSION = "arn:aws:ram::aws:permission/AWSRAMDefaultPermissionSubnet"


def _share(backend: Any, arn: str | None) -> Any:
    from moto.ram.exceptions import UnknownResourceException

    for share in backend.resource_shares:
        if share.arn == arn and share.status != "DELETED":
            return share
    raise UnknownResourceException(f"ResourceShare {arn} could not be found.")


def _association(share: Any, entity: str, kind: str, status: str) -> dict[str, Any]:
    return {
        "resourceShareArn": share.arn,
        "resourceShareName": share.name,
        "associatedEntity": entity,
        "associationType": kind,
        "status": status,
        "external": False,
    }


def _answer(share: Any, principals: list[str], resources: list[str], status: str) -> str:
    """The body of Associate/DisassociateResourceShare: one association per entity."""
    return json.dumps(
        {
            "resourceShareAssociations": [
                _association(share, p, "PRINCIPAL", status) for p in principals
            ]
            + [_association(share, r, "RESOURCE", status) for r in resources]
        }
    )


def _tags(pairs: Any) -> dict[str, str]:
    return {pair["key"]: pair.get("value", "") for pair in pairs or []}


def _keep_tags() -> None:
    """Resource shares keep the tags they are created with, and describe them."""
    from moto.ram.models import ResourceShare

    original_init, original_describe = ResourceShare.__init__, ResourceShare.describe

    def __init__(self: Any, account_id: str, region: str, **kwargs: Any) -> None:
        original_init(self, account_id, region, **kwargs)
        self.tags = _tags(kwargs.get("tags"))

    def describe(self: Any) -> dict[str, Any]:
        found = original_describe(self)
        found["tags"] = [{"key": k, "value": v} for k, v in sorted(self.tags.items())]
        return found

    ResourceShare.__init__ = __init__  # type: ignore[method-assign]
    ResourceShare.describe = describe  # type: ignore[method-assign]


# The RAM operations as AWS answers them: methods of moto's ResourceAccessManagerResponse.


def get_resource_shares(self: Any) -> str:
    params = self.request_params
    found = self.ram_backend.get_resource_shares(params.get("resourceOwner"))
    arns, name = params.get("resourceShareArns"), params.get("name")
    status = params.get("resourceShareStatus")
    found["resourceShares"] = [
        share
        for share in found["resourceShares"]
        if (not arns or share["resourceShareArn"] in arns)
        and (name is None or share["name"] == name)
        and (status is None or share["status"] == status)
    ]
    return json.dumps(found)


def get_resource_share_associations(self: Any) -> str:
    params = self.request_params
    wanted = params.get("associationStatus")
    found = self.ram_backend.get_resource_share_associations(
        params.get("associationType"),
        None,
        params.get("resourceShareArns", []),
        params.get("resourceArn"),
        params.get("principal"),
    )
    deleted = {r.arn for r in self.ram_backend.resource_shares if r.status == "DELETED"}
    found["resourceShareAssociations"] = [
        a
        for a in found["resourceShareAssociations"]
        if wanted in (None, a["status"]) and a["resourceShareArn"] not in deleted
    ]
    return json.dumps(found)


def associate_resource_share(self: Any) -> str:
    params = self.request_params
    share = _share(self.ram_backend, params.get("resourceShareArn"))
    principals = [p for p in params.get("principals", []) if p not in share.principals]
    resources = [r for r in params.get("resourceArns", []) if r not in share.resource_arns]
    share.add_principals(principals)
    share.add_resources(resources)
    return _answer(share, principals, resources, "ASSOCIATED")


def disassociate_resource_share(self: Any) -> str:
    params = self.request_params
    share = _share(self.ram_backend, params.get("resourceShareArn"))
    principals, resources = params.get("principals", []), params.get("resourceArns", [])
    share.principals = [p for p in share.principals if p not in principals]
    share.resource_arns = [r for r in share.resource_arns if r not in resources]
    return _answer(share, principals, resources, "DISASSOCIATING")


def list_resource_share_permissions(self: Any) -> str:
    share = _share(self.ram_backend, self.request_params.get("resourceShareArn"))
    subnets = any(":subnet/" in arn for arn in share.resource_arns)
    permissions = (
        [
            {
                "arn": SUBNET_PERMISSION,
                "version": "1",
                "defaultVersion": True,
                "name": "AWSRAMDefaultPermissionSubnet",
                "resourceType": "ec2:Subnet",
                "status": "ASSOCIATED",
                "isResourceTypeDefault": True,
                "permissionType": "AWS_MANAGED",
            }
        ]
        if subnets
        else []
    )
    return json.dumps({"permissions": permissions})


def tag_resource(self: Any) -> str:
    params = self.request_params
    _share(self.ram_backend, params.get("resourceShareArn")).tags.update(_tags(params.get("tags")))
    return json.dumps({})


def untag_resource(self: Any) -> str:
    params = self.request_params
    share = _share(self.ram_backend, params.get("resourceShareArn"))
    for key in params.get("tagKeys", []):
        share.tags.pop(key, None)
    return json.dumps({})


RESPONSES = (
    get_resource_shares,
    get_resource_share_associations,
    associate_resource_share,
    disassociate_resource_share,
    list_resource_share_permissions,
    tag_resource,
    untag_resource,
)


def install() -> None:
    """Patch moto's RAM backend and responses, and route the added paths."""
    from moto.ram import urls
    from moto.ram.responses import ResourceAccessManagerResponse

    _keep_tags()
    for method in RESPONSES:
        setattr(ResourceAccessManagerResponse, method.__name__, method)
    for path in ADDED_PATHS:
        urls.url_paths[f"{{0}}/{path}$"] = ResourceAccessManagerResponse.dispatch

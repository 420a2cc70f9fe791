"""Base construct for our modules: readable, stable Terraform addresses and instance references."""
from __future__ import annotations

from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from cdktf import Fn, TerraformElement, TerraformResourceLifecycle, Token
from constructs import Construct

Element = TypeVar("Element", bound=TerraformElement)
Arguments = ParamSpec("Arguments")


class Module(Construct):
    """A construct whose Terraform elements are named ``<module path>_<name>``.

    cdktf appends an 8-character hash to every logical id (``network_this_51C886AC``). Logical
    ids are state addresses, so we pin them instead: ``aws_vpc.network_this`` mirrors
    ``module.network.aws_vpc.this`` in the HCL twin. Renaming one destroys and recreates the
    resource, so names are chosen once and kept.
    """

    def add(
        self,
        element_class: Callable[Concatenate[Construct, str, Arguments], Element],
        name: str,
        /,
        *args: Arguments.args,
        **kwargs: Arguments.kwargs,
    ) -> Element:
        """Create ``element_class`` in this module as Terraform ``<type>.<module path>_<name>``.

        Like Terraform, names are unique per type: a subnet and a route table may both be
        ``private``. The construct id carries the type to keep construct ids unique.
        """
        terraform_type = getattr(element_class, "TF_RESOURCE_TYPE")
        element = element_class(self, f"{terraform_type}.{name}", *args, **kwargs)
        # Must happen before anything reads the id: cdktf caches it on first use.
        element.override_logical_id("_".join([*self.node.path.split("/")[1:], name]))
        return element


def instance_attribute(resource: TerraformElement, key: str, attribute: str) -> str:
    """``${<type>.<name>["<key>"].<attribute>}`` for one instance of a for_each resource."""
    return Token.as_string(Fn.lookup_nested(resource, [f'"{key}"', attribute]))


def protected(prevent_destroy: bool) -> TerraformResourceLifecycle | None:
    """``lifecycle { prevent_destroy = true }`` when asked for; otherwise no lifecycle block."""
    return TerraformResourceLifecycle(prevent_destroy=True) if prevent_destroy else None


def dashed(key: str) -> str:
    """A catalog or role key as it appears in AWS names and Name tags (``agent_runtime`` ->
    ``agent-runtime``)."""
    return key.replace("_", "-")

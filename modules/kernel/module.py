"""Base construct for our modules: readable, stable Terraform addresses and instance references."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from constructs import Construct

from modules.kernel.core import TerraformElement, TerraformResourceLifecycle, Token

Element = TypeVar("Element", bound=TerraformElement)
Arguments = ParamSpec("Arguments")


class Module(Construct):
    """A construct whose Terraform elements are named ``<module path>_<name>``.

    cdktf appends an 8-character hash to every logical id (``network_this_51C886AC``). Logical
    ids are state addresses, so we pin them instead: ``aws_vpc.network_this`` mirrors
    ``module.network.aws_vpc.this`` in the HCL twin. Renaming one destroys and recreates the
    resource, so names are chosen once and kept.

    ``address_prefix`` replaces the module path in those names: a construct composed inside
    another (the Network's FlowLogs) can keep the addresses its parent's HCL twin gives them.
    """

    def __init__(
        self, scope: Construct, construct_id: str, *, address_prefix: str | None = None
    ) -> None:
        super().__init__(scope, construct_id)
        self._address_prefix = address_prefix

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
        terraform_type = _terraform_type(element_class)
        element = element_class(self, f"{terraform_type}.{name}", *args, **kwargs)
        # Must happen before anything reads the id: cdktf caches it on first use.
        logical_id = f"{self._logical_prefix}_{name}"
        element.override_logical_id(logical_id)
        # Its address, known here for free; references to its instances are built from it
        # instead of asking jsii (see instance_attribute).
        setattr(element, "_terraform_address", f"{terraform_type}.{logical_id}")
        return element

    @functools.cached_property
    def _logical_prefix(self) -> str:
        # Asked once per module: every jsii call is a round trip to the Node process.
        return self._address_prefix or "_".join(self.node.path.split("/")[1:])


@functools.cache
def _terraform_type(element_class: object) -> str:
    # A jsii static property: one round trip to Node per class, not per resource.
    return str(getattr(element_class, "TF_RESOURCE_TYPE"))


@functools.cache
def null() -> object:
    """Terraform's ``null``, as a token (asked of jsii once)."""
    return Token.null_value()


def address(resource: TerraformElement) -> str:
    """``<type>.<logical id>`` of a resource created by :meth:`Module.add`."""
    return str(getattr(resource, "_terraform_address"))


def reference(resource: TerraformElement, attribute: str) -> str:
    """``${<type>.<name>.<attribute>}``: the token cdktf's attribute getters resolve to."""
    return f"${{{address(resource)}.{attribute}}}"


def instance_attribute(resource: TerraformElement, key: str, attribute: str) -> str:
    """``${<type>.<name>["<key>"].<attribute>}`` for one instance of a for_each resource.

    The string cdktf's Fn.lookup_nested would produce, built in Python: each jsii call is a round
    trip to the Node process, and a stack makes dozens of these references.
    """
    return f'${{{address(resource)}["{key}"].{attribute}}}'


def each(attribute: str) -> str:
    """``${each.value.<attribute>}``: what TerraformIterator.get_string returns, without asking
    jsii. Numbers and booleans keep the iterator's typed tokens (the bindings check types)."""
    return f"${{each.value.{attribute}}}"


def for_each_map(resource: TerraformElement, value: str) -> str:
    """``${{ for key, val in <type>.<name>: key => <value> }}`` (cdktf's for_expression_for_map)."""
    return f"${{{{ for key, val in {address(resource)}: key => {value} }}}}"


def protected(prevent_destroy: bool) -> TerraformResourceLifecycle | None:
    """``lifecycle { prevent_destroy = true }`` when asked for; otherwise no lifecycle block."""
    return TerraformResourceLifecycle(prevent_destroy=True) if prevent_destroy else None


def dashed(key: str) -> str:
    """A catalog or role key as it appears in AWS names and Name tags (``agent_runtime`` ->
    ``agent-runtime``)."""
    return key.replace("_", "-")

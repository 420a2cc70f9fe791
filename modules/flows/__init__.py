"""Flows: what the AgentCore workloads send through the network, as data (flows.json), the
endpoint policies and rules that follow from them, and the proof that each one gets through."""

from modules.flows.model import (
    Call,
    Flow,
    FlowCatalog,
    FlowsError,
    Workload,
    flow_catalog,
    load_flows,
)

__all__ = ["Call", "Flow", "FlowCatalog", "FlowsError", "Workload", "flow_catalog", "load_flows"]

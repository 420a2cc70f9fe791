################################################################################
# Security groups and the only traffic they allow. Twin of
# modules/security_groups/construct.py; both read ../../facts/rules.json, and the flows
# (../../facts/flows.json) that decide which egress rules are in use.
################################################################################

locals {
  rule_set  = jsondecode(file("${path.module}/../../facts/rules.json"))
  flow_data = jsondecode(file("${path.module}/../../facts/flows.json"))
  catalog   = jsondecode(file("${path.module}/../../facts/catalog.json"))

  flows       = sort(var.flows == null ? [for key, flow in local.flow_data.flows : key if flow.default] : var.flows)
  known_flows = [for key in local.flows : key if contains(keys(local.flow_data.flows), key)]

  # "<group>><peer>" for every group a selected flow sends from and every peer a call
  # reaches: the endpoint group for interface endpoints, the prefix list for gateways, the
  # target group for a call inside the VPC (the data tier).
  needed_egress = toset(flatten([
    for flow in local.known_flows : [
      for source in local.flow_data.flows[flow].sources : [
        for call in local.flow_data.flows[flow].calls :
        "${local.flow_data.workloads[source].security_group}>${try(call.target, local.catalog.endpoints[call.endpoint].type == "Gateway" ? call.endpoint : "vpc_endpoints")}"
      ]
    ]
  ]))

  # The groups: the endpoint group, each workload's, and a group only calls target (the data
  # tier) when a selected flow reaches it.
  group_keys = toset(concat(
    ["vpc_endpoints"],
    [for workload in local.flow_data.workloads : workload.security_group],
    flatten([for flow in local.known_flows : [for call in local.flow_data.flows[flow].calls : try(call.target, [])]]),
  ))
  groups = { for key, group in local.rule_set.groups : key => group if contains(local.group_keys, key) }

  # The egress rules the flows need. The endpoint group's ingress from the VPC CIDR
  # (endpoint_ingress = "vpc"), or from each group whose egress to it a flow needs
  # ("workloads"); any other group's ingress from each group whose egress to it a flow needs.
  rules_in_use = {
    for key, rule in local.rule_set.rules : key => rule
    if(rule.direction == "egress" ? contains(local.needed_egress, "${rule.group}>${try(rule.security_group, rule.prefix_list, rule.cidr)}")
      : can(rule.cidr) ? var.endpoint_ingress == "vpc"
      : rule.group == "vpc_endpoints" && var.endpoint_ingress != "workloads" ? false
    : contains(local.needed_egress, "${try(rule.security_group, "")}>${rule.group}"))
  }

  # Every rule carries every peer attribute, null where unused, so that each for_each
  # map is homogeneous (one object type).
  rules = {
    for key, rule in local.rules_in_use : key => {
      direction                    = rule.direction
      security_group_id            = aws_security_group.this[rule.group].id
      port                         = rule.port
      description                  = rule.description
      cidr_ipv4                    = try(rule.cidr, null) == "vpc" ? var.vpc_cidr_block : null
      referenced_security_group_id = can(rule.security_group) ? aws_security_group.this[rule.security_group].id : null
      prefix_list_id               = can(rule.prefix_list) ? lookup(var.prefix_list_ids, rule.prefix_list, null) : null
    }
  }

  # Rules whose peer is a gateway endpoint's prefix list, in key order.
  prefix_list_rules = [
    for key in sort(keys(local.rules_in_use)) : { key = key, peer = local.rules_in_use[key].prefix_list }
    if can(local.rules_in_use[key].prefix_list)
  ]
}

################################################################################
# Groups: no inline rules, so Terraform removes AWS's default allow-all egress
################################################################################

resource "aws_security_group" "this" {
  for_each = local.groups

  name_prefix = "${var.name}-${replace(each.key, "_", "-")}-"
  description = each.value.description
  vpc_id      = var.vpc_id

  tags = merge(var.tags, {
    Name = "${var.name}-${replace(each.key, "_", "-")}"
  })

  # AgentCore runtime ENIs can hold a group for hours after the runtime is gone.
  timeouts {
    delete = "60m"
  }

  # A replacement group exists before the old one goes, so attachments never point
  # at nothing; name_prefix lets both exist at once.
  lifecycle {
    create_before_destroy = true
  }
}

################################################################################
# Rules: one resource per rule in use, each with a description
################################################################################

resource "aws_vpc_security_group_ingress_rule" "ingress" {
  for_each = { for key, rule in local.rules : key => rule if rule.direction == "ingress" }

  security_group_id            = each.value.security_group_id
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  description                  = each.value.description
  cidr_ipv4                    = each.value.cidr_ipv4
  referenced_security_group_id = each.value.referenced_security_group_id
  prefix_list_id               = each.value.prefix_list_id
}

resource "aws_vpc_security_group_egress_rule" "egress" {
  for_each = { for key, rule in local.rules : key => rule if rule.direction == "egress" }

  security_group_id            = each.value.security_group_id
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  description                  = each.value.description
  cidr_ipv4                    = each.value.cidr_ipv4
  referenced_security_group_id = each.value.referenced_security_group_id
  prefix_list_id               = each.value.prefix_list_id
}

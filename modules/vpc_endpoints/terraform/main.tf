################################################################################
# VPC endpoints of the catalog. Twin of modules/vpc_endpoints/construct.py.
# The catalog (../../facts/catalog.json) and the flows (../../facts/flows.json) are the same
# files the Python construct reads: each policy allows exactly the selected flows' calls.
################################################################################

locals {
  catalog   = jsondecode(file("${path.module}/../../facts/catalog.json"))
  flow_data = jsondecode(file("${path.module}/../../facts/flows.json"))
  aws       = jsondecode(file("${path.module}/../../facts/aws_constraints.json"))
  partition = startswith(var.region, "us-gov-") ? "aws-us-gov" : "aws"

  # The selected flows, sorted (as the Python construct sorts them). Default: those marked default.
  flows       = sort(var.flows == null ? [for key, flow in local.flow_data.flows : key if flow.default] : var.flows)
  known_flows = [for key in local.flows : key if contains(keys(local.flow_data.flows), key)]

  # Endpoint -> the selected flows that go through it; default selection: exactly these endpoints.
  # (A call to a group inside the VPC, the data tier, names no endpoint.)
  flow_endpoints   = { for key, flow in local.flow_data.flows : key => distinct(compact([for call in flow.calls : try(call.endpoint, "")])) }
  needed           = { for key in keys(local.catalog.endpoints) : key => [for flow in local.known_flows : flow if contains(local.flow_endpoints[flow], key)] }
  needed_endpoints = [for key, flows in local.needed : key if length(flows) > 0]
  selected         = var.endpoints == null ? local.needed_endpoints : var.endpoints
  known            = [for key in local.selected : key if contains(keys(local.catalog.endpoints), key)]

  unconfirmed_features = flatten([
    for flow in local.known_flows : [
      for feature in try(local.flow_data.flows[flow].agentcore, []) : { flow = flow, feature = feature }
      if contains(try(local.aws.regions[var.region].unconfirmed, []), "agentcore.${feature}")
    ]
  ])

  # The perimeter (modules/flows/policies.py, Perimeter; help/sources.md#perimeter-examples).
  # Identity: the calls only workloads sign carry aws:PrincipalAccount (this account and the
  # participant accounts) or aws:PrincipalOrgID; "any" opts out. Resource: with participants,
  # whose workloads reach their own resources, ARNs of the workload's account name any account
  # and aws:ResourceAccount / aws:ResourceOrgID keep them to ours.
  perimeter_accounts = concat(["$${account_id}"], [for principal in var.participants : principal if can(regex("^[0-9]{12}$", principal))])
  identity_keys = merge(
    { for key, value in { "aws:PrincipalAccount" = local.perimeter_accounts } : key => value if var.principal_scope == "account" },
    { for key, value in { "aws:PrincipalOrgID" = [coalesce(var.organization_id, "-")] } : key => value if var.principal_scope == "organization" },
  )
  resource_keys = merge(
    { for key, value in { "aws:ResourceAccount" = local.perimeter_accounts } : key => value if length(var.participants) > 0 && var.principal_scope != "organization" },
    { for key, value in { "aws:ResourceOrgID" = [coalesce(var.organization_id, "-")] } : key => value if length(var.participants) > 0 && var.principal_scope == "organization" },
  )

  # Flows whose resources name a code bucket (direct code deploys).
  code_flows = [for flow in local.known_flows : flow if anytrue(flatten([for call in local.flow_data.flows[flow].calls : [for resource in try(call.resources, []) : strcontains(resource, "$${code_bucket}")]]))]

  # Endpoint policies: one statement per call of the selected flows through the endpoint, its
  # Sid the call's; ${code_bucket} repeated per bucket. Serialized by jsonencode (sorted keys,
  # compact), exactly like the Python construct's json.dumps (modules/flows/policies.py).
  statements = {
    for key in local.known : key => flatten([
      for flow in local.known_flows : [
        for call in local.flow_data.flows[flow].calls : merge(
          {
            Sid       = call.sid
            Effect    = "Allow"
            Principal = "*"
            Action    = call.actions
            Resource = flatten([for resource in call.resources : [
              for bucket in(strcontains(resource, "$${code_bucket}") ? var.code_buckets : [""]) :
              replace(replace(resource, "$${code_bucket}", bucket), "$${account_id}", call.owner == "workload" && length(var.participants) > 0 ? "*" : "$${account_id}")
            ]])
          },
          # The call's own condition, with the perimeter added to StringEquals: the identity
          # perimeter for calls only workloads sign, the resource perimeter for calls to the
          # workloads' own resources when participants reach theirs.
          {
            for name, condition in {
              Condition = merge(try(call.condition, {}), {
                for operator, keys in {
                  StringEquals = merge(
                    try(call.condition.StringEquals, {}),
                    toset(call.signers) == toset(["workload"]) ? local.identity_keys : {},
                    call.owner == "workload" ? local.resource_keys : {},
                  )
                } : operator => keys if length(keys) > 0
              })
            } : name => condition if length(condition) > 0
          },
        ) if try(call.endpoint, "") == key
      ]
    ])
  }
  # A service that takes only AWS's full-access policy gets none (catalog.json, custom_policy).
  custom_policy = { for key in local.known : key => try(local.catalog.endpoints[key].custom_policy, true) }
  full_access   = sort([for key in local.known : key if !local.custom_policy[key]])
  policies = {
    for key in local.known : key => !local.custom_policy[key] ? null : replace(replace(replace(
      jsonencode({ Version = "2012-10-17", Statement = local.statements[key] }),
      "$${partition}", local.partition),
      "$${region}", var.region),
    "$${account_id}", data.aws_caller_identity.current.account_id)
  }

  interface = {
    for key in local.known : key => {
      service     = local.catalog.endpoints[key].service
      private_dns = local.catalog.endpoints[key].private_dns
    } if local.catalog.endpoints[key].type == "Interface"
  }
  gateway = {
    for key in local.known : key => {
      service = local.catalog.endpoints[key].service
    } if local.catalog.endpoints[key].type == "Gateway"
  }
}

data "aws_caller_identity" "current" {}

################################################################################
# What AWS offers in this region, read at plan: each endpoint's service, its AZs, and
# whether it takes a custom policy. The preconditions below stop a plan (before any
# apply) where AWS would refuse the endpoint (help/troubleshooting.md).
################################################################################

data "aws_vpc_endpoint_service" "this" {
  for_each = merge(
    { for key, endpoint in local.interface : key => "Interface" },
    { for key, endpoint in local.gateway : key => "Gateway" },
  )

  service_name = "com.amazonaws.${var.region}.${local.catalog.endpoints[each.key].service}"
  service_type = each.value
}

################################################################################
# Interface endpoints: private DNS, one subnet per AZ, the endpoint security group
################################################################################

resource "aws_vpc_endpoint" "interface" {
  for_each = local.interface

  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.${var.region}.${each.value.service}" # built, never looked up
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = each.value.private_dns
  subnet_ids          = var.subnet_ids
  security_group_ids  = var.security_group_ids
  policy              = local.policies[each.key]

  tags = merge(var.tags, {
    Name = "${var.name}-${replace(each.key, "_", "-")}"
  })

  lifecycle {
    precondition {
      condition     = length(setsubtract(coalesce(var.subnet_availability_zones, []), data.aws_vpc_endpoint_service.this[each.key].availability_zones)) == 0
      error_message = "endpoints: ${each.key}: AWS does not offer com.amazonaws.${var.region}.${each.value.service} in ${join(", ", sort(setsubtract(coalesce(var.subnet_availability_zones, []), data.aws_vpc_endpoint_service.this[each.key].availability_zones)))} (only in ${join(", ", sort(data.aws_vpc_endpoint_service.this[each.key].availability_zones))}), and the endpoint takes a subnet in every AZ of the network. Move those subnets to AZs it is offered in, or drop the flows that go through ${each.key}."
    }
    precondition {
      condition     = local.policies[each.key] == null || data.aws_vpc_endpoint_service.this[each.key].vpc_endpoint_policy_supported
      error_message = "endpoints: ${each.key}: com.amazonaws.${var.region}.${each.value.service} only supports the full-access endpoint policy in ${var.region}, and this network narrows every endpoint to its flows. Drop the flows that go through ${each.key}, or accept full access (custom_policy = false for the service in modules/facts/catalog.json)."
    }
    # AWS refuses private DNS on an endpoint whose service offers no private DNS name
    # (help/sources.md#endpoint-service-private-dns).
    precondition {
      condition     = !each.value.private_dns || try(length(data.aws_vpc_endpoint_service.this[each.key].private_dns_name), 0) > 0 || try(length(data.aws_vpc_endpoint_service.this[each.key].private_dns_names), 0) > 0
      error_message = "endpoints: ${each.key}: com.amazonaws.${var.region}.${each.value.service} offers no private DNS name in ${var.region}, and the endpoint turns private DNS on (the workloads resolve the service's public name): AWS refuses that. Drop the flows that go through ${each.key}, or take it out of private DNS (private_dns = false in modules/facts/catalog.json) and point its clients at the endpoint's DNS name."
    }
  }
}

################################################################################
# Gateway endpoints (S3, DynamoDB): on the route tables
################################################################################

resource "aws_vpc_endpoint" "gateway" {
  for_each = local.gateway

  vpc_id            = var.vpc_id
  service_name      = "com.amazonaws.${var.region}.${each.value.service}"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = var.route_table_ids
  policy            = local.policies[each.key]

  tags = merge(var.tags, {
    Name = "${var.name}-${replace(each.key, "_", "-")}"
  })

  lifecycle {
    precondition {
      condition     = local.policies[each.key] == null || data.aws_vpc_endpoint_service.this[each.key].vpc_endpoint_policy_supported
      error_message = "endpoints: ${each.key}: com.amazonaws.${var.region}.${each.value.service} only supports the full-access endpoint policy in ${var.region}, and this network narrows every endpoint to its flows. Drop the flows that go through ${each.key}, or accept full access (custom_policy = false for the service in modules/facts/catalog.json)."
    }
  }
}

################################################################################
# What no source confirms: a warning on every plan, never a silent pass
# (the Python configuration prints the same sentences).
################################################################################

check "agentcore_features_confirmed" {
  assert {
    condition     = length(local.unconfirmed_features) == 0
    error_message = try("flows: whether ${var.region} offers AgentCore ${title(local.unconfirmed_features[0].feature)} (${local.unconfirmed_features[0].flow}) is unconfirmed (modules/facts/aws_constraints.json).", "")
  }
}

# A service marked custom_policy = false gets AWS's full-access policy: said on every plan.
# Policy support no source confirms needs no warning here: the preconditions above read
# vpc_endpoint_policy_supported from AWS on every plan (the Python CLI names those services).
check "endpoint_policies_narrowed" {
  assert {
    condition     = length(local.full_access) == 0
    error_message = try("endpoints: ${local.full_access[0]}: ${local.catalog.endpoints[local.full_access[0]].service} takes only AWS's full-access endpoint policy (modules/facts/catalog.json): the endpoint lets every call through; IAM policies alone narrow it.", "")
  }
}

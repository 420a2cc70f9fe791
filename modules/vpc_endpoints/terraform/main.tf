################################################################################
# VPC endpoints of the catalog. Twin of modules/vpc_endpoints/construct.py.
# The catalog (../catalog.json) is the same file the Python construct reads.
################################################################################

locals {
  catalog = jsondecode(file("${path.module}/../catalog.json"))
  # Default: every entry not marked optional (ec2 is, for Security Hub EC2.10).
  selected  = var.endpoints == null ? [for key, entry in local.catalog.endpoints : key if !try(entry.optional, false)] : var.endpoints
  partition = startswith(var.region, "us-gov-") ? "aws-us-gov" : "aws"
  known     = [for key in local.selected : key if contains(keys(local.catalog.endpoints), key)]

  # Endpoint policies: the catalog's statements, placeholders filled in. Serialized by
  # jsonencode (sorted keys, compact), exactly like the Python construct's json.dumps.
  policies = {
    for key in local.known : key => replace(replace(replace(
      jsonencode({ Version = "2012-10-17", Statement = local.catalog.endpoints[key].policy }),
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

  tags = {
    Name = "${var.name}-${replace(each.key, "_", "-")}"
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

  tags = {
    Name = "${var.name}-${replace(each.key, "_", "-")}"
  }
}

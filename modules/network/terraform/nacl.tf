################################################################################
# The network ACL of every subnet: the VPC's default ACL, adopted. Twin of
# Network._network_acl (modules/network/construct.py, modules/network/nacl.py).
#
# NACLs are stateless and cannot name a prefix list: everything to and from the VPC
# CIDR (the security groups decide inside the VPC); HTTPS out to, and the replies
# (TCP 1024-65535) in from, each CIDR of the prefix list of every gateway service.
# Nothing from or to 0.0.0.0/0 or ::/0. AWS: the subnet's network ACL "must allow
# traffic to and from" a gateway endpoint's service
# (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html).
################################################################################

data "aws_ec2_managed_prefix_list" "gateway" {
  for_each = toset(var.gateway_services)

  name = "com.amazonaws.${var.region}.${each.value}"
}

locals {
  gateway_services = sort(var.gateway_services)
  gateway_cidrs    = { for service in local.gateway_services : service => sort(data.aws_ec2_managed_prefix_list.gateway[service].entries[*].cidr) }

  # Rule numbers 200 + 100 x (service index) + (CIDR index), as in Python.
  gateway_entries = flatten([
    for index, service in local.gateway_services : [
      for position, cidr in local.gateway_cidrs[service] : { rule_no = 200 + 100 * index + position, cidr_block = cidr }
    ]
  ])
  gateway_rule_count = length(local.gateway_entries)
}

resource "aws_default_network_acl" "this" {
  default_network_acl_id = aws_vpc.this.default_network_acl_id
  # Explicit: a subnet left out would show as drift, on real AWS too.
  subnet_ids = [for name in sort(keys(aws_subnet.private)) : aws_subnet.private[name].id]

  # All protocols within the VPC: the security groups decide there.
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    from_port  = 0
    to_port    = 0
    cidr_block = aws_vpc.this.cidr_block
  }

  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    from_port  = 0
    to_port    = 0
    cidr_block = aws_vpc.this.cidr_block
  }

  dynamic "ingress" {
    for_each = local.gateway_entries
    content {
      rule_no    = ingress.value.rule_no
      action     = "allow"
      protocol   = "tcp"
      from_port  = 1024
      to_port    = 65535
      cidr_block = ingress.value.cidr_block
    }
  }

  dynamic "egress" {
    for_each = local.gateway_entries
    content {
      rule_no    = egress.value.rule_no
      action     = "allow"
      protocol   = "tcp"
      from_port  = 443
      to_port    = 443
      cidr_block = egress.value.cidr_block
    }
  }

  tags = merge(var.tags, {
    Name = "${var.name}-private"
  })

  lifecycle {
    precondition {
      condition     = alltrue([for service in local.gateway_services : length(local.gateway_cidrs[service]) > 0])
      error_message = "The prefix list com.amazonaws.${var.region}.${try([for service in local.gateway_services : service if length(local.gateway_cidrs[service]) == 0][0], "")} has no CIDRs: the network ACL could not let the subnets reach it through its gateway endpoint."
    }
    precondition {
      condition     = 1 + local.gateway_rule_count <= 20
      error_message = "The network ACL needs 1 + ${local.gateway_rule_count} rules per direction (the VPC CIDR and the CIDRs of the prefix lists of ${join(", ", local.gateway_services)}); AWS allows 20 by default. Ask AWS to raise 'Rules per network ACL'."
    }
  }
}

################################################################################
# Inputs. Names, rules and messages are those of modules/network/config.py
# (NetworkConfig); a test keeps them in step.
################################################################################

variable "name" {
  description = "Prefix for resource names and Name tags. Valid values: 2-32 characters, lower-case letters, digits and '-', starting with a letter."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}[a-z0-9]$", var.name))
    error_message = "name: not a resource name prefix; got '${var.name}'. Use 2-32 characters: lower-case letters, digits and '-', starting with a letter (e.g. 'agentcore-dev')."
  }
}

variable "region" {
  description = "AWS region of the provider; AZs must belong to it and ARNs and service names use it. Valid values: a commercial or GovCloud region of ../../facts/aws_constraints.json where AgentCore Runtime runs, such as us-west-2."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]{1,2}$", var.region))
    error_message = "region: not a region name; got '${var.region}'. Use a region such as 'us-west-2' or 'eu-central-1'."
  }

  validation {
    condition     = !startswith(var.region, "cn-") && !startswith(var.region, "us-iso") && !startswith(var.region, "eu-isoe")
    error_message = "region: partitions other than aws and aws-us-gov use different endpoint service names; got '${var.region}'. Use a commercial or GovCloud region."
  }

  validation {
    condition     = !can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]{1,2}$", var.region)) || startswith(var.region, "cn-") || contains(keys(local.aws.regions), var.region)
    error_message = "region: not an AWS region; got '${var.region}'. Known regions (as of ${local.aws.as_of}): ${join(", ", sort(keys(local.aws.regions)))}; a newer one goes into modules/facts/aws_constraints.json."
  }

  validation {
    condition     = !contains(keys(local.aws.regions), var.region) || contains(try(local.aws.regions[var.region].agentcore, []), "runtime")
    error_message = "region: AgentCore Runtime is not offered in this region; got '${var.region}'. Use one of ${join(", ", sort([for name, region in local.aws.regions : name if contains(region.agentcore, "runtime")]))}."
  }
}

variable "runtime_subnets" {
  description = "Subnets (names) where AgentCore runtimes run: placed by AZ ID, they must be in zones AgentCore Runtime supports. Default: null, any subnet may host a runtime."
  type        = list(string)
  default     = null

  validation {
    condition     = alltrue([for role in coalesce(var.runtime_subnets, []) : contains(keys(var.subnets), role)])
    error_message = "runtime_subnets: ${join(", ", sort([for role in coalesce(var.runtime_subnets, []) : role if !contains(keys(var.subnets), role)]))} is not a subnet; got [${join(", ", formatlist("'%s'", coalesce(var.runtime_subnets, [])))}]. Name subnets of: ${join(", ", sort(keys(var.subnets)))}."
  }

  # AgentCore Runtime supports only some AZ IDs per region (help/sources.md#agentcore-vpc-az-ids).
  validation {
    condition = alltrue([
      for role, subnet in var.subnets : subnet.az_id == null || try(local.aws.regions[var.region].runtime_az_ids, null) == null
      || !(var.runtime_subnets == null || contains(coalesce(var.runtime_subnets, []), role))
      || contains(local.runtime_az_ids, coalesce(subnet.az_id, "-"))
    ])
    error_message = try([
      for role in sort(keys(var.subnets)) :
      "subnets.${role}.az_id: AgentCore Runtime does not run in ${var.subnets[role].az_id} (VPC mode); got '${var.subnets[role].az_id}'. Place runtime subnets in ${join(", ", local.runtime_az_ids)} (AgentCore VPC guide, Supported Availability Zones)."
      if var.subnets[role].az_id != null && try(local.aws.regions[var.region].runtime_az_ids, null) != null
      && (var.runtime_subnets == null || contains(coalesce(var.runtime_subnets, []), role))
      && !contains(local.runtime_az_ids, coalesce(var.subnets[role].az_id, "-"))
    ][0], "")
  }
}

variable "gateway_services" {
  description = "Services the subnets reach through gateway endpoints (s3, dynamodb): the network ACL lets HTTPS through to the CIDRs of their prefix lists. Default: both."
  type        = list(string)
  default     = ["dynamodb", "s3"]
  nullable    = false

  validation {
    condition     = alltrue([for service in var.gateway_services : contains(["dynamodb", "s3"], service)])
    error_message = "gateway_services: AWS offers gateway endpoints for dynamodb and s3 only; got [${join(", ", formatlist("'%s'", var.gateway_services))}]. List dynamodb, s3 or both."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC, /16 to /28. Default: 10.0.0.0/16."
  type        = string
  default     = "10.0.0.0/16"
  nullable    = false

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr)) && try(cidrsubnet(var.vpc_cidr, 0, 0) == var.vpc_cidr, false)
    error_message = "vpc_cidr: not an IPv4 CIDR block with its host bits zero; got '${var.vpc_cidr}'. Write it like '10.0.0.0/16'."
  }

  validation {
    condition     = !can(cidrnetmask(var.vpc_cidr)) || try(tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 28, false)
    error_message = "vpc_cidr: AWS allows VPC CIDRs from /16 to /28; got '${var.vpc_cidr}'. Use a prefix length between 16 and 28."
  }
}

# The subnet rules of NetworkConfig, one validation each. Like Python, each names the
# first offending subnet in role order. (A validation may not use locals derived from
# the variable it validates, hence the inline expressions.)
variable "subnets" {
  description = "Private subnets by name, each { cidr, az } or { cidr, az_id }, and optionally role (default: the name; a role may have subnets in several AZs): a block inside vpc_cidr (/16 to /28, no overlaps) in an Availability Zone of region, named (us-west-2a) or, the same in every account, by AZ ID (usw2-az1)."
  type = map(object({
    cidr  = string
    az    = optional(string)
    az_id = optional(string)
    role  = optional(string)
  }))

  validation {
    condition     = length(var.subnets) > 0
    error_message = "subnets: at least one private subnet is needed; got {}. Add e.g. subnets = { agent_runtime = { cidr = \"10.0.3.0/24\", az = \"us-west-2a\" } }."
  }

  validation {
    condition     = alltrue([for role in keys(var.subnets) : can(regex("^[a-z][a-z0-9_]{0,30}$", role))])
    error_message = "subnets: a subnet role is not an identifier; got '${try([for role in sort(keys(var.subnets)) : role if !can(regex("^[a-z][a-z0-9_]{0,30}$", role))][0], "")}'. Use lower-case letters, digits and '_' (e.g. 'agent_runtime')."
  }

  validation {
    condition = alltrue([for subnet in values(var.subnets) : can(cidrnetmask(subnet.cidr)) && try(cidrsubnet(subnet.cidr, 0, 0) == subnet.cidr, false)])
    error_message = try([
      for role in sort(keys(var.subnets)) :
      "subnets.${role}.cidr: not an IPv4 CIDR block with its host bits zero; got '${var.subnets[role].cidr}'. Write it like '10.0.0.0/16'."
      if !(can(cidrnetmask(var.subnets[role].cidr)) && try(cidrsubnet(var.subnets[role].cidr, 0, 0) == var.subnets[role].cidr, false))
    ][0], "")
  }

  validation {
    condition = alltrue([
      for subnet in values(var.subnets) :
      !can(cidrnetmask(subnet.cidr)) || !can(cidrnetmask(var.vpc_cidr)) || try(
        tonumber(split("/", subnet.cidr)[1]) >= tonumber(split("/", var.vpc_cidr)[1])
        && cidrsubnet("${cidrhost(subnet.cidr, 0)}/${split("/", var.vpc_cidr)[1]}", 0, 0) == var.vpc_cidr,
        false,
      )
    ])
    error_message = try([
      for role in sort(keys(var.subnets)) :
      "subnets.${role}.cidr: not inside vpc_cidr ${var.vpc_cidr}; got '${var.subnets[role].cidr}'. Choose a block inside ${var.vpc_cidr}."
      if can(cidrnetmask(var.subnets[role].cidr)) && !try(
        tonumber(split("/", var.subnets[role].cidr)[1]) >= tonumber(split("/", var.vpc_cidr)[1])
        && cidrsubnet("${cidrhost(var.subnets[role].cidr, 0)}/${split("/", var.vpc_cidr)[1]}", 0, 0) == var.vpc_cidr,
        false,
      )
    ][0], "")
  }

  validation {
    condition     = alltrue([for subnet in values(var.subnets) : !can(cidrnetmask(subnet.cidr)) || try(tonumber(split("/", subnet.cidr)[1]) >= 16 && tonumber(split("/", subnet.cidr)[1]) <= 28, false)])
    error_message = "subnets.${try([for role in sort(keys(var.subnets)) : role if can(cidrnetmask(var.subnets[role].cidr)) && !try(tonumber(split("/", var.subnets[role].cidr)[1]) >= 16 && tonumber(split("/", var.subnets[role].cidr)[1]) <= 28, false)][0], "")}.cidr: AWS allows subnet CIDRs from /16 to /28; got '${try([for role in sort(keys(var.subnets)) : var.subnets[role].cidr if can(cidrnetmask(var.subnets[role].cidr)) && !try(tonumber(split("/", var.subnets[role].cidr)[1]) >= 16 && tonumber(split("/", var.subnets[role].cidr)[1]) <= 28, false)][0], "")}'. Use a prefix length between 16 and 28."
  }

  # Two blocks overlap when they agree on the shorter of their two prefixes.
  validation {
    condition = alltrue(flatten([
      for i, role in sort(keys(var.subnets)) : [
        for other in slice(sort(keys(var.subnets)), 0, i) : !try(
          cidrsubnet("${cidrhost(var.subnets[role].cidr, 0)}/${min(split("/", var.subnets[role].cidr)[1], split("/", var.subnets[other].cidr)[1])}", 0, 0)
          == cidrsubnet("${cidrhost(var.subnets[other].cidr, 0)}/${min(split("/", var.subnets[role].cidr)[1], split("/", var.subnets[other].cidr)[1])}", 0, 0),
          false,
        )
      ]
    ]))
    error_message = try(flatten([
      for i, role in sort(keys(var.subnets)) : [
        for other in slice(sort(keys(var.subnets)), 0, i) :
        "subnets.${role}.cidr: overlaps subnets.${other}.cidr ${var.subnets[other].cidr}; got '${var.subnets[role].cidr}'. Give every subnet its own, non-overlapping block."
        if try(
          cidrsubnet("${cidrhost(var.subnets[role].cidr, 0)}/${min(split("/", var.subnets[role].cidr)[1], split("/", var.subnets[other].cidr)[1])}", 0, 0)
          == cidrsubnet("${cidrhost(var.subnets[other].cidr, 0)}/${min(split("/", var.subnets[role].cidr)[1], split("/", var.subnets[other].cidr)[1])}", 0, 0),
          false,
        )
      ]
    ])[0], "")
  }

  validation {
    condition     = alltrue([for subnet in values(var.subnets) : (subnet.az == null) != (subnet.az_id == null)])
    error_message = try([for role in sort(keys(var.subnets)) : "subnets.${role}: give exactly one of az and az_id; got {'az': ${var.subnets[role].az == null ? "null" : "'${var.subnets[role].az}'"}, 'az_id': ${var.subnets[role].az_id == null ? "null" : "'${var.subnets[role].az_id}'"}}. Write az = \"${var.region}a\" or az_id = \"${try(local.aws.regions[var.region].az_ids[0], "")}\"." if(var.subnets[role].az == null) == (var.subnets[role].az_id == null)][0], "")
  }

  validation {
    condition     = length(distinct([for subnet in values(var.subnets) : subnet.az == null if(subnet.az == null) != (subnet.az_id == null)])) <= 1
    error_message = "subnets.${try(sort(keys(var.subnets))[0], "")}: some subnets are placed by az and others by az_id; got '${try(coalesce(var.subnets[sort(keys(var.subnets))[0]].az, var.subnets[sort(keys(var.subnets))[0]].az_id), "")}'. Use one of the two for every subnet, so that each AZ can be told apart."
  }

  validation {
    condition     = alltrue([for subnet in values(var.subnets) : subnet.az == null || can(regex("^${var.region}[${join("", try(local.aws.regions[var.region].az_letters, ["a"]))}]$", subnet.az))])
    error_message = try([for role in sort(keys(var.subnets)) : "subnets.${role}.az: not an Availability Zone of region ${var.region}; got '${var.subnets[role].az}'. Use one of ${join(", ", [for letter in try(local.aws.regions[var.region].az_letters, []) : "${var.region}${letter}"])}." if var.subnets[role].az != null && !can(regex("^${var.region}[${join("", try(local.aws.regions[var.region].az_letters, ["a"]))}]$", coalesce(var.subnets[role].az, "-")))][0], "")
  }

  validation {
    condition     = alltrue([for subnet in values(var.subnets) : subnet.az_id == null || contains(try(local.aws.regions[var.region].az_ids, []), coalesce(subnet.az_id, "-"))])
    error_message = try([for role in sort(keys(var.subnets)) : "subnets.${role}.az_id: not an AZ ID of region ${var.region}; got '${var.subnets[role].az_id}'. Use one of ${join(", ", try(local.aws.regions[var.region].az_ids, []))}." if var.subnets[role].az_id != null && !contains(try(local.aws.regions[var.region].az_ids, []), coalesce(var.subnets[role].az_id, "-"))][0], "")
  }

  validation {
    condition     = alltrue([for subnet in values(var.subnets) : subnet.role == null || can(regex("^[a-z][a-z0-9_]{0,30}$", coalesce(subnet.role, "-")))])
    error_message = try([for name in sort(keys(var.subnets)) : "subnets.${name}.role: not a role name; got '${var.subnets[name].role}'. Use lower-case letters, digits and '_' (e.g. 'agent_runtime')." if var.subnets[name].role != null && !can(regex("^[a-z][a-z0-9_]{0,30}$", coalesce(var.subnets[name].role, "-")))][0], "")
  }
}

variable "flow_log_retention_days" {
  description = "Days CloudWatch Logs keeps the flow logs; 0 never expires. Valid values: 0, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (CloudWatch's values of a year or more). Default: 365."
  type        = number
  default     = 365
  nullable    = false

  validation {
    condition     = contains(local.cloudwatch_retention_days, var.flow_log_retention_days)
    error_message = "flow_log_retention_days: CloudWatch Logs does not accept this retention; got ${var.flow_log_retention_days}. Use one of ${join(", ", local.cloudwatch_retention_days)} (0 = never expire); 365 or more keeps a year of logs."
  }

  validation {
    condition     = var.flow_log_retention_days == 0 || var.flow_log_retention_days >= 365
    error_message = "flow_log_retention_days: keeps flow logs less than a year; got ${var.flow_log_retention_days}. Use 0 (never expire) or 365 or more: Security Hub CloudWatch.16 and CKV_AWS_338 ask for a year."
  }
}

variable "flow_log_traffic_type" {
  description = "Traffic the flow log records. Valid values: ALL, REJECT (ACCEPT would not record refused traffic). Default: ALL."
  type        = string
  default     = "ALL"
  nullable    = false

  validation {
    condition     = var.flow_log_traffic_type != "ACCEPT"
    error_message = "flow_log_traffic_type: ACCEPT does not record the traffic the network refuses; got 'ACCEPT'. Use ALL or REJECT."
  }

  validation {
    condition     = contains(["ALL", "ACCEPT", "REJECT"], var.flow_log_traffic_type)
    error_message = "flow_log_traffic_type: not a flow-log traffic type; got '${var.flow_log_traffic_type}'. Use one of ALL, REJECT."
  }
}

variable "flow_log_max_aggregation_interval" {
  description = "Seconds per flow-log aggregation window. Valid values: 60, 600. Default: 600."
  type        = number
  default     = 600
  nullable    = false

  validation {
    condition     = contains([60, 600], var.flow_log_max_aggregation_interval)
    error_message = "flow_log_max_aggregation_interval: flow logs aggregate over 60 or 600 seconds; got ${var.flow_log_max_aggregation_interval}. Use 60 or 600."
  }
}

variable "kms_key_deletion_window_days" {
  description = "Days KMS waits before deleting the flow-log key. Valid values: 7 to 30. Default: 30."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.kms_key_deletion_window_days >= 7 && var.kms_key_deletion_window_days <= 30 && floor(var.kms_key_deletion_window_days) == var.kms_key_deletion_window_days
    error_message = "kms_key_deletion_window_days: KMS waits 7 to 30 days before deleting a key; got ${var.kms_key_deletion_window_days}. Use a whole number from 7 to 30."
  }
}

variable "prevent_destroy" {
  description = "Refuse to destroy or replace the VPC, subnets, KMS key and log group (see destroy_guard.tf). Default: false."
  type        = bool
  default     = false
  nullable    = false
}

locals {
  aws = jsondecode(file("${path.module}/../../facts/aws_constraints.json"))
  # AZ IDs AgentCore Runtime supports in the region; [] where no source gives them.
  runtime_az_ids = try(local.aws.regions[var.region].runtime_az_ids, null) == null ? [] : local.aws.regions[var.region].runtime_az_ids

  # Runtime subnets placed by AZ ID in a region whose supported AZ IDs no source gives.
  undocumented_az_ids = try(local.aws.regions[var.region].runtime_az_ids, null) != null ? [] : [
    for role in sort(keys(var.subnets)) : role
    if var.subnets[role].az_id != null && (var.runtime_subnets == null || contains(coalesce(var.runtime_subnets, []), role))
  ]
  # The AZs of each runtime role (every subnet when no role is a runtime's): AgentCore Runtime
  # wants at least two private subnets in different AZs (help/sources.md#agentcore-vpc).
  runtime_names = var.runtime_subnets == null ? [] : [for name in var.runtime_subnets : name if contains(keys(var.subnets), name)]
  runtime_role_zones = length(local.runtime_names) == 0 ? { "" = distinct([for subnet in values(var.subnets) : coalesce(subnet.az, subnet.az_id, "-")]) } : {
    for role in distinct([for name in local.runtime_names : coalesce(var.subnets[name].role, name)]) :
    role => distinct([for name in local.runtime_names : coalesce(var.subnets[name].az, var.subnets[name].az_id, "-") if coalesce(var.subnets[name].role, name) == role])
  }
  single_az_runtimes = [
    for role in sort(keys(local.runtime_role_zones)) :
    "subnets: ${role == "" ? "every subnet is" : "the ${role} role is"} in one AZ (${sort(local.runtime_role_zones[role])[0]}); AgentCore Runtime wants at least two private subnets in different AZs: add ${role == "" ? "a subnet" : "a subnet with role = \"${role}\""} in another AZ."
    if length(local.runtime_role_zones[role]) < 2
  ]
  unconfirmed_region_facts = [
    for item in try(local.aws.regions[var.region].unconfirmed, []) : item
    if !startswith(item, "agentcore.") && !startswith(item, "runtime_az_ids")
  ]

  cloudwatch_retention_days = [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]
}

variable "tags" {
  description = "Tags on every resource of this module, beside its own Name tag (a root may tag every module at once with the provider's default_tags instead); not Name and not aws:*. Default: {}."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for key in keys(var.tags) : key != "Name" && !startswith(lower(key), "aws:") && can(regex(local.tag_key_pattern, key))])
    error_message = try([for key in sort(keys(var.tags)) : "tags.${key}: reserved or invalid tag key; got '${key}'. Use up to 128 letters, digits, spaces and _.:/=+-@; not 'Name' (set per resource) and not 'aws:...'." if key == "Name" || startswith(lower(key), "aws:") || !can(regex(local.tag_key_pattern, key))][0], "")
  }

  validation {
    condition     = alltrue([for value in values(var.tags) : length(value) <= 256])
    error_message = "tags.${try([for key in sort(keys(var.tags)) : key if length(var.tags[key]) > 256][0], "")}: tag values are at most 256 characters; got '${try([for key in sort(keys(var.tags)) : var.tags[key] if length(var.tags[key]) > 256][0], "")}'. Shorten the value."
  }
}

locals {
  # AWS's tag key rule, as modules/kernel/tags.py (TAG_KEY_PATTERN).
  tag_key_pattern = "^[\\w .:/=+\\-@]{1,128}$"
}

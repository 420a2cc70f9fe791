################################################################################
# Inputs. Names, rules and messages are those of modules/vpc_endpoints/config.py
# (VpcEndpointsConfig) and the VpcEndpoints construct; a test keeps them in step.
################################################################################

variable "name" {
  description = "Prefix for Name tags. Valid values: 2-32 characters, lower-case letters, digits and '-', starting with a letter."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}[a-z0-9]$", var.name))
    error_message = "name: not a resource name prefix; got '${var.name}'. Use 2-32 characters: lower-case letters, digits and '-', starting with a letter (e.g. 'agentcore-dev')."
  }
}

variable "region" {
  description = "AWS region of the provider: service names are com.amazonaws.<region>.<service>. Valid values: a commercial or GovCloud region of ../../facts/aws_constraints.json where AgentCore Runtime runs, such as us-west-2."
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

variable "flows" {
  description = "Flows of ../../facts/flows.json the network serves: the endpoint policies allow exactly their calls. Default: null, the flows marked default (the AWS sample's workloads)."
  type        = list(string)
  default     = null

  validation {
    condition     = alltrue([for key in coalesce(var.flows, []) : contains(keys(local.flow_data.flows), key)])
    error_message = "flows: unknown flow '${try([for key in coalesce(var.flows, []) : key if !contains(keys(local.flow_data.flows), key)][0], "")}'; got [${join(", ", formatlist("'%s'", coalesce(var.flows, [])))}]. Known flows: ${join(", ", sort(keys(local.flow_data.flows)))}."
  }

  validation {
    condition     = length(coalesce(var.flows, [])) == length(distinct(coalesce(var.flows, [])))
    error_message = "flows: ${join(", ", sort(distinct([for key in coalesce(var.flows, []) : key if length([for other in coalesce(var.flows, []) : other if other == key]) > 1])))} listed more than once; got [${join(", ", formatlist("'%s'", coalesce(var.flows, [])))}]. List each flow once."
  }

  validation {
    condition     = var.flows == null || length(coalesce(var.flows, ["-"])) > 0
    error_message = "flows: no flow selected: the network would serve nothing; got []. List the flows the workloads need, or remove flows to get the default ones."
  }

  # The AgentCore features a flow needs must be offered in the region (help/sources.md#agentcore-regions).
  # (Inline: a validation may not use locals derived from the variable it validates.)
  validation {
    condition = alltrue(flatten([
      for flow in(var.flows == null ? [for key, flow in local.flow_data.flows : key if flow.default] : var.flows) : [
        for feature in try(local.flow_data.flows[flow].agentcore, []) : contains(try(local.aws.regions[var.region].agentcore, []), feature)
      ]
    ]))
    error_message = try([
      for pair in flatten([
        for flow in sort(var.flows == null ? [for key, flow in local.flow_data.flows : key if flow.default] : var.flows) : [
          for feature in try(local.flow_data.flows[flow].agentcore, []) : { flow = flow, feature = feature }
          if !contains(try(local.aws.regions[var.region].agentcore, []), feature)
        ]
      ]) :
      "flows: ${pair.flow} needs AgentCore ${title(pair.feature)}, which ${var.region} does not offer; got [${join(", ", formatlist("'%s'", var.flows == null ? [for key, flow in local.flow_data.flows : key if flow.default] : var.flows))}]. Remove '${pair.flow}' from flows, or use a region that offers it: ${join(", ", sort([for name, region in local.aws.regions : name if contains(region.agentcore, pair.feature)]))}."
    ][0], "")
  }
}

variable "code_buckets" {
  description = "S3 buckets of direct code packages, given exactly when a selected flow reads them (runtime_loads_code_from_s3). Default: []."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for bucket in var.code_buckets : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", bucket)) && !strcontains(bucket, "..")])
    error_message = "code_buckets: not an S3 bucket name: '${try([for bucket in var.code_buckets : bucket if !(can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", bucket)) && !strcontains(bucket, ".."))][0], "")}'; got [${join(", ", formatlist("'%s'", var.code_buckets))}]. Use 3-63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit."
  }

  validation {
    condition     = length(var.code_buckets) == length(distinct(var.code_buckets))
    error_message = "code_buckets: ${join(", ", sort(distinct([for bucket in var.code_buckets : bucket if length([for other in var.code_buckets : other if other == bucket]) > 1])))} listed more than once; got [${join(", ", formatlist("'%s'", var.code_buckets))}]. List each bucket once."
  }

  validation {
    condition     = length(local.code_flows) == 0 || length(var.code_buckets) > 0
    error_message = "code_buckets: flow ${try(local.code_flows[0], "")} reads code packages from S3, but no bucket is given; got []. Add code_buckets = [\"<bucket of your code packages>\"]."
  }

  validation {
    condition     = length(var.code_buckets) == 0 || length(local.code_flows) > 0
    error_message = "code_buckets: no selected flow reads code packages; got [${join(", ", formatlist("'%s'", var.code_buckets))}]. Add 'runtime_loads_code_from_s3' to flows, or remove code_buckets."
  }
}

variable "endpoints" {
  description = "Catalog keys (../../facts/catalog.json) of the services that get an endpoint, each once: every endpoint the selected flows go through, and no other. Default: null, exactly those."
  type        = list(string)
  default     = null

  validation {
    condition     = alltrue([for key in coalesce(var.endpoints, []) : contains(keys(local.catalog.endpoints), key)])
    error_message = "endpoints: unknown endpoint '${try([for key in coalesce(var.endpoints, []) : key if !contains(keys(local.catalog.endpoints), key)][0], "")}'; got [${join(", ", formatlist("'%s'", coalesce(var.endpoints, [])))}]. Known endpoints: ${join(", ", sort(keys(local.catalog.endpoints)))}."
  }

  validation {
    condition     = length(coalesce(var.endpoints, [])) == length(distinct(coalesce(var.endpoints, [])))
    error_message = "endpoints: ${join(", ", sort(distinct([for key in coalesce(var.endpoints, []) : key if length([for other in coalesce(var.endpoints, []) : other if other == key]) > 1])))} listed more than once; got [${join(", ", formatlist("'%s'", coalesce(var.endpoints, [])))}]. List each endpoint once."
  }

  validation {
    condition     = var.endpoints == null || alltrue([for key in local.needed_endpoints : contains(coalesce(var.endpoints, []), key)])
    error_message = try([for key in sort(local.needed_endpoints) : "endpoints: '${key}' is missing, but ${length(local.needed[key]) == 1 ? "flow" : "flows"} ${join(", ", local.needed[key])} ${length(local.needed[key]) == 1 ? "goes" : "go"} through it; got [${join(", ", formatlist("'%s'", coalesce(var.endpoints, [])))}]. Add '${key}' to endpoints, or remove endpoints to get what the flows need." if !contains(coalesce(var.endpoints, []), key)][0], "")
  }

  validation {
    condition     = alltrue([for key in coalesce(var.endpoints, []) : contains(local.needed_endpoints, key) || !contains(keys(local.catalog.endpoints), key)])
    error_message = try([for key in sort(coalesce(var.endpoints, [])) : "endpoints: '${key}' serves no selected flow; got [${join(", ", formatlist("'%s'", coalesce(var.endpoints, [])))}]. Add a flow that uses it (${join(", ", [for flow in sort(keys(local.flow_data.flows)) : flow if contains(local.flow_endpoints[flow], key)])}) to flows, or remove '${key}'." if !contains(local.needed_endpoints, key) && contains(keys(local.catalog.endpoints), key)][0], "")
  }
}

variable "principal_scope" {
  description = "The identity perimeter: whose credentials may make the calls only the workloads sign: this account and the participants' (aws:PrincipalAccount), this organization (aws:PrincipalOrgID), or any principal (no identity perimeter: an explicit opt-out that verify reports). OAuth callers and presigned URLs are never scoped. Valid values: account, organization, any. Default: account."
  type        = string
  default     = "account"
  nullable    = false

  validation {
    condition     = contains(["any", "account", "organization"], var.principal_scope)
    error_message = "principal_scope: not a principal scope; got '${var.principal_scope}'. Use one of any, account, organization."
  }
}

variable "organization_id" {
  description = "The AWS Organizations id for principal_scope = \"organization\". Default: null."
  type        = string
  default     = null

  validation {
    condition     = var.principal_scope != "organization" || var.organization_id != null
    error_message = "organization_id: principal_scope = \"organization\" needs the organization's id; got ''. Add organization_id = \"o-...\" (aws organizations describe-organization)."
  }

  validation {
    condition     = var.organization_id == null || var.principal_scope == "organization"
    error_message = "organization_id: only principal_scope = \"organization\" uses it; got '${coalesce(var.organization_id, "-")}'. Set principal_scope = \"organization\", or remove organization_id."
  }

  validation {
    condition     = var.organization_id == null || can(regex("^o-[a-z0-9]{10,32}$", coalesce(var.organization_id, "-")))
    error_message = "organization_id: not an organization id; got '${coalesce(var.organization_id, "-")}'. Use the id of AWS Organizations: 'o-' and 10 to 32 lower-case letters or digits."
  }
}

variable "participants" {
  description = "Other accounts whose workloads use these endpoints (the subnet-sharing principals): 12-digit account ids, or the ARN of the organization or of an OU (organization scope only). Their credentials and their own resources are inside the perimeter. Default: []."
  type        = list(string)
  default     = []
  nullable    = false

  # The same pattern as modules/kernel/organizations.py (PRINCIPAL_PATTERN).
  validation {
    condition     = alltrue([for principal in var.participants : can(regex("^([0-9]{12}|arn:aws(-us-gov)?:organizations::[0-9]{12}:organization/o-[a-z0-9]{10,32}|arn:aws(-us-gov)?:organizations::[0-9]{12}:ou/o-[a-z0-9]{10,32}/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32})$", principal))])
    error_message = "participants: not an account id, organization ARN or OU ARN; got '${try([for principal in var.participants : principal if !can(regex("^([0-9]{12}|arn:aws(-us-gov)?:organizations::[0-9]{12}:organization/o-[a-z0-9]{10,32}|arn:aws(-us-gov)?:organizations::[0-9]{12}:ou/o-[a-z0-9]{10,32}/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32})$", principal))][0], "")}'. Give the subnet-sharing principals: 12-digit account ids, or the ARN of the organization or of an OU."
  }

  validation {
    condition     = var.principal_scope == "organization" || alltrue([for principal in var.participants : can(regex("^[0-9]{12}$", principal))])
    error_message = "principal_scope: participant ${try([for principal in var.participants : principal if !can(regex("^[0-9]{12}$", principal))][0], "")} is an organization or OU, whose accounts the endpoint policies cannot list; got '${var.principal_scope}'. Use principal_scope = \"organization\" (with organization_id), or share with account ids."
  }

  validation {
    condition     = var.principal_scope != "organization" || alltrue([for principal in var.participants : can(regex("^[0-9]{12}$", principal)) || try(regex(":(?:organization|ou)/(o-[a-z0-9]{10,32})", principal)[0], "") == coalesce(var.organization_id, "-")])
    error_message = try([for principal in var.participants : "organization_id: participant ${principal} belongs to ${regex(":(?:organization|ou)/(o-[a-z0-9]{10,32})", principal)[0]}; got '${coalesce(var.organization_id, "-")}'. Set organization_id = \"${regex(":(?:organization|ou)/(o-[a-z0-9]{10,32})", principal)[0]}\": AWS shares subnets only inside the organization." if !can(regex("^[0-9]{12}$", principal)) && try(regex(":(?:organization|ou)/(o-[a-z0-9]{10,32})", principal)[0], "") != coalesce(var.organization_id, "-")][0], "")
  }
}

variable "vpc_id" {
  description = "ID of the VPC the endpoints belong to."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets of the interface endpoints: one per AZ."
  type        = list(string)
}

variable "subnet_availability_zones" {
  description = "AZ names of subnet_ids, for the plan-time check that AWS offers each interface endpoint's service there. Default: null, not checked."
  type        = list(string)
  default     = null
}

variable "route_table_ids" {
  description = "Route tables of the gateway endpoints."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups of the interface endpoints."
  type        = list(string)
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

################################################################################
# Inputs. Names, rules and messages are those of modules/security_groups/config.py
# (SecurityGroupsConfig) and the SecurityGroups construct; a test keeps them in step.
################################################################################

variable "name" {
  description = "Prefix of the group names (<name>-<group>-) and Name tags. Valid values: 2-32 characters, lower-case letters, digits and '-', starting with a letter."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}[a-z0-9]$", var.name))
    error_message = "name: not a resource name prefix; got '${var.name}'. Use 2-32 characters: lower-case letters, digits and '-', starting with a letter (e.g. 'agentcore-dev')."
  }
}

variable "flows" {
  description = "Flows of ../../facts/flows.json the network serves: a workload group's egress rules are those its flows need. Default: null, the flows marked default (the AWS sample's workloads)."
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
}

variable "endpoint_ingress" {
  description = "Where the interface endpoints admit HTTPS from: vpc (its CIDR) or workloads (the groups whose flows reach them, nothing else in the VPC). Valid values: vpc, workloads. Default: vpc."
  type        = string
  default     = "vpc"
  nullable    = false

  validation {
    condition     = contains(["vpc", "workloads"], var.endpoint_ingress)
    error_message = "endpoint_ingress: not a kind of endpoint ingress; got '${var.endpoint_ingress}'. Use one of vpc, workloads."
  }
}

variable "vpc_id" {
  description = "ID of the VPC the groups belong to."
  type        = string
}

variable "vpc_cidr_block" {
  description = "CIDR block of the VPC: the peer of rules with cidr = \"vpc\"."
  type        = string
}

variable "prefix_list_ids" {
  description = "Prefix list ID by gateway service (the network module's gateway_prefix_list_ids, or the vpc_endpoints module's prefix_list_ids): the peers of rules with a prefix_list."
  type        = map(string)

  validation {
    condition     = alltrue([for rule in local.prefix_list_rules : contains(keys(var.prefix_list_ids), rule.peer)])
    error_message = try([for rule in local.prefix_list_rules : "endpoints: rule ${rule.key} needs the '${rule.peer}' gateway endpoint; got [${join(", ", formatlist("'%s'", sort(keys(var.prefix_list_ids))))}]. Add '${rule.peer}' to endpoints." if !contains(keys(var.prefix_list_ids), rule.peer)][0], "")
  }
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

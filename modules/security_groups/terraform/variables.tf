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

variable "vpc_id" {
  description = "ID of the VPC the groups belong to."
  type        = string
}

variable "vpc_cidr_block" {
  description = "CIDR block of the VPC: the peer of rules with cidr = \"vpc\"."
  type        = string
}

variable "prefix_list_ids" {
  description = "Prefix list ID by gateway endpoint key (the vpc_endpoints module's prefix_list_ids): the peers of rules with a prefix_list."
  type        = map(string)

  validation {
    condition     = alltrue([for rule in local.prefix_list_rules : contains(keys(var.prefix_list_ids), rule.peer)])
    error_message = try([for rule in local.prefix_list_rules : "endpoints: rule ${rule.key} needs the '${rule.peer}' gateway endpoint; got [${join(", ", formatlist("'%s'", sort(keys(var.prefix_list_ids))))}]. Add '${rule.peer}' to endpoints." if !contains(keys(var.prefix_list_ids), rule.peer)][0], "")
  }
}

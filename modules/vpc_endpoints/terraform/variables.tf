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
  description = "AWS region of the provider: service names are com.amazonaws.<region>.<service>. Valid values: a commercial or GovCloud region such as us-west-2."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]{1,2}$", var.region))
    error_message = "region: not a region name; got '${var.region}'. Use a region such as 'us-west-2' or 'eu-central-1'."
  }

  validation {
    condition     = !startswith(var.region, "cn-") && !startswith(var.region, "us-iso") && !startswith(var.region, "eu-isoe")
    error_message = "region: partitions other than aws and aws-us-gov use different endpoint service names; got '${var.region}'. Use a commercial or GovCloud region."
  }
}

variable "endpoints" {
  description = "Catalog keys (../catalog.json) of the services that get an endpoint, each once. Default: null, every catalog entry not marked optional."
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
}

variable "vpc_id" {
  description = "ID of the VPC the endpoints belong to."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets of the interface endpoints: one per AZ."
  type        = list(string)
}

variable "route_table_ids" {
  description = "Route tables of the gateway endpoints."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups of the interface endpoints."
  type        = list(string)
}

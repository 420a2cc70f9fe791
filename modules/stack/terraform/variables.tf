################################################################################
# The settings of environments/<name>.tfvars, shared with the Python stack:
#   terraform plan -var-file=../environments/dev.tfvars
# Rules live in the modules' variables; null means "the module's default".
################################################################################

variable "name" {
  description = "Prefix for resource names and Name tags. Valid values: 2-32 characters, lower-case letters, digits and '-', starting with a letter."
  type        = string
}

variable "region" {
  description = "AWS region. Valid values: a commercial or GovCloud region such as us-west-2."
  type        = string
}

variable "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC, /16 to /28. Default: null, the network module's 10.0.0.0/16."
  type        = string
  default     = null
}

variable "subnets" {
  description = "Private subnets by name, each { cidr, az } or { cidr, az_id }, and optionally role (default: the name)."
  type = map(object({
    cidr  = string
    az    = optional(string)
    az_id = optional(string)
    role  = optional(string)
  }))
}

variable "flows" {
  description = "Flows of modules/facts/flows.json the network serves (endpoint policies and egress rules follow from them). Default: null, the flows marked default."
  type        = list(string)
  default     = null
}

variable "code_buckets" {
  description = "S3 buckets of direct code packages, given exactly when a selected flow reads them. Default: []."
  type        = list(string)
  default     = []
  nullable    = false
}

variable "principal_scope" {
  description = "The identity perimeter of the endpoint policies: account (this account and the subnet-sharing participants), organization, or any (none: an explicit opt-out). Default: \"account\"."
  type        = string
  default     = "account"
  nullable    = false
}

variable "organization_id" {
  description = "The AWS Organizations id for principal_scope = \"organization\". Default: null."
  type        = string
  default     = null
}

variable "endpoint_ingress" {
  description = "Where the interface endpoints admit HTTPS from: vpc or workloads. Default: \"vpc\"."
  type        = string
  default     = "vpc"
  nullable    = false
}

variable "endpoints" {
  description = "Catalog keys of the services that get a VPC endpoint: every endpoint the flows go through, and no other. Default: null, exactly those."
  type        = list(string)
  default     = null
}

variable "flow_log_retention_days" {
  description = "Days CloudWatch Logs keeps the flow logs (0: never expire). Default: null, the network module's 365."
  type        = number
  default     = null
}

variable "flow_log_traffic_type" {
  description = "ALL, ACCEPT or REJECT. Default: null, the network module's ALL."
  type        = string
  default     = null
}

variable "flow_log_max_aggregation_interval" {
  description = "60 or 600 seconds. Default: null, the network module's 600."
  type        = number
  default     = null
}

variable "kms_key_deletion_window_days" {
  description = "7 to 30 days. Default: null, the network module's 30."
  type        = number
  default     = null
}

variable "prevent_destroy" {
  description = "Refuse to destroy or replace the VPC, subnets, KMS key and log group. Default: null, the network module's false."
  type        = bool
  default     = null
}

variable "tags" {
  description = "Tags on every resource (provider default_tags); not Name (set per resource) and not aws:*. Default: {}."
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
  # Subnet roles where AgentCore runtimes run (flows.json workloads), as the Python
  # environment derives them; none named: null, any subnet may host a runtime.
  flow_data       = jsondecode(file("${path.module}/../../facts/flows.json"))
  runtime_roles   = distinct(flatten([for workload in values(local.flow_data.workloads) : workload.subnets if workload.agentcore_runtime]))
  runtime_subnets = [for name in sort(keys(var.subnets)) : name if contains(local.runtime_roles, coalesce(var.subnets[name].role, name))]

  tag_key_pattern = "^[\\w .:/=+\\-@]{1,128}$"
}

variable "extends" {
  description = "The environment file this one overlays (python main.py reads the chain). Terraform merges files the same way when given each with -var-file, base first: a variable set in a later file replaces the earlier value. This root does not read it. Default: null."
  type        = string
  default     = null
}

variable "subnet_sharing" {
  description = "Share the subnets of some roles with other accounts of the organization (AWS RAM): { principals, roles (default: the runtime roles), allow_external_principals (default: false), workloads (for cost) }. Default: null, no sharing."
  type = object({
    principals                = list(string)
    roles                     = optional(list(string))
    allow_external_principals = optional(bool, false)
    workloads                 = optional(number)
  })
  default = null

  validation {
    condition     = var.subnet_sharing == null || try(length(var.subnet_sharing.roles) > 0, true)
    error_message = "subnet_sharing.roles: no subnet role to share; got []. Name the roles whose subnets are shared, or leave roles out for the runtime roles."
  }

  validation {
    condition     = var.subnet_sharing == null || alltrue([for role in try(var.subnet_sharing.roles, null) == null ? [] : var.subnet_sharing.roles : contains(local.subnet_roles, role)])
    error_message = "subnet_sharing.roles: no subnet has this role; got '${try([for role in var.subnet_sharing.roles : role if !contains(local.subnet_roles, role)][0], "")}'. Use one of ${join(", ", local.subnet_roles)}."
  }

  validation {
    condition     = var.subnet_sharing == null || try(var.subnet_sharing.roles, null) != null || length(setintersection(local.runtime_roles, local.subnet_roles)) > 0
    error_message = "subnet_sharing.roles: no subnet has a runtime role to share by default; got [${join(", ", [for role in sort(local.runtime_roles) : "'${role}'"])}]. Name the roles whose subnets are shared, e.g. roles = [\"${try(local.subnet_roles[0], "")}\"]."
  }

  validation {
    condition     = var.subnet_sharing == null || var.endpoint_ingress == "vpc"
    error_message = "endpoint_ingress: participants' workloads carry their own security groups, which an endpoint admitting only this account's groups refuses; got '${var.endpoint_ingress}'. Set endpoint_ingress = \"vpc\" to share subnets."
  }

  validation {
    condition     = var.subnet_sharing == null ? true : (var.subnet_sharing.workloads == null ? true : var.subnet_sharing.workloads >= 1 && floor(var.subnet_sharing.workloads) == var.subnet_sharing.workloads)
    error_message = "subnet_sharing.workloads: must be 1 or more; got ${try(var.subnet_sharing.workloads == null ? "null" : tostring(var.subnet_sharing.workloads), "null")}. Give the number of workloads expected to use the network, e.g. workloads = 4."
  }
}

locals {
  # The subnets shared (modules/subnet_sharing), picked by role as the Python stack does.
  subnet_roles   = distinct([for name in sort(keys(var.subnets)) : coalesce(var.subnets[name].role, name)])
  shared_roles   = var.subnet_sharing == null ? [] : [for role in(try(var.subnet_sharing.roles, null) == null ? sort(local.runtime_roles) : var.subnet_sharing.roles) : role if contains(local.subnet_roles, role)]
  shared_subnets = { for name in sort(keys(var.subnets)) : name => coalesce(var.subnets[name].role, name) if contains(local.shared_roles, coalesce(var.subnets[name].role, name)) }
}

variable "state_backend" {
  description = "Where `python main.py` keeps this environment's state: { type = \"local\" } or { type = \"s3\", bucket, key, region }. This root does not read it (Terraform does not allow variables in backends): give it the same backend with -backend-config. Default: { type = \"local\" }."
  type = object({
    type   = optional(string, "local")
    bucket = optional(string)
    key    = optional(string)
    region = optional(string)
  })
  default  = {}
  nullable = false

  validation {
    condition     = contains(["local", "s3"], var.state_backend.type)
    error_message = "state_backend.type: not a supported state backend; got '${var.state_backend.type}'. Use \"local\" or \"s3\"."
  }

  validation {
    condition     = var.state_backend.type != "s3" || (var.state_backend.bucket == null ? "" : var.state_backend.bucket) != ""
    error_message = "state_backend.bucket: the s3 backend needs a bucket; got ''. Add bucket = \"<your state bucket>\"."
  }

  validation {
    condition     = var.state_backend.type != "s3" || var.state_backend.bucket == null || (can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_backend.bucket == null ? "-" : var.state_backend.bucket)) && !strcontains(var.state_backend.bucket == null ? "" : var.state_backend.bucket, ".."))
    error_message = "state_backend.bucket: not an S3 bucket name; got '${var.state_backend.bucket == null ? "" : var.state_backend.bucket}'. Use 3-63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit."
  }

  validation {
    condition     = var.state_backend.type != "local" || var.state_backend.bucket == null
    error_message = "state_backend.bucket: only the s3 backend takes it; got '${var.state_backend.bucket == null ? "" : var.state_backend.bucket}'. Remove it, or set type = \"s3\"."
  }
}

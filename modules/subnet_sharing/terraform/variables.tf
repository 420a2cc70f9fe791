variable "name" {
  description = "Prefix of the share's name (<name>-subnets) and Name tag. Valid values: 2-32 characters, lower-case letters, digits and '-', starting with a letter."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,31}$", var.name))
    error_message = "name: not a resource name prefix; got '${var.name}'. Use 2-32 characters: lower-case letters, digits and '-', starting with a letter (e.g. 'agentcore-dev')."
  }
}

variable "principals" {
  description = "Who the subnets are shared with: 12-digit account ids, or the ARN of the organization or of an OU (AWS shares subnets only inside the organization)."
  type        = list(string)

  validation {
    condition     = length(var.principals) > 0
    error_message = "subnet_sharing.principals: no principal to share with; got []. Name at least one account id, OU ARN or organization ARN, e.g. [\"111122223333\"]."
  }

  validation {
    condition     = alltrue([for p in var.principals : can(regex(local.principal_pattern, p))])
    error_message = "subnet_sharing.principals[${try([for i, p in var.principals : i if !can(regex(local.principal_pattern, p))][0], 0)}]: not an account id, organization ARN or OU ARN; got '${try([for p in var.principals : p if !can(regex(local.principal_pattern, p))][0], "")}'. Give a 12-digit account id, arn:aws:organizations::<account>:organization/o-... or arn:aws:organizations::<account>:ou/o-.../ou-...."
  }

  validation {
    condition     = length(distinct(var.principals)) == length(var.principals)
    error_message = "subnet_sharing.principals: a principal is listed twice; got '${try(sort([for p in distinct(var.principals) : p if length([for q in var.principals : q if q == p]) > 1])[0], "")}'. List each principal once."
  }
}

variable "subnets" {
  description = "The subnets to share, by subnet name: their id, ARN and role (the root picks those of the shared roles)."
  type = map(object({
    id   = string
    arn  = string
    role = string
  }))
}

variable "allow_external_principals" {
  description = "Whether the share may admit accounts outside the organization. AWS shares subnets only inside it. Default: false."
  type        = bool
  default     = false
  nullable    = false
}

locals {
  # The same pattern as modules/kernel/organizations.py (PRINCIPAL_PATTERN).
  principal_pattern = "^([0-9]{12}|arn:aws(-us-gov)?:organizations::[0-9]{12}:organization/o-[a-z0-9]{10,32}|arn:aws(-us-gov)?:organizations::[0-9]{12}:ou/o-[a-z0-9]{10,32}/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32})$"
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

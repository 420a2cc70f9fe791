terraform {
  # 1.10: variable validations that refer to other variables and locals.
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0" # 5.100 applied in the tests, 6.x checked against its schema (help/reuse.md)
    }
  }
}

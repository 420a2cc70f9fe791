terraform {
  # 1.10: variable validations that refer to other variables and locals.
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100.0" # what the tests run (the CDKTF bindings are generated for 5.100.0)
    }
  }
}

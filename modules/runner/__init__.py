"""Running things: synthesis and its cache, Terraform, the local AWS emulator, deployments
and saved plans, adopting what an interrupted deploy left behind."""

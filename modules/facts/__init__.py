"""What the network is made from, as data, each file with its typed reader: the endpoint catalog
(catalog.json: each AWS service, its endpoint type, DNS and policy support), the security groups
and their rules (rules.json), what the workloads send (flows.json), what AWS allows by region
(aws_constraints.json), and the validation of what an environment selects (selection.py). The
constructs, the HCL twins, the flows, the checks and the docs all read them here; this layer
imports nothing above the kernel."""

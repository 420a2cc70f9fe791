"""What the network is made from, as data: the endpoint catalog (catalog.json: each AWS service,
its endpoint type and DNS) and the security groups and their rules (rules.json), each with its
typed reader. The flows, the constructs, the HCL twins, the checks and the docs all read them
here; this layer imports nothing above the kernel."""

"""What the constructs share: the provider bindings, the module base class, policy
serialization, AWS's rules as data (region.py, aws_constraints.json), the error types."""

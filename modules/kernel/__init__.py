"""What the constructs share: the provider bindings, the module base class, policy
serialization, the error types."""

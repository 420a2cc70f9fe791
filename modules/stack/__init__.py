"""The whole network: the stack that composes the three modules (construct.py), the typed
configuration of an environment (environment.py, state_backend.py), and its HCL twin, the root
composition in terraform/ (twins.py maps the addresses between them)."""

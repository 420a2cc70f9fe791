"""verify: prove, from a configuration or a plan, that the network has no way to the internet
and allows exactly the seed's flows."""
from modules.verify.checks import Finding, flow_matrix, policy_problems, verify_model
from modules.verify.model import Model, load_model, model_of

__all__ = ["Finding", "Model", "flow_matrix", "load_model", "model_of", "policy_problems", "verify_model"]

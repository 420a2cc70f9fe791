"""Flows: the endpoint policies and security group rules that follow from what the workloads
send (modules/facts/flows.json, read by modules/facts/flows.py), the IAM evaluator, and the proof
that each flow gets through a network."""

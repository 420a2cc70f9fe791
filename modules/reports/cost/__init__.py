"""cost: what an environment costs a month, and what the alternatives cost and give up."""

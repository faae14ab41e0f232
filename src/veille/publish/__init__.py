"""Speaking: the blunder guard (and, from other modules, drafts, approvals and scheduling)."""

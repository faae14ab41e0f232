"""The team inbox: triage, state changes, replies, routing, response clock and figures."""

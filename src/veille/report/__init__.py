"""Savoir: spikes and alerts, notifications, charts (the brief and report pages build on them)."""

"""Delivery states of agent replies: queued, sent, delivered, read, failed (with a reason)."""

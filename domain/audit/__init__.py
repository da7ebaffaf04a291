"""The audit context: how events are chained by hash, and how a chain is checked."""

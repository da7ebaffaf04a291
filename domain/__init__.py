"""XunCha's domain model: aggregates, events and rules. Pure: no I/O, no web, no SQL."""

"""Audit queries: any clue as it stood at a moment, with its history as audit entries."""

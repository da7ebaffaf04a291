"""Problem clues (问题线索): the audited core. Each clue is its own stream of events."""

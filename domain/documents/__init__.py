"""Official documents (公文) an office issues from the events, and their numbering."""

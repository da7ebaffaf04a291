"""Official documents (公文): facts gathered from the events, laid out, numbered and issued."""

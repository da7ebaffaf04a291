"""Application layer: authorization, command handling, runtime wiring, CLI and HTTP edges."""

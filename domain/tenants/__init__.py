"""Tenants (inspection offices) and the units they inspect."""

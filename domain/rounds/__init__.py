"""Rounds (巡察轮次): linkage, phases, petition channels, teams with recusal, cross batches."""

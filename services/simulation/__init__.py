"""A deterministic city simulation driven through the real services (see `runner`)."""

from services.simulation.profiles import PROFILES, Profile
from services.simulation.runner import Outcome, count_chunks, simulate

__all__ = ["PROFILES", "Outcome", "Profile", "count_chunks", "simulate"]

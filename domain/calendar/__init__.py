"""The official working calendar: public holidays and adjusted working weekends (调休)."""

"""Per-tenant configuration of practice (time limits, names, unit classes, checklists,
committee terms), each version with the date from which it is in force."""

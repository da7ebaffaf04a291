"""Read models: each projection owns its tables and the SQL over them, nothing else."""

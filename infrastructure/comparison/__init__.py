"""Storage and engines of data comparison: keys, Parquet files, SQL checks, DuckDB and Spark."""

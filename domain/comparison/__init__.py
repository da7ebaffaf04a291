"""Data comparison (大数据比对): datasets, comparison models, runs and candidate clues."""

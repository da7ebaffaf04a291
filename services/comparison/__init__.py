"""Use cases of data comparison (大数据比对): datasets, models, runs and candidate clues."""

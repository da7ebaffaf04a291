"""Inspectors (巡察干部): home office, postings and declared relations."""

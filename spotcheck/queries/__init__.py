"""Reads for the pages, the API and the CLI: typed results computed from the stored rows, no writes.

year    year_totals (a year's quarters recounted from the stored visits)
"""

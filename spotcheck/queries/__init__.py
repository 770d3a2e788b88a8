"""Reads for the pages and the API, one module per concern; import the modules themselves (nothing is
re-exported here). Each query takes a ``UnitOfWork`` and returns the shapes of ``queries.shapes``; what the
public may see is decided in ``queries.gate`` alone (docs/api.md).

year    year_totals (a year's quarters recounted from the stored visits)
"""

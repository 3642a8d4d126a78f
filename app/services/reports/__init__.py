"""Reports (گزارش‌ها): the manager's figures over opportunities, identities, activities and invoices.

Every figure is aggregated in SQL (SQLite and PostgreSQL alike) inside `Database.read(actor)`, so the
access policy filters the rows counted exactly as it filters the lists. Each report row carries a
`Drill` (`scopes.py`): the same conditions that made the figure, handed back to `ReportService.drill`
to list the records behind it. `periods.py` holds the Jalali periods and the month buckets,
`service.py` the fixed reports, `pivot.py` the free pivot over opportunities, activities or documents
(`sources.py`: the rows of the last two).
"""

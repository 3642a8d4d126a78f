"""Widgets and models every area uses: the lazy table, form fields with their errors, combos, the Jalali date edit,
money edit, history view, conflict handling and the base of a record form.
"""

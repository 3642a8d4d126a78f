"""The identities area's UI: the identities dock, the identity form and its tabs, advanced search, categories,
duplicates, merge, import and export.
"""

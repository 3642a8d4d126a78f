"""The identities area (هویت): the list and quick search, one identity's records, the role lifecycle, duplicates,
merge, categories, tags, advanced search, the timeline, import and export.
"""

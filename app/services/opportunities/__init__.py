"""The opportunities area (فرصت): list and board queries, one opportunity's records, pipelines and stages, moves
and results (won / lost / restore), deal health, merge and the admin's sales lists.
"""

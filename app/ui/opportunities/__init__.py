"""The opportunities area's UI: the dock (board and grouped list), the opportunity form, close dialogs, the admin's
sales settings and the area's wiring (area.py).
"""

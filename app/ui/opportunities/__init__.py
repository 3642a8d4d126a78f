"""The opportunities area's UI: the dock (board and grouped list), the opportunity form, close dialogs, folded columns
(board_fold.py) and the stars clicked on a card (star_click.py), the admin's
sales settings and the area's wiring (area.py).
"""

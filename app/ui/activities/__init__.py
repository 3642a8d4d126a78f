"""The activities area's UI: the activity dialog and form, shared activity actions, types, the calendar, reminders,
attachments, the cardboard dock and the area's wiring (area.py).
"""

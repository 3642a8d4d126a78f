"""The activities area (فعالیت): planning and progress of activities, activity types, followers, attached files,
the calendar, reminders, recently seen records and the cardboard (کارتابل).
"""

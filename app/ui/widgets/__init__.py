"""Reusable widgets."""

from app.ui.widgets.jalali_date_edit import JalaliCalendarWidget, JalaliDateEdit

__all__ = ["JalaliCalendarWidget", "JalaliDateEdit"]

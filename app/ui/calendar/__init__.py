"""The Jalali activity calendar (month grid and week agenda)."""

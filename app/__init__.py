"""Peyvand (پیوند): a Persian sales CRM for the desktop."""

__version__ = "0.1.0"
APP_NAME = "Peyvand"

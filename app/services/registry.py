"""All services over one database, handed to the UI and the command line as one object."""

from __future__ import annotations

from app.services.cardboard import CardboardService
from app.services.database import Database
from app.services.history import HistoryService
from app.services.identities import IdentityService
from app.services.opportunities import OpportunityService
from app.services.recycle_bin import RecycleBinService
from app.services.settings import SettingsService
from app.services.users import UserService


class Services:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.identities = IdentityService(db)
        self.opportunities = OpportunityService(db)
        self.cardboard = CardboardService(db)
        self.settings = SettingsService(db)
        self.users = UserService(db)
        self.history = HistoryService(db)
        self.recycle_bin = RecycleBinService(db)

    @classmethod
    def open(cls, url: str) -> Services:
        return cls(Database(url))

"""SQLAlchemy models only: no Qt, no sessions. Importing this registers every table."""

from app.models.activity import Activity
from app.models.audit import AuditEntry
from app.models.base import Base, BusinessMixin, new_id, utcnow
from app.models.catalog import Product, ProductGroup
from app.models.enums import (
    AccessLevel,
    ActivityKind,
    ActivityState,
    IdentityKind,
    IdentityRole,
    OpportunityStatus,
    PhoneKind,
)
from app.models.follower import Follower
from app.models.identity import Identity, IdentityAddress, IdentityEmail, IdentityPhone
from app.models.opportunity import Opportunity
from app.models.pipeline import Pipeline, Stage
from app.models.setting import Setting
from app.models.user import SalesTeam, User

__all__ = [
    "AccessLevel",
    "Activity",
    "ActivityKind",
    "ActivityState",
    "AuditEntry",
    "Follower",
    "SalesTeam",
    "Base",
    "BusinessMixin",
    "Identity",
    "IdentityAddress",
    "IdentityEmail",
    "IdentityKind",
    "IdentityPhone",
    "IdentityRole",
    "Opportunity",
    "OpportunityStatus",
    "PhoneKind",
    "Pipeline",
    "Product",
    "ProductGroup",
    "Setting",
    "Stage",
    "User",
    "new_id",
    "utcnow",
]

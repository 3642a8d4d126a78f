"""SQLAlchemy models only: no Qt, no sessions. Importing this registers every table."""

from app.models.activity import Activity, ActivityAttendee, ActivityType, Attachment, AttachmentBlob
from app.models.assignment import AssignmentLogEntry, AssignmentRule, AssignmentRuleUser
from app.models.audit import AuditEntry
from app.models.base import Base, BusinessMixin, new_id, utcnow
from app.models.catalog import PriceList, PriceListItem, Product, ProductGroup
from app.models.contract import Contract, ContractInstalment, ContractLine, InstalmentAllocation
from app.models.documents import (
    Invoice,
    InvoiceLine,
    NumberSeries,
    Quote,
    QuoteLine,
    Receipt,
    ReceiptAllocation,
    SalesReturn,
    SalesReturnLine,
    VatRate,
)
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
from app.models.journal import ChangeClock, ChangeLogEntry
from app.models.lists import (
    Campaign,
    Category,
    CloseReason,
    Competitor,
    CustomField,
    IdentityTag,
    LinkRow,
    Medium,
    OpportunityCompetitor,
    OpportunityTag,
    OpportunityType,
    Source,
    Tag,
    identity_tags,
    opportunity_competitors,
    opportunity_tags,
)
from app.models.message import Message, MessageFile, MessageRead
from app.models.opportunity import Opportunity, OpportunityLine, RecurringPlan
from app.models.pipeline import Pipeline, Stage
from app.models.setting import Setting
from app.models.user import SalesTeam, User
from app.models.workspace import MergeRecord, RecentRecord, SavedSearch

__all__ = [
    "AssignmentLogEntry",
    "AssignmentRule",
    "AssignmentRuleUser",
    "Contract",
    "ContractInstalment",
    "ContractLine",
    "InstalmentAllocation",
    "ActivityAttendee",
    "ActivityType",
    "Attachment",
    "AttachmentBlob",
    "PriceList",
    "PriceListItem",
    "Invoice",
    "InvoiceLine",
    "NumberSeries",
    "Quote",
    "QuoteLine",
    "Receipt",
    "ReceiptAllocation",
    "SalesReturn",
    "SalesReturnLine",
    "VatRate",
    "Campaign",
    "Category",
    "CloseReason",
    "Competitor",
    "CustomField",
    "Medium",
    "OpportunityType",
    "Source",
    "Tag",
    "IdentityTag",
    "LinkRow",
    "OpportunityCompetitor",
    "OpportunityTag",
    "identity_tags",
    "opportunity_competitors",
    "opportunity_tags",
    "OpportunityLine",
    "RecurringPlan",
    "MergeRecord",
    "RecentRecord",
    "SavedSearch",
    "Message",
    "MessageFile",
    "MessageRead",
    "AccessLevel",
    "Activity",
    "ActivityKind",
    "ActivityState",
    "AuditEntry",
    "ChangeClock",
    "ChangeLogEntry",
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

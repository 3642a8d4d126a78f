"""All services over one database, handed to the UI and the command line as one object.

Each service is made, and its module imported, when first used: a start needs a few of the 56, and
importing them all took 0.45 s before the window showed any rows.
"""

from __future__ import annotations

import importlib
import threading
from typing import TYPE_CHECKING, Any

from app.services.core.database import Database

if TYPE_CHECKING:
    from app.services.activities.activity_types import ActivityTypeService
    from app.services.activities.attachments import AttachmentService
    from app.services.activities.calendar import CalendarService
    from app.services.activities.cardboard import CardboardService
    from app.services.activities.followers import FollowerService
    from app.services.activities.messages import MessageService
    from app.services.activities.messages_unread import MessageReadService
    from app.services.activities.recent import RecentService
    from app.services.activities.reminders import ReminderService
    from app.services.activities.service import ActivityService
    from app.services.admin.assignment_rules import AssignmentRuleService
    from app.services.admin.custom_fields import CustomFieldService
    from app.services.admin.history import HistoryService
    from app.services.admin.recycle_bin import RecycleBinService
    from app.services.admin.settings import SettingsService
    from app.services.admin.tags import TagAdminService
    from app.services.admin.teams import TeamService
    from app.services.admin.users import UserService
    from app.services.catalog.price_lists import PriceListService
    from app.services.catalog.product_import import ProductImportService
    from app.services.catalog.products import ProductService
    from app.services.core.saved_searches import SavedSearchService
    from app.services.documents.balances import BalanceService
    from app.services.documents.contract_payments import InstalmentService
    from app.services.documents.contracts import ContractService
    from app.services.documents.document_data import PrintService
    from app.services.documents.invoices import InvoiceService
    from app.services.documents.quotes import QuoteService
    from app.services.documents.receipts import ReceiptService
    from app.services.documents.record_documents import RecordDocumentsService
    from app.services.documents.returns import ReturnService
    from app.services.documents.vat_rates import VatRateService
    from app.services.identities.advanced_search import AdvancedSearchService
    from app.services.identities.categories import CategoryService
    from app.services.identities.export import IdentityExportService
    from app.services.identities.importer import IdentityImportService
    from app.services.identities.lifecycle import IdentityLifecycleService
    from app.services.identities.merge import IdentityMergeService
    from app.services.identities.service import IdentityService
    from app.services.identities.tags import TagService
    from app.services.identities.timeline import TimelineService
    from app.services.opportunities.auto_probability import AutoProbabilityService
    from app.services.opportunities.batch import OpportunityBatchService
    from app.services.opportunities.board import BoardService
    from app.services.opportunities.health import DealHealthService
    from app.services.opportunities.merge import OpportunityMergeService
    from app.services.opportunities.moves import PipelineMoveService
    from app.services.opportunities.pipelines import PipelineService
    from app.services.opportunities.queries import OpportunityService
    from app.services.opportunities.records import OpportunityRecordService
    from app.services.opportunities.recurring import RecurringPlanService
    from app.services.opportunities.sales_lists import SalesListService
    from app.services.opportunities.similar import SimilarOpportunityService
    from app.services.sync.conflicts import ConflictService
    from app.services.sync.devices import DeviceService
    from app.services.sync.service import SyncService

# attribute -> (module, class[, the service passed after the database])
SERVICES: dict[str, tuple[str, ...]] = {
    "identities": ("app.services.identities.service", "IdentityService"),
    "identity_lifecycle": ("app.services.identities.lifecycle", "IdentityLifecycleService"),
    "identity_merge": ("app.services.identities.merge", "IdentityMergeService"),
    "identity_import": ("app.services.identities.importer", "IdentityImportService"),
    "identity_export": ("app.services.identities.export", "IdentityExportService"),
    "advanced_search": ("app.services.identities.advanced_search", "AdvancedSearchService"),
    "saved_searches": ("app.services.core.saved_searches", "SavedSearchService"),
    "categories": ("app.services.identities.categories", "CategoryService"),
    "tags": ("app.services.identities.tags", "TagService"),
    "tag_admin": ("app.services.admin.tags", "TagAdminService"),
    "timeline": ("app.services.identities.timeline", "TimelineService"),
    "opportunities": ("app.services.opportunities.queries", "OpportunityService"),
    "opportunity_records": ("app.services.opportunities.records", "OpportunityRecordService"),
    "board": ("app.services.opportunities.board", "BoardService"),
    "auto_probability": ("app.services.opportunities.auto_probability", "AutoProbabilityService"),
    "pipeline_moves": ("app.services.opportunities.moves", "PipelineMoveService"),
    "opportunity_batch": ("app.services.opportunities.batch", "OpportunityBatchService"),
    "opportunity_merge": ("app.services.opportunities.merge", "OpportunityMergeService"),
    "pipelines": ("app.services.opportunities.pipelines", "PipelineService"),
    "recurring_plans": ("app.services.opportunities.recurring", "RecurringPlanService"),
    "similar_opportunities": ("app.services.opportunities.similar", "SimilarOpportunityService"),
    "products": ("app.services.catalog.products", "ProductService"),
    "product_import": ("app.services.catalog.product_import", "ProductImportService"),
    "price_lists": ("app.services.catalog.price_lists", "PriceListService"),
    "sales_lists": ("app.services.opportunities.sales_lists", "SalesListService"),
    "custom_fields": ("app.services.admin.custom_fields", "CustomFieldService"),
    "cardboard": ("app.services.activities.cardboard", "CardboardService"),
    "settings": ("app.services.admin.settings", "SettingsService"),
    "users": ("app.services.admin.users", "UserService"),
    "teams": ("app.services.admin.teams", "TeamService"),
    "assignment_rules": ("app.services.admin.assignment_rules", "AssignmentRuleService"),
    "history": ("app.services.admin.history", "HistoryService"),
    "recycle_bin": ("app.services.admin.recycle_bin", "RecycleBinService"),
    "activity_types": ("app.services.activities.activity_types", "ActivityTypeService"),
    "activities": ("app.services.activities.service", "ActivityService", "activity_types"),
    "attachments": ("app.services.activities.attachments", "AttachmentService"),
    "followers": ("app.services.activities.followers", "FollowerService"),
    "messages": ("app.services.activities.messages", "MessageService"),
    "message_reads": ("app.services.activities.messages_unread", "MessageReadService"),
    "deal_health": ("app.services.opportunities.health", "DealHealthService"),
    "calendar": ("app.services.activities.calendar", "CalendarService"),
    "reminders": ("app.services.activities.reminders", "ReminderService"),
    "recent": ("app.services.activities.recent", "RecentService"),
    "quotes": ("app.services.documents.quotes", "QuoteService"),
    "invoices": ("app.services.documents.invoices", "InvoiceService"),
    "returns": ("app.services.documents.returns", "ReturnService"),
    "receipts": ("app.services.documents.receipts", "ReceiptService"),
    "contracts": ("app.services.documents.contracts", "ContractService"),
    "instalments": ("app.services.documents.contract_payments", "InstalmentService"),
    "balances": ("app.services.documents.balances", "BalanceService"),
    "record_documents": ("app.services.documents.record_documents", "RecordDocumentsService"),
    "vat_rates": ("app.services.documents.vat_rates", "VatRateService"),
    "printing": ("app.services.documents.document_data", "PrintService"),
    "sync": ("app.services.sync.service", "SyncService"),
    "devices": ("app.services.sync.devices", "DeviceService"),
    "conflicts": ("app.services.sync.conflicts", "ConflictService"),
}

# Modules that add to a service when imported, imported before it is made: the cardboard's sections of
# documents and new messages, the timeline's items (in the order the eager registry imported them).
CONTRIBUTORS: dict[str, tuple[str, ...]] = {
    "cardboard": ("app.services.documents.cardboard_sections", "app.services.activities.messages_unread"),
    "timeline": (
        "app.services.activities.attachments",
        "app.services.activities.messages_unread",
        "app.services.documents.timeline_items",
    ),
}


class Services:
    identities: IdentityService
    identity_lifecycle: IdentityLifecycleService
    identity_merge: IdentityMergeService
    identity_import: IdentityImportService
    identity_export: IdentityExportService
    advanced_search: AdvancedSearchService
    saved_searches: SavedSearchService
    categories: CategoryService
    tags: TagService
    tag_admin: TagAdminService
    timeline: TimelineService
    opportunities: OpportunityService
    opportunity_records: OpportunityRecordService
    board: BoardService
    auto_probability: AutoProbabilityService
    pipeline_moves: PipelineMoveService
    opportunity_batch: OpportunityBatchService
    opportunity_merge: OpportunityMergeService
    pipelines: PipelineService
    recurring_plans: RecurringPlanService
    similar_opportunities: SimilarOpportunityService
    products: ProductService
    product_import: ProductImportService
    price_lists: PriceListService
    sales_lists: SalesListService
    custom_fields: CustomFieldService
    cardboard: CardboardService
    settings: SettingsService
    users: UserService
    teams: TeamService
    assignment_rules: AssignmentRuleService
    history: HistoryService
    recycle_bin: RecycleBinService
    activity_types: ActivityTypeService
    activities: ActivityService
    attachments: AttachmentService
    followers: FollowerService
    messages: MessageService
    message_reads: MessageReadService
    deal_health: DealHealthService
    calendar: CalendarService
    reminders: ReminderService
    recent: RecentService
    quotes: QuoteService
    invoices: InvoiceService
    returns: ReturnService
    receipts: ReceiptService
    contracts: ContractService
    instalments: InstalmentService
    balances: BalanceService
    record_documents: RecordDocumentsService
    vat_rates: VatRateService
    printing: PrintService
    sync: SyncService
    devices: DeviceService
    conflicts: ConflictService

    def __init__(self, db: Database) -> None:
        self.db = db
        # One instance per service even when two workers ask first at once (a service may keep state: the
        # automatic probability's models); reentrant, as a service may be made with another.
        self._making = threading.RLock()

    def __getattr__(self, name: str) -> Any:
        spec = SERVICES.get(name)
        if spec is None:
            raise AttributeError(f"{type(self).__name__!r} has no service {name!r}")
        with self._making:
            if name not in self.__dict__:
                module, cls, *needs = spec
                for contributor in CONTRIBUTORS.get(name, ()):
                    importlib.import_module(contributor)
                made = getattr(importlib.import_module(module), cls)(self.db, *(getattr(self, n) for n in needs))
                self.__dict__[name] = made
            return self.__dict__[name]

    @classmethod
    def open(cls, url: str) -> Services:
        return cls(Database(url))

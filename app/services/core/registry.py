"""All services over one database, handed to the UI and the command line as one object."""

from __future__ import annotations

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
from app.services.core.database import Database
from app.services.core.saved_searches import SavedSearchService
from app.services.documents import (
    cardboard_sections,  # noqa: F401  (fills the cardboard's document sections)
    timeline_items,  # noqa: F401  (the documents in the identity's timeline)
)
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


class Services:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.identities = IdentityService(db)
        self.identity_lifecycle = IdentityLifecycleService(db)
        self.identity_merge = IdentityMergeService(db)
        self.identity_import = IdentityImportService(db)
        self.identity_export = IdentityExportService(db)
        self.advanced_search = AdvancedSearchService(db)
        self.saved_searches = SavedSearchService(db)
        self.categories = CategoryService(db)
        self.tags = TagService(db)
        self.tag_admin = TagAdminService(db)
        self.timeline = TimelineService(db)
        self.opportunities = OpportunityService(db)
        self.opportunity_records = OpportunityRecordService(db)
        self.board = BoardService(db)
        self.auto_probability = AutoProbabilityService(db)
        self.pipeline_moves = PipelineMoveService(db)
        self.opportunity_batch = OpportunityBatchService(db)
        self.opportunity_merge = OpportunityMergeService(db)
        self.pipelines = PipelineService(db)
        self.recurring_plans = RecurringPlanService(db)
        self.similar_opportunities = SimilarOpportunityService(db)
        self.products = ProductService(db)
        self.product_import = ProductImportService(db)
        self.price_lists = PriceListService(db)
        self.sales_lists = SalesListService(db)
        self.custom_fields = CustomFieldService(db)
        self.cardboard = CardboardService(db)
        self.settings = SettingsService(db)
        self.users = UserService(db)
        self.teams = TeamService(db)
        self.assignment_rules = AssignmentRuleService(db)
        self.history = HistoryService(db)
        self.recycle_bin = RecycleBinService(db)
        self.activity_types = ActivityTypeService(db)
        self.activities = ActivityService(db, self.activity_types)
        self.attachments = AttachmentService(db)
        self.followers = FollowerService(db)
        self.messages = MessageService(db)
        self.message_reads = MessageReadService(db)
        self.deal_health = DealHealthService(db)
        self.calendar = CalendarService(db)
        self.reminders = ReminderService(db)
        self.recent = RecentService(db)
        self.quotes = QuoteService(db)
        self.invoices = InvoiceService(db)
        self.returns = ReturnService(db)
        self.receipts = ReceiptService(db)
        self.contracts = ContractService(db)
        self.instalments = InstalmentService(db)
        self.balances = BalanceService(db)
        self.record_documents = RecordDocumentsService(db)
        self.vat_rates = VatRateService(db)
        self.printing = PrintService(db)
        self.sync = SyncService(db)
        self.devices = DeviceService(db)
        self.conflicts = ConflictService(db)

    @classmethod
    def open(cls, url: str) -> Services:
        return cls(Database(url))

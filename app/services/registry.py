"""All services over one database, handed to the UI and the command line as one object."""

from __future__ import annotations

from app.services.activities import ActivityService
from app.services.activity_types import ActivityTypeService
from app.services.advanced_search import AdvancedSearchService
from app.services.attachments import AttachmentService
from app.services.balances import BalanceService
from app.services.calendar import CalendarService
from app.services.cardboard import CardboardService
from app.services.categories import CategoryService
from app.services.custom_fields import CustomFieldService
from app.services.database import Database
from app.services.deal_health import DealHealthService
from app.services.documents import cardboard_sections  # noqa: F401  (fills the cardboard's document sections)
from app.services.documents.document_data import PrintService
from app.services.documents.invoices import InvoiceService
from app.services.documents.quotes import QuoteService
from app.services.documents.receipts import ReceiptService
from app.services.documents.returns import ReturnService
from app.services.documents.vat_rates import VatRateService
from app.services.followers import FollowerService
from app.services.history import HistoryService
from app.services.identities import IdentityService
from app.services.identity_export import IdentityExportService
from app.services.identity_import import IdentityImportService
from app.services.identity_lifecycle import IdentityLifecycleService
from app.services.identity_merge import IdentityMergeService
from app.services.opportunities import OpportunityService
from app.services.opportunity_board import BoardService
from app.services.opportunity_merge import OpportunityMergeService
from app.services.opportunity_records import OpportunityRecordService
from app.services.pipeline_moves import PipelineMoveService
from app.services.pipelines import PipelineService
from app.services.price_lists import PriceListService
from app.services.product_import import ProductImportService
from app.services.products import ProductService
from app.services.recent import RecentService
from app.services.recycle_bin import RecycleBinService
from app.services.reminders import ReminderService
from app.services.sales_lists import SalesListService
from app.services.saved_searches import SavedSearchService
from app.services.settings import SettingsService
from app.services.tags import TagService
from app.services.teams import TeamService
from app.services.timeline import TimelineService
from app.services.users import UserService


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
        self.timeline = TimelineService(db)
        self.opportunities = OpportunityService(db)
        self.opportunity_records = OpportunityRecordService(db)
        self.board = BoardService(db)
        self.pipeline_moves = PipelineMoveService(db)
        self.opportunity_merge = OpportunityMergeService(db)
        self.pipelines = PipelineService(db)
        self.products = ProductService(db)
        self.product_import = ProductImportService(db)
        self.price_lists = PriceListService(db)
        self.sales_lists = SalesListService(db)
        self.custom_fields = CustomFieldService(db)
        self.cardboard = CardboardService(db)
        self.settings = SettingsService(db)
        self.users = UserService(db)
        self.teams = TeamService(db)
        self.history = HistoryService(db)
        self.recycle_bin = RecycleBinService(db)
        self.activity_types = ActivityTypeService(db)
        self.activities = ActivityService(db, self.activity_types)
        self.attachments = AttachmentService(db)
        self.followers = FollowerService(db)
        self.deal_health = DealHealthService(db)
        self.calendar = CalendarService(db)
        self.reminders = ReminderService(db)
        self.recent = RecentService(db)
        self.quotes = QuoteService(db)
        self.invoices = InvoiceService(db)
        self.returns = ReturnService(db)
        self.receipts = ReceiptService(db)
        self.balances = BalanceService(db)
        self.vat_rates = VatRateService(db)
        self.printing = PrintService(db)

    @classmethod
    def open(cls, url: str) -> Services:
        return cls(Database(url))

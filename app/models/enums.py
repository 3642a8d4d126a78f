"""Enumerations shared by models, services and (through services) the UI. Pure Python."""

from __future__ import annotations

import enum


class AccessLevel(str, enum.Enum):
    ADMIN = "admin"  # مدیر
    ALL_DOCUMENTS = "all"  # همه اسناد
    OWN_DOCUMENTS = "own"  # فقط اسناد خود


class IdentityKind(str, enum.Enum):
    PERSON = "person"
    ORGANISATION = "organisation"


class IdentityRole(str, enum.Enum):
    LEAD = "lead"  # سرنخ
    CONTACT = "contact"  # مخاطب
    CUSTOMER = "customer"  # مشتری
    UNQUALIFIED = "unqualified"  # عدم کفایت سرنخ


class PhoneKind(str, enum.Enum):
    MOBILE = "mobile"
    WORK = "work"
    HOME = "home"
    FAX = "fax"


class OpportunityStatus(str, enum.Enum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class ActivityKind(str, enum.Enum):
    CALL = "call"  # تماس
    MEETING = "meeting"  # جلسه
    REMINDER = "reminder"  # یادآوری/پیگیری
    TASK = "task"  # وظیفه
    NOTE = "note"  # یادداشت
    FILE = "file"  # فایل


class ActivityState(str, enum.Enum):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"


class BuyingProcess(str, enum.Enum):
    INDIVIDUAL = "individual"  # فردی
    GROUP = "group"  # گروهی


class ReasonKind(str, enum.Enum):
    WIN = "win"
    LOSS = "loss"


class CustomFieldKind(str, enum.Enum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    CHOICE = "choice"


class NextActivityMode(str, enum.Enum):
    NONE = "none"
    SUGGEST = "suggest"  # offer the next activity when one is done
    AUTO = "auto"  # create it automatically


class DelayUnit(str, enum.Enum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"


class DelayFrom(str, enum.Enum):
    COMPLETION = "completion"
    DEADLINE = "deadline"


class QuoteState(str, enum.Enum):
    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    EXPIRED = "expired"


class DocumentState(str, enum.Enum):
    """Invoices and returns: a draft is editable, an issued document never changes."""

    DRAFT = "draft"
    ISSUED = "issued"


class Settlement(str, enum.Enum):
    """Moadian `setm`: 1 cash, 2 credit, 3 both."""

    CASH = "cash"
    CREDIT = "credit"
    BOTH = "both"


class BuyerType(str, enum.Enum):
    """Moadian `tob`: 1 natural person, 2 legal entity, 3 civil partnership, 4 foreign national."""

    PERSON = "person"
    LEGAL = "legal"
    PARTNERSHIP = "partnership"
    FOREIGN = "foreign"


class PaymentMethod(str, enum.Enum):
    CASH = "cash"
    CARD_TO_CARD = "card"
    BANK_TRANSFER = "transfer"
    CHEQUE = "cheque"
    CREDIT = "credit"
    PAYMENT_LINK = "link"
    POS = "pos"


class MoneyDirection(str, enum.Enum):
    IN = "in"  # دریافت: money received from the customer
    OUT = "out"  # پرداخت: money paid back to the customer


class ChequeState(str, enum.Enum):
    """A received cheque's way to the bank (workflow: documents/cheques.py CHEQUE_FLOW)."""

    RECEIVED = "received"  # in the office's hands
    DEPOSITED = "deposited"  # handed to the bank for collection
    CLEARED = "cleared"  # the money reached the account
    BOUNCED = "bounced"  # refused by the drawer's bank
    RETURNED = "returned"  # given back to the drawer


class PaymentStatus(str, enum.Enum):
    """An issued invoice's payment, computed from receipt allocations (never stored)."""

    UNPAID = "unpaid"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"

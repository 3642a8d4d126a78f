"""Identifier validators with every vector of iran-rules.md §3."""

import pytest

from app.persian import ValidationError
from app.persian import validators as v


def rejects(func, value, message=None):
    with pytest.raises(ValidationError) as err:
        func(value)
    if message is not None:
        assert err.value.message == message
    return err.value.message


# §3.1 national code
@pytest.mark.parametrize(
    "code",
    [
        "0499370899",
        "0790419904",
        "0084575948",
        "0963695398",
        "0684159414",
        "0067749828",
    ],
)
def test_national_code_valid(code):
    assert v.national_code(code) == code


def test_national_code_normalises():
    assert v.national_code("068415941") == "0068415941"  # 9 digits are zero-padded
    assert v.national_code("۰۴۹۹۳۷۰۸۹۹") == "0499370899"
    assert v.national_code("٠٤٩٩٣٧٠٨٩٩") == "0499370899"
    assert v.national_code(" 049-937089-9 ") == "0499370899"
    assert v.national_code("\u202a0499370899\u202c") == "0499370899"


@pytest.mark.parametrize("code", ["0000000000", "0684159415", "123000000", "1111111111"])
def test_national_code_invalid(code):
    rejects(v.national_code, code, "کد ملی معتبر نیست")


def test_national_code_messages():
    rejects(v.national_code, "12345", "کد ملی باید ۱۰ رقم باشد")
    rejects(v.national_code, "04993708991", "کد ملی باید ۱۰ رقم باشد")
    rejects(v.national_code, "04993708a9", "کد ملی فقط باید شامل رقم باشد")
    rejects(v.national_code, "  ", "کد ملی وارد نشده است")
    rejects(v.national_code, None, "کد ملی وارد نشده است")


# §3.2 legal ID
@pytest.mark.parametrize(
    "code",
    [
        "10380284790",
        "10100387143",
        "77111986110",
        "18061055669",
        "15292247120",
        "42118547230",
    ],
)
def test_legal_id_valid(code):
    assert v.legal_id(code) == code
    assert v.legal_id(code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))) == code


@pytest.mark.parametrize("code", ["84735069516", "11111111111", "10380284792"])
def test_legal_id_bad_checksum(code):
    rejects(v.legal_id, code, "شناسه ملی معتبر نیست")


@pytest.mark.parametrize("code", ["097482083013", "123001000", "1038028479"])
def test_legal_id_bad_length(code):
    rejects(v.legal_id, code, "شناسه ملی باید ۱۱ رقم باشد")  # no zero-padding


def test_legal_id_other_rejects():
    rejects(v.legal_id, "0974820830a", "شناسه ملی فقط باید شامل رقم باشد")
    rejects(v.legal_id, "33333333333", "شناسه ملی معتبر نیست")  # passes the checksum!
    rejects(v.legal_id, "10300000000", "شناسه ملی معتبر نیست")  # s[3:9] == '000000'


# §3.3 economic code
@pytest.mark.parametrize("code", ["10380284790", "411337894159", "411339837594", "14004800101010"])
def test_economic_code_valid(code):
    assert v.economic_code(code) == code


def test_economic_code_invalid():
    rejects(v.economic_code, "10380284792", "کد اقتصادی معتبر نیست")
    for code in ("1038028479", "4113378941590", "140048001010101"):
        rejects(v.economic_code, code, "کد اقتصادی باید ۱۱، ۱۲ یا ۱۴ رقم باشد")
    assert v.economic_code("۴۱۱۳-۳۷۸۹-۴۱۵۹") == "411337894159"


# §3.4 postal code
@pytest.mark.parametrize("code", ["1917763913", "8136613699"])
def test_postal_code_passes_heuristic(code):
    assert v.postal_code(code) == code
    assert v.postal_code_warning(code) is None


@pytest.mark.parametrize("code", ["1234567890", "0123456789", "1111111111", "2917763913"])
def test_postal_code_heuristic_is_only_a_warning(code):
    assert v.postal_code(code) == code
    assert v.postal_code_warning(code)


def test_postal_code_length():
    rejects(v.postal_code, "191776391", "کد پستی باید ۱۰ رقم باشد")
    rejects(v.postal_code_warning, "191776391", "کد پستی باید ۱۰ رقم باشد")
    assert v.postal_code("۱۹۱۷۷-۶۳۹۱۳") == "1917763913"


# §3.5 mobile
@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("09022002580", "09022002580"),
        ("09122002580", "09122002580"),
        ("09322002580", "09322002580"),
        ("09192002580", "09192002580"),
        ("+989022002580", "09022002580"),
        ("989022002580", "09022002580"),
        ("00989022002580", "09022002580"),
        ("9022002580", "09022002580"),
        ("+989373708555", "09373708555"),
        ("۰۹۱۲ ۳۴۵ ۶۷۸۹", "09123456789"),
        ("0912-345-6789", "09123456789"),
        ("09981000000", "09981000000"),
        ("09411234567", "09411234567"),
    ],
)
def test_mobile_valid(raw, canonical):
    assert v.mobile(raw) == canonical


@pytest.mark.parametrize(
    "raw",
    [
        "09802002580",
        "0980200",
        "0912123456",
        "091212345678",
        "0912123456789012",
        "02188776655",
    ],
)
def test_mobile_invalid(raw):
    rejects(v.mobile, raw, "شماره موبایل معتبر نیست")


# §3.6 IBAN / Sheba
@pytest.mark.parametrize(
    ("raw", "compact"),
    [
        ("IR820540102680020817909002", "IR820540102680020817909002"),
        ("IR062960000000100324200001", "IR062960000000100324200001"),
        ("IR82 0540 1026 8002 0817 9090 02", "IR820540102680020817909002"),
        (
            "ir820540102680020817909002",
            "IR820540102680020817909002",
        ),  # lower case accepted
        ("820540102680020817909002", "IR820540102680020817909002"),  # digits without IR
        ("IR۸۲۰۵۴۰۱۰۲۶۸۰۰۲۰۸۱۷۹۰۹۰۰۲", "IR820540102680020817909002"),
    ],
)
def test_iban_valid(raw, compact):
    assert v.iban(raw) == compact


@pytest.mark.parametrize("raw", ["IR820540102680020817909003", "IR012345678901234567890123"])
def test_iban_bad_checksum(raw):
    rejects(v.iban, raw, "شماره شبا معتبر نیست")


@pytest.mark.parametrize("raw", ["IR01234567890123456789", "DE89370400440532013000", "IR82O540"])
def test_iban_bad_shape(raw):
    rejects(v.iban, raw, "شماره شبا باید IR و ۲۴ رقم باشد")


# §3.7 bank card
@pytest.mark.parametrize("card", ["6037701689095443", "6219861034529007"])
def test_bank_card_valid(card):
    assert v.bank_card(card) == card
    assert v.bank_card(" ".join(card[i : i + 4] for i in range(0, 16, 4))) == card


def test_bank_card_invalid():
    rejects(v.bank_card, "6219861034529008", "شماره کارت معتبر نیست")
    rejects(v.bank_card, "621986103452900", "شماره کارت باید ۱۶ رقم باشد")


# email
@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("  Ali.Karimi@Example.COM ", "Ali.Karimi@example.com"),
        ("sales+crm@mail.co.ir", "sales+crm@mail.co.ir"),
        ("ali۱۲@example.ir", "ali12@example.ir"),
    ],
)
def test_email_valid(raw, stored):
    assert v.email(raw) == stored


@pytest.mark.parametrize(
    "raw",
    [
        "ali",
        "ali@",
        "@example.com",
        "ali@example",
        "ali..k@example.com",
        "a b@example.com",
        "ali@-example.com",
        "علی@example.com",
        ".ali@example.com",
    ],
)
def test_email_invalid(raw):
    rejects(v.email, raw, "ایمیل معتبر نیست")


def test_email_blank():
    rejects(v.email, " ", "ایمیل وارد نشده است")

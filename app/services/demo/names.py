"""Curated Persian names, company names and street addresses for the sample data.

Faker's fa_IR locale glues names together («فاطمیاسارینا») and its addresses are not Iranian
(«91410 سعیدی تونل»), so names come from these lists (with a Latin spelling for e-mail addresses)
and addresses are composed the way an Iranian office writes them: city, street, alley, plaque, unit.
Compound names keep their zero-width non-joiner («حسین‌زاده»).
"""

from __future__ import annotations

import random

from app.persian import to_persian_digits

# (name, Latin spelling for e-mail addresses)
MALE_NAMES = [
    ("محمد", "mohammad"), ("علی", "ali"), ("حسین", "hossein"), ("رضا", "reza"), ("مهدی", "mehdi"),
    ("امیر", "amir"), ("حسن", "hasan"), ("مصطفی", "mostafa"), ("سعید", "saeed"), ("مجید", "majid"),
    ("حمید", "hamid"), ("محسن", "mohsen"), ("علیرضا", "alireza"), ("محمدرضا", "mohammadreza"),
    ("امیرحسین", "amirhossein"), ("کاظم", "kazem"), ("جواد", "javad"), ("بهروز", "behrouz"),
    ("فرهاد", "farhad"), ("کامران", "kamran"), ("بابک", "babak"), ("پیمان", "peyman"), ("آرش", "arash"),
    ("سیاوش", "siavash"), ("کیوان", "keyvan"), ("مسعود", "masoud"), ("ناصر", "naser"), ("هادی", "hadi"),
    ("وحید", "vahid"), ("یوسف", "yousef"), ("ابوالفضل", "abolfazl"), ("میلاد", "milad"), ("پویا", "pouya"),
    ("امید", "omid"), ("شهرام", "shahram"), ("داوود", "davoud"), ("اکبر", "akbar"), ("منصور", "mansour"),
]  # fmt: skip
FEMALE_NAMES = [
    ("فاطمه", "fatemeh"), ("زهرا", "zahra"), ("مریم", "maryam"), ("سارا", "sara"), ("نرگس", "narges"),
    ("لیلا", "leila"), ("مینا", "mina"), ("الهام", "elham"), ("شیرین", "shirin"), ("نازنین", "nazanin"),
    ("مهسا", "mahsa"), ("ریحانه", "reyhaneh"), ("سمیرا", "samira"), ("پریسا", "parisa"), ("نسرین", "nasrin"),
    ("فرزانه", "farzaneh"), ("آزاده", "azadeh"), ("مهناز", "mahnaz"), ("سیمین", "simin"), ("ژاله", "zhaleh"),
    ("گلاره", "gelareh"), ("یاسمن", "yasaman"), ("هانیه", "hanieh"), ("طاهره", "tahereh"), ("معصومه", "masoumeh"),
    ("نگار", "negar"), ("بهاره", "bahareh"), ("کتایون", "katayoun"), ("پروانه", "parvaneh"), ("سپیده", "sepideh"),
    ("آتنا", "atena"), ("فرشته", "fereshteh"), ("منیژه", "manijeh"), ("رویا", "roya"),
]  # fmt: skip
LAST_NAMES = [
    ("محمدی", "mohammadi"), ("احمدی", "ahmadi"), ("حسینی", "hosseini"), ("رضایی", "rezaei"), ("کریمی", "karimi"),
    ("موسوی", "mousavi"), ("جعفری", "jafari"), ("رحیمی", "rahimi"), ("صادقی", "sadeghi"), ("قاسمی", "ghasemi"),
    ("نوری", "nouri"), ("اکبری", "akbari"), ("کاظمی", "kazemi"), ("هاشمی", "hashemi"), ("ابراهیمی", "ebrahimi"),
    ("مرادی", "moradi"), ("سلیمانی", "soleimani"), ("یزدانی", "yazdani"), ("طاهری", "taheri"), ("نادری", "naderi"),
    ("شریفی", "sharifi"), ("عباسی", "abbasi"), ("فرهادی", "farhadi"), ("بهرامی", "bahrami"), ("زارعی", "zarei"),
    ("کرمانی", "kermani"), ("شیرازی", "shirazi"), ("تهرانی", "tehrani"), ("اصفهانی", "esfahani"),
    ("تبریزی", "tabrizi"), ("گودرزی", "goudarzi"), ("پاکزاد", "pakzad"), ("چگینی", "chegini"),
    ("حسین‌زاده", "hosseinzadeh"), ("حسن‌زاده", "hasanzadeh"), ("قلی‌پور", "gholipour"), ("علی‌پور", "alipour"),
    ("تقی‌زاده", "taghizadeh"), ("رحمانی‌فر", "rahmanifar"), ("محمدی‌نیا", "mohammadinia"),
    ("عبدالله‌زاده", "abdollahzadeh"), ("امین‌پور", "aminpour"), ("کاظم‌پور", "kazempour"),
    ("نیک‌نام", "niknam"), ("خسروشاهی", "khosroshahi"), ("میرزایی", "mirzaei"), ("صفری", "safari"),
    ("ملکی", "maleki"), ("فتحی", "fathi"), ("وکیلی", "vakili"),
]  # fmt: skip
# A company is a form, a brand word and a trade: «شرکت فناوران پارس» is form + brand, «بازرگانی آریا
# تجهیز» is trade + brand + word.
COMPANY_FORMS = ["شرکت", "گروه صنعتی", "بازرگانی", "شرکت مهندسی", "مؤسسه", "فروشگاه"]
COMPANY_BRANDS = [
    ("پارس", "pars"), ("آریا", "arya"), ("البرز", "alborz"), ("سپهر", "sepehr"), ("کیان", "kian"),
    ("نوین", "novin"), ("ایده‌پرداز", "idehpardaz"), ("پیشگامان", "pishgaman"), ("فناوران", "fanavaran"),
    ("رایان", "rayan"), ("آسیا", "asia"), ("زاگرس", "zagros"), ("دماوند", "damavand"), ("مهرگان", "mehregan"),
    ("ستاره", "setareh"), ("آفتاب", "aftab"), ("سامان", "saman"), ("پردیس", "pardis"), ("تابان", "taban"),
]  # fmt: skip
COMPANY_TRADES = [
    "تجهیز", "صنعت", "رایانه", "سازه", "پخش", "الکترونیک", "شبکه", "طب", "پلاستیک", "داده", "تدبیر", "تجارت",
]  # fmt: skip

# Street names found in most Iranian cities, alleys named or numbered, plaques and units.
STREETS = [
    "ولیعصر", "انقلاب", "آزادی", "شریعتی", "امام خمینی", "طالقانی", "مطهری", "بهشتی", "جمهوری", "فردوسی",
    "حافظ", "سعدی", "کارگر", "مدرس", "چمران", "شهید رجایی", "پاسداران", "جمالزاده", "ستارخان", "نواب",
]  # fmt: skip
STREET_KINDS = ["خیابان"] * 4 + ["بلوار", "میدان"]
ALLEYS = [
    "نیلوفر", "یاس", "لاله", "بهار", "گلستان", "ارغوان", "سرو", "نسترن", "مریم", "صنوبر", "شقایق", "اقاقیا",
]  # fmt: skip


def person_name(rnd: random.Random) -> tuple[str, str, str, str]:
    """(first name, last name, title, Latin e-mail name); the title follows the first name's gender."""
    female = rnd.random() < 0.4
    first, first_latin = rnd.choice(FEMALE_NAMES if female else MALE_NAMES)
    last, last_latin = rnd.choice(LAST_NAMES)
    title = rnd.choice(["مهندس", "دکتر"]) if rnd.random() < 0.15 else "خانم" if female else "آقای"
    return first, last, title, f"{first_latin}.{last_latin}"


def company_name(rnd: random.Random) -> tuple[str, str]:
    """(company name, Latin brand for its e-mail address)."""
    form = rnd.choice(COMPANY_FORMS)
    brand, latin = rnd.choice(COMPANY_BRANDS)
    trade = rnd.choice(COMPANY_TRADES)
    return (f"{form} {brand} {trade}" if rnd.random() < 0.6 else f"{form} {trade} {brand}"), latin


def street_address(rnd: random.Random) -> str:
    """«خیابان ولیعصر، کوچه نیلوفر، پلاک ۱۲، واحد ۳»: the part after the city, Persian digits."""
    parts = [f"{rnd.choice(STREET_KINDS)} {rnd.choice(STREETS)}"]
    if rnd.random() < 0.7:
        parts.append(f"کوچه {rnd.choice(ALLEYS)}" if rnd.random() < 0.6 else f"کوچه {rnd.randint(1, 40)}")
    parts.append(f"پلاک {rnd.randint(1, 320)}")
    if rnd.random() < 0.6:
        parts.append(f"طبقه {rnd.randint(1, 8)}" if rnd.random() < 0.3 else f"واحد {rnd.randint(1, 24)}")
    return to_persian_digits("، ".join(parts))


def postal_code(rnd: random.Random) -> str:
    """Ten digits in the usual pattern (no 0 or 2 in the first five, no 5 in the fifth, no 2 after;
    the first four not all alike): validators.postal_code_warning stays quiet."""
    while len(set(head := "".join(rnd.choices("13456789", k=4)))) == 1:
        pass
    return head + rnd.choice("1346789") + "".join(rnd.choices("013456789", k=5))

"""Persian alphabetical order (issue 14): sort_key orders names as the Persian alphabet does."""

import random
import re

from hypothesis import given
from hypothesis import strategies as st

from app.persian import sort_key, to_persian_digits
from app.persian.sort import ALPHABET

ISSUE_ALPHABET = "ا ب پ ت ث ج چ ح خ د ذ ر ز ژ س ش ص ض ط ظ ع غ ف ق ک گ ل م ن و ه ی".split()

# 37 names in the order a Persian reader expects; the issue's list ended «… نادر، هادی، وحید، پرویز، چنگیز،
# ژاله، کامران، کاوه، گلاره، یاسمن» (code point order).
THIRTY_SEVEN = [
    "احمد", "آرش", "بهرام", "پرویز", "تینا", "ثریا", "جواد", "چنگیز", "حسن", "خسرو", "داریوش", "ذبیح",
    "رضا", "زهرا", "ژاله", "سارا", "شیرین", "صادق", "ضیا", "طاهره", "ظریف", "عباس", "غلام", "فرهاد",
    "قاسم", "کامران", "کاوه", "گلاره", "لیلا", "مریم", "مهسا ۲", "مهسا 10", "نادر", "وحید", "هادی",
    "یاسمن", "Zahra",
]  # fmt: skip

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
persian_words = st.text(alphabet=ALPHABET, min_size=1, max_size=12)


def test_the_alphabet_of_the_issue_is_the_module_alphabet() -> None:
    assert list(ALPHABET) == ISSUE_ALPHABET


def test_the_32_letters_with_arabic_yeh_and_kaf_sort_in_the_persian_alphabet() -> None:
    shuffled = [*ISSUE_ALPHABET, "ي", "ك"]
    random.Random(14).shuffle(shuffled)
    ordered = sorted(shuffled, key=sort_key)
    # The Arabic letters fold into ی and ک: each sits beside its Persian twin, not after ی.
    folded = [{"ي": "ی", "ك": "ک"}.get(c, c) for c in ordered]
    assert folded == [c for c in ISSUE_ALPHABET for _ in range(2 if c in "یک" else 1)]


def test_the_37_names_of_the_issue_sort_as_a_persian_reader_expects() -> None:
    shuffled = THIRTY_SEVEN[:]
    random.Random(37).shuffle(shuffled)
    assert sorted(shuffled, key=sort_key) == THIRTY_SEVEN
    assert sorted(shuffled) != THIRTY_SEVEN  # code point order is the bug


def test_alef_madda_ties_with_alef_at_the_first_level_and_follows_it_after() -> None:
    assert sorted(["آب", "اب", "ابا", "آ"], key=sort_key) == ["آ", "اب", "آب", "ابا"]


def test_zwnj_spaces_and_diacritics_are_ignored_at_the_first_level() -> None:
    assert sort_key("کتاب‌ها") == sort_key("کتاب ها") == sort_key("کتابها") == sort_key("کِتابـها")
    assert sort_key("کتاب ها") < sort_key("کتابی")


def test_digits_of_any_script_compare_by_value_and_come_first() -> None:
    names = ["ب 10", "ب ۲", "ب 2", "ب ٣", "ب", "الف", "۱۰۰"]
    assert sorted(names, key=sort_key) == ["۱۰۰", "الف", "ب", "ب ۲", "ب 2", "ب ٣", "ب 10"]
    assert sort_key("ب 02") > sort_key("ب 2")  # same value: fewer leading zeros first


def test_latin_follows_persian_ignoring_case_and_accents() -> None:
    assert sorted(["zeta", "Émile", "ی", "apple", "Apple", "émile"], key=sort_key) == [
        "ی",
        "apple",
        "Apple",
        "émile",
        "Émile",
        "zeta",
    ]


@given(st.lists(persian_words, min_size=2, max_size=8))
def test_order_of_persian_words_is_the_alphabet_order(words) -> None:
    by_alphabet = sorted(words, key=lambda w: [ALPHABET.index(c) for c in w])
    assert sorted(words, key=sort_key) == by_alphabet


@given(persian_words, st.lists(st.sampled_from(["\u200c", " "]), max_size=3), st.data())
def test_arabic_letters_and_zwnj_never_change_the_key(word, gaps, data) -> None:
    spelled = word.replace("ی", "ي").replace("ک", "ك")
    for gap in gaps:
        at = data.draw(st.integers(min_value=0, max_value=len(spelled)))
        spelled = spelled[:at] + gap + spelled[at:]
    assert sort_key(spelled) == sort_key(word)


@given(st.integers(min_value=0, max_value=10**30), st.integers(min_value=0, max_value=10**30))
def test_numbers_compare_by_value_in_persian_and_latin_digits(a, b) -> None:
    left, right = sort_key(f"شعبه {a}"), sort_key("شعبه " + to_persian_digits(str(b)))
    assert (left < right) == (a < b)
    assert (left == right) == (a == b)


@given(persian_words, st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1))
def test_latin_names_sort_after_persian_names(persian, latin) -> None:
    assert sort_key(persian) < sort_key(latin)


@given(st.text(max_size=40))
def test_the_key_is_storable_text(text) -> None:
    key = sort_key(text)
    assert _CONTROL.search(key) is None  # the write path's text guard refuses controls

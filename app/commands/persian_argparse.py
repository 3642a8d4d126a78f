"""argparse in Persian: its own words (usage, section titles, help of -h, error messages).

argparse looks every one of its strings up through the gettext functions it imported as
`argparse._` and `argparse.ngettext`; `install()` puts a Persian catalogue in their place, which
covers the strings argparse builds at parse time as well as the help layout.
"""

from __future__ import annotations

import argparse

# Keys are argparse's msgids (Python 3.11+), values keep its %-placeholders; a placeholder a
# translation leaves out (such as the type name) is simply not shown.
MESSAGES = {
    "usage: ": "کاربرد: ",
    "options": "گزینه‌ها",
    "positional arguments": "آرگومان‌های جایگاهی",
    "show this help message and exit": "نمایش این راهنما و خروج",
    "%(prog)s: error: %(message)s\n": "%(prog)s: خطا: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "آرگومان %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "این آرگومان‌ها لازم است: %s",
    "unrecognized arguments: %s": "آرگومان‌های ناشناخته: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "گزینهٔ نامعتبر: %(value)r (یکی از %(choices)s)",
    "invalid %(type)s value: %(value)r": "مقدار نامعتبر: %(value)r",
    "expected one argument": "یک مقدار لازم است",
    "expected at most one argument": "حداکثر یک مقدار پذیرفته می‌شود",
    "expected at least one argument": "دست‌کم یک مقدار لازم است",
    "ambiguous option: %(option)s could match %(matches)s": "گزینهٔ مبهم: %(option)s می‌تواند یکی از %(matches)s باشد",
    "not allowed with argument %s": "همراه با آرگومان %s مجاز نیست",
    "one of the arguments %s is required": "یکی از آرگومان‌های %s لازم است",
    "ignored explicit argument %r": "مقدار %r نادیده گرفته شد",
    "unexpected option string: %s": "گزینهٔ پیش‌بینی‌نشده: %s",
    "can't open '%(filename)s': %(error)s": "فایل «%(filename)s» باز نشد: %(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "فرمان ناشناخته %(parser_name)r (یکی از: %(choices)s)",
}
PLURALS = {
    "expected %s argument": "%s مقدار لازم است",
    "conflicting option string: %s": "گزینهٔ تکراری: %s",
}


def translate(message: str) -> str:
    return MESSAGES.get(message, message)


def ntranslate(singular: str, plural: str, n: int) -> str:
    # Persian nouns after a number stay singular: one form serves every count.
    return PLURALS.get(singular, singular if n == 1 else plural)


def install() -> None:
    argparse._ = translate  # type: ignore[attr-defined]
    argparse.ngettext = ntranslate  # type: ignore[attr-defined]


def positive_int(text: str) -> int:
    """An argparse `type` for counts that must be 1 or more, refused in Persian."""
    value = non_negative_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"باید عددی بزرگ‌تر از صفر باشد، نه «{text}»")
    return value


def non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» عدد صحیح نیست") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"نمی‌تواند منفی باشد: «{text}»")
    return value

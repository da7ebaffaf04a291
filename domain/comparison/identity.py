"""Identity numbers (公民身份号码, GB 11643-1999) and the masked forms evidence is shown in."""

from __future__ import annotations

from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"  # by the weighted sum modulo 11


def check_character(first_seventeen: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first_seventeen, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def id_number_problem(text: str) -> str | None:
    """Why `text` is not a valid 18-character identity number, or None when it is."""
    if len(text) != 18 or not text[:17].isdigit() or not (text[17].isdigit() or text[17] == "X"):
        return "an identity number has 17 digits and a check character (0-9 or X)"
    try:
        date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return f"the birth date {text[6:14]} in the identity number is not a date"
    if check_character(text[:17]) != text[17]:
        return "the check character of the identity number does not match (GB 11643)"
    return None


def normal_id_number(text: str) -> str:
    """As stored and matched: without spaces, a lower-case x as X."""
    return "".join(text.split()).upper()


def masked_id_number(text: str) -> str:
    """3701**********1234: the first four and last four characters."""
    if len(text) <= 8:
        return "*" * len(text)
    return text[:4] + "*" * (len(text) - 8) + text[-4:]


def masked_name(text: str) -> str:
    """张*, 欧阳**: the first character only."""
    return text[:1] + "*" * (len(text) - 1) if text else ""

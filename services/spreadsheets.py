"""Writing user text into spreadsheets without letting it run as a formula (CSV injection).

Imported text is stored exactly as given. Wherever XunCha writes a spreadsheet (CSV or xlsx),
every text cell passes through `neutralised`: text that Excel, WPS or LibreOffice would read as
a formula (or that openpyxl would write as one) gets a leading apostrophe, which spreadsheet
programs show as plain text. Numbers, dates and other non-text values are left as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# What makes a spreadsheet program read a cell as a formula: `=`, `+`, `-`, `@`, and a tab or
# carriage return in front of them (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: Any) -> Any:
    """`value` as a spreadsheet cell: text that would start a formula, quoted as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralised_row(values: Iterable[Any]) -> list[Any]:
    """A row for `csv.writer.writerow` or openpyxl's `append`, every text cell neutralised."""
    return [neutralised(value) for value in values]

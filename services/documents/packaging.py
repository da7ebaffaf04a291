"""Office files are zip packages; a zip entry carries the time it was written. Rewriting every
entry with the document's own date makes the bytes a function of the facts alone, so the same
document made twice has the same SHA-256."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest moment a zip entry can carry


def at_midnight(day: date) -> datetime:
    """The moment a document's properties record as created and modified: its date."""
    return datetime.combine(day, time())


def fixed_package(package: bytes, day: date) -> bytes:
    """`package` with every entry stamped `day`, in the same order, compressed alike."""
    stamp = max((day.year, day.month, day.day, 0, 0, 0), ZIP_EPOCH)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            fixed.create_system = 3  # Unix, whatever the platform it was made on
            target.writestr(fixed, source.read(entry.filename))
    return out.getvalue()

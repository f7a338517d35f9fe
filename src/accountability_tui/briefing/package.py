"""What the Word and Excel writers share: an Office file (a zip "package") that is the same bytes for the same
content. Its own module, so that writing a spreadsheet does not load python-docx, nor does opening the app (every
module loaded is scanned by each full garbage collection: python-docx and lxml made those a third longer)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

AUTHOR = "accountability-tui"
UNDATED = dt.date(2000, 1, 1)  # the date of a document written without one (write_docx(blocks) alone)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def fixed_zip(data: bytes) -> bytes:
    """The package again, its entries in a fixed order ([Content_Types].xml first), all dated ZIP_TIME, with fixed
    attributes and compression: python-docx and openpyxl date each entry with the clock."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in sorted(entries, key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, entries[name], compresslevel=6)
    return out.getvalue()

"""Build delivery-plan tables as other offices save them: CSV in several encodings and delimiters, XLSX."""

from __future__ import annotations

import csv
import io
from pathlib import Path

HEADER = ["Ref", "Action", "Lead", "Status", "Progress update", "Target date", "RAG", "Plan page"]
ROWS = [
    ["A1", "Ask the Chief Constable to publish a burglary plan", "Constabulary", "In progress",
     "Draft seen by the OPCC", "March 2024", "Amber", "12"],
    ["A2", "Work with councils on café safety — “late-night” venues", "Councils", "Complete", "Done", "2023/24",
     "G", "14"],
    ["A3", "Lobby the Government for court capacity", "OPCC", "Not started", "", "Q3 2024/25", "R", ""],
    ["A4", "Commission a victims' service review", "OPCC", "Stalled", "", "when funding allows", "", "15"],
]


def csv_text(header=HEADER, rows=ROWS, delimiter=",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def write_csv(path: Path, header=HEADER, rows=ROWS, *, delimiter=",", encoding="utf-8") -> Path:
    data = csv_text(header, rows, delimiter)
    if encoding == "utf-8-sig":
        path.write_bytes(b"\xef\xbb\xbf" + data.encode("utf-8"))
    else:
        path.write_bytes(data.encode(encoding))
    return path


def write_xlsx(path: Path, header=HEADER, rows=ROWS, *, sheets: dict[str, list] | None = None,
               preamble: list[list] | None = None) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Delivery plan"
    for row in preamble or []:
        sheet.append(row)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for name, content in (sheets or {}).items():
        extra = workbook.create_sheet(name)
        for row in content:
            extra.append(row)
    workbook.save(path)
    return path

"""CSV rendering of a scheduled report: the rows of a Query's Result as the API lists them.

One header line (the Amagi row keys), then one line per listed row, numbers written as the
JSON answer writes them, so ``csv.DictReader`` on the file gives the API's numbers back.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

from mediastats.query import Result
from mediastats.surfaces.amagi.serialize import COLUMNS, ROWS


def cell(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(c)) for c in columns])
    return out.getvalue()


def result_csv(report_type: str, result: Result) -> tuple[str, int]:
    """(the CSV of ``result``'s rows for an Amagi ``report_type``, how many rows it holds)."""
    rows = ROWS[report_type](result)
    return csv_text(COLUMNS[report_type], rows), len(rows)

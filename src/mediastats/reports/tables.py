"""Report tables, declared on the shared metadata (``mediastats.meta.db.metadata``).

``report_schedules``: one row per schedule (what to report, how often, whose slices).
``report_files``: one row per (schedule, period). The unique constraint is the claim: the node
whose insert of the ``building`` row succeeds builds that period; the row becomes ``done`` with
the CSV, which is never rewritten (reports are immutable once built).
"""

from __future__ import annotations

import sqlalchemy as sa

from mediastats.meta.db import metadata

report_schedules = sa.Table(
    "report_schedules",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("account_id", sa.String(32), sa.ForeignKey("accounts.id"), nullable=False, index=True),
    sa.Column("type", sa.String(32), nullable=False),
    # DAILY | WEEKLY | MONTHLY
    sa.Column("interval", sa.String(16), nullable=False),
    # The Amagi v2 parameters of the report (filters, timezone, row interval): name → [values].
    sa.Column("params", sa.JSON, nullable=False, default=dict),
    # The slices of the key that created it; NULL = account-wide.
    sa.Column("slice_ids", sa.JSON, nullable=True),
    sa.Column("created_ms", sa.BigInteger, nullable=False),
    sa.Column("deleted", sa.Boolean, nullable=False, default=False),
)

report_files = sa.Table(
    "report_files",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("schedule_id", sa.String(32), sa.ForeignKey("report_schedules.id"), nullable=False),
    # The period's first and last local day, YYYY-MM-DD.
    sa.Column("from_date", sa.String(10), nullable=False),
    sa.Column("to_date", sa.String(10), nullable=False),
    # building | done
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("claimed_ms", sa.BigInteger, nullable=False),
    sa.Column("built_ms", sa.BigInteger, nullable=True),
    sa.Column("rows", sa.Integer, nullable=True),
    sa.Column("csv", sa.Text, nullable=True),
    sa.UniqueConstraint("schedule_id", "from_date", name="uq_report_files_period"),
)

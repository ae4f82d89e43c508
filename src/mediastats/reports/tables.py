"""Report tables (schedules, built reports) — declared on the shared metadata."""

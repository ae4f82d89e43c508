"""kill -9 during sustained ingest loses nothing and double counts nothing (CONTRACT §3), and
the push outbox and the report scheduler resume after it (see ``crash.py`` for the drill)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.crash import CrashFigures, run_crash_drill


def assert_events_exactly_once(figures: CrashFigures) -> None:
    assert figures.acknowledged > 0 and figures.rounds > 0, figures
    assert figures.in_flight_partial == 0, figures  # a batch in flight at the kill stored in part
    assert figures.lost == 0, figures  # an acknowledged (or resent) event missing after a crash
    assert figures.doubled == 0, figures  # an event stored twice
    assert figures.reports_built >= 2, figures  # the scheduler did not build the closed days
    # Every acknowledged stream_publish is pushed (the push journal, push/journal.py), and so is
    # every one stored though its batch was never acknowledged.
    assert figures.publish_missing == [] and figures.publish_gap == 0, figures


def test_three_crashes_during_ingest(tmp_path: Path) -> None:
    assert_events_exactly_once(run_crash_drill(tmp_path / "data", rounds=3, seed=3))


@pytest.mark.soak
def test_twenty_crashes_during_ingest(tmp_path: Path) -> None:
    assert_events_exactly_once(run_crash_drill(tmp_path / "data", rounds=20, seed=20))


"""kill -9 during sustained ingest loses nothing and double counts nothing (CONTRACT §3), and
the push outbox and the report scheduler resume after it (see ``crash.py`` for the drill)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.crash import CrashFigures, run_crash_drill


def assert_drill(figures: CrashFigures) -> None:
    assert figures.acknowledged > 0 and figures.rounds > 0, figures
    assert figures.in_flight_partial == 0, figures
    assert figures.lost == 0, figures
    assert figures.doubled == 0, figures
    assert figures.publish_missing == [], figures
    assert figures.reports_built >= 2, figures


def test_three_crashes_during_ingest(tmp_path: Path) -> None:
    assert_drill(run_crash_drill(tmp_path / "data", rounds=3, seed=3))


@pytest.mark.soak
def test_twenty_crashes_during_ingest(tmp_path: Path) -> None:
    assert_drill(run_crash_drill(tmp_path / "data", rounds=20, seed=20))

"""Documentation is tested: every metric, dimension and CLI command is documented."""

from __future__ import annotations

from pathlib import Path

from typer.main import get_command

from mediastats.cli import app
from mediastats.query.dimensions import DIMENSIONS
from mediastats.query.metrics import METRICS

ROOT = Path(__file__).resolve().parents[1]


def test_every_metric_and_dimension_is_in_docs() -> None:
    text = (ROOT / "docs" / "metrics.md").read_text()
    missing = [n for n in (*METRICS, *DIMENSIONS) if f"`{n}`" not in text]
    assert not missing, f"add to docs/metrics.md: {missing}"


def test_every_metric_has_a_definition() -> None:
    assert all(m.doc for m in METRICS.values())


def test_every_cli_command_has_help() -> None:
    group = get_command(app)
    names = list(group.commands)  # type: ignore[attr-defined]
    assert {"serve", "demo", "simulate", "accounts", "keys"} <= set(names)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert command.help, f"mediastats {name} has no help text"


def test_readme_quick_start_shows_the_two_commands_first() -> None:
    readme = (ROOT / "README.md").read_text()
    quick = readme.split("## Quick start", 1)[1]
    assert quick.index("make run") < quick.index("make test") < quick.index("##")

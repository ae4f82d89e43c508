"""The browser beacon stays small: < 5 kB minified, or (without a minifier) < 5 kB gzipped source.

A minifier is looked up on PATH (``terser``, ``esbuild``) or named by ``MEDIASTATS_JS_MINIFIER``
(the path of a terser or esbuild binary, e.g. one installed in a scratch directory). The test
never downloads one.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
from pathlib import Path

import pytest

SDK = Path(__file__).resolve().parents[2] / "src/mediastats/dashboard/static/sdk/mediastats.js"
LIMIT = 5000  # bytes


def minifier_command() -> list[str] | None:
    candidates = [os.environ.get("MEDIASTATS_JS_MINIFIER"), shutil.which("terser"), shutil.which("esbuild")]
    for binary in filter(None, candidates):
        if "esbuild" in Path(binary).name:
            return [binary, str(SDK), "--minify", "--format=esm"]
        return [binary, str(SDK), "--module", "--compress", "--mangle"]
    return None


def test_beacon_is_under_5_kb() -> None:
    source = SDK.read_bytes()
    command = minifier_command()
    if command is not None:
        minified = subprocess.run(command, capture_output=True, check=True, timeout=60).stdout
        assert 0 < len(minified) < LIMIT, f"minified beacon is {len(minified)} bytes"
    else:
        packed = gzip.compress(source, compresslevel=9)
        assert len(packed) < LIMIT, f"gzipped beacon source is {len(packed)} bytes"


def test_beacon_source_gzips_under_5_kb() -> None:
    # Also true with a minifier around: the readable source itself stays small once compressed.
    assert len(gzip.compress(SDK.read_bytes(), compresslevel=9)) < LIMIT


def test_beacon_is_a_dependency_free_module() -> None:
    text = SDK.read_text()
    assert "export function track(" in text
    assert not any(line.startswith("import ") for line in text.splitlines())  # no imports of its own
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    subprocess.run([node, "--input-type=module", "--check"], input=SDK.read_bytes(), check=True, timeout=60)

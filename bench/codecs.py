"""Bytes on disk per event with and without the column codecs (schema.EVENT_CODECS), same rows.

    .venv/bin/python bench/codecs.py                 # 2 M events
    .venv/bin/python bench/codecs.py --events 500K

Generates the events of bench/scale.py into a fresh chdb store (which has the codecs: migration
3), copies them into a table with the same columns, order and partitions but no codecs (LZ4,
ClickHouse's default), merges both (OPTIMIZE FINAL, so part counts do not blur the figure) and
prints bytes per event per column group and in all, plus the time of one scan query on each.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import scale_data
from bench.query import parse_count
from mediastats.storage.chdb_backend import ChdbStorage
from mediastats.storage.schema import EVENT_CODECS, EVENTS

SCAN = ("SELECT channel_id, uniqExact(session_id), sum(played_ms), sum(bytes_cdn), avg(buffer_ms) "
        "FROM {db}.%s GROUP BY channel_id FORMAT Null")


def column_bytes(storage: ChdbStorage, table: str) -> dict[str, int]:
    rows = storage.query("SELECT name, data_compressed_bytes FROM system.columns "
                         "WHERE database = 'mediastats' AND table = {t:String}", {"t": table}).rows
    return {name: int(size) for name, size in rows}


def on_disk(storage: ChdbStorage, table: str) -> int:
    return int(storage.query("SELECT sum(bytes_on_disk) FROM system.parts WHERE active AND database = 'mediastats' "
                             "AND table = {t:String}", {"t": table}).scalar())


def scan_ms(storage: ChdbStorage, table: str, runs: int = 3) -> float:
    storage.query(SCAN % table)
    began = time.perf_counter()
    for _ in range(runs):
        storage.query(SCAN % table)
    return (time.perf_counter() - began) * 1000 / runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", default="2M")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="mediastats-codecs-"))
    storage = ChdbStorage(data_dir)
    storage.migrate()
    scale_data.generate(storage.query, "bench", events=parse_count(args.events), days=90, channels=20,
                        end_ms=int(time.time() * 1000))
    columns = ", ".join(f"{name} {typ}" for name, typ in EVENTS.columns)
    storage.query(f"CREATE TABLE {{db}}.events_lz4 ({columns}) ENGINE = MergeTree PARTITION BY "
                  f"{EVENTS.partition_by} ORDER BY {EVENTS.order_by}")
    storage.query("INSERT INTO {db}.events_lz4 SELECT * FROM {db}.events")
    for table in ("events", "events_lz4"):
        storage.query(f"OPTIMIZE TABLE {{db}}.{table} FINAL")
    events = int(storage.query("SELECT count() FROM {db}.events").scalar())
    with_codecs, without = column_bytes(storage, "events"), column_bytes(storage, "events_lz4")
    groups: dict[str, list[str]] = {}
    for name, codec in EVENT_CODECS.items():
        groups.setdefault(codec, []).append(name)
    print(f"{events:,} events; bytes per event (compressed column data)")
    print(f"{'codec':22} {'columns':>7} {'LZ4':>8} {'codec':>8}")
    for codec, names in groups.items():
        before = sum(without[n] for n in names) / events
        after = sum(with_codecs[n] for n in names) / events
        print(f"{codec:22} {len(names):7} {before:8.2f} {after:8.2f}")
    lz4_disk, codec_disk = on_disk(storage, "events_lz4"), on_disk(storage, "events")
    print(f"{'on disk (all parts)':22} {'':7} {lz4_disk / events:8.2f} {codec_disk / events:8.2f}"
          f"   ({1 - codec_disk / lz4_disk:.0%} smaller)")
    print(f"scan query: LZ4 {scan_ms(storage, 'events_lz4'):.0f} ms, codecs {scan_ms(storage, 'events'):.0f} ms")
    storage.close()
    shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()

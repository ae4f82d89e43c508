"""The dedup index (ingest/dedup.py): memory first, the store when memory cannot be sure."""

from __future__ import annotations

from mediastats.ingest.dedup import WINDOW_MS, DedupIndex

NOW = 10 * WINDOW_MS


class Store:
    def __init__(self, stored: set[tuple[str, str]]) -> None:
        self.stored = stored
        self.asked: list[tuple[str, list[str], int]] = []

    def lookup(self, account: str, ids: list[str], since: int) -> set[str]:
        self.asked.append((account, ids, since))
        return {i for a, i in self.stored if a == account and i in ids}


def test_memory_alone_while_it_holds_the_whole_window() -> None:
    store = Store({("a", "x")})
    index = DedupIndex(store_lookup=store.lookup)
    index.add([("a", "y")], NOW)
    assert index.seen([("a", "x"), ("a", "y")], NOW) == {("a", "y")}  # x: stored by no one we know
    assert store.asked == []


def test_a_shared_store_is_asked_for_what_memory_does_not_know() -> None:
    store = Store({("a", "x"), ("b", "x")})  # inserted through another node
    index = DedupIndex(store_lookup=store.lookup, shared_store=True)
    index.add([("a", "y")], NOW)
    assert index.seen([("a", "x"), ("a", "y"), ("a", "z")], NOW) == {("a", "x"), ("a", "y")}
    assert store.asked == [("a", ["x", "z"], NOW - WINDOW_MS)]  # per account, only the unknown ids
    store.asked.clear()
    assert index.seen([("a", "y")], NOW) == {("a", "y")} and store.asked == []


def test_after_evicting_a_young_id_the_store_is_asked() -> None:
    store = Store({("a", "old")})
    index = DedupIndex(capacity=2, store_lookup=store.lookup)
    index.add([("a", "old"), ("a", "p"), ("a", "q")], NOW)  # "old" is evicted, inside the window
    assert index.seen([("a", "old")], NOW) == {("a", "old")}
    assert store.asked

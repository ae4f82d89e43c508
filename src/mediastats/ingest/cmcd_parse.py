"""CMCD syntax: RFC 8941 dictionaries in, typed :class:`CmcdRecord` out.

Two doors, one grammar (parsed by ``http_sfv``, never by hand):

- v2 event mode: a body of ``application/cmcd``, one dictionary per line (LF, optional CR).
  Blank lines are skipped silently; a line that is too long, is not a dictionary, has a wrong
  type for a key we read, or has no ``sid`` is skipped and counted with its reason.
- v1 (and v2 request mode): the ``CMCD`` query value or the ``CMCD-Request``, ``CMCD-Object``,
  ``CMCD-Status`` and ``CMCD-Session`` headers, merged into one dictionary.

Errors: ``ValueError`` └── ``CmcdError`` (one record could not be used; the message says why).

Values keep their CMCD names here; what they mean for an event is decided in ``cmcd_map``.
v2 sends the numeric keys (``br``, ``bl``, ``mtp``, ``pb`` …) as inner lists keyed by object
type, e.g. ``bl=(3000;v 2000;a)``: the scalar kept is the item flagged with the record's ``ot``,
else the video (``v``), else the muxed (``av``) one, else the first item without parameters,
else the first item (CTA-5004-B §4.1; the SVTA reference library does the same).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Literal
from urllib.parse import unquote

from http_sfv.dictionary import Dictionary
from http_sfv.item import InnerList, Item

BareValue = bool | int | float | Decimal | str | bytes | datetime
CmcdValue = BareValue | tuple[BareValue, ...]
Transport = Literal["event", "query", "headers"]
Member = Item | InnerList
Members = Mapping[str, Member]

V1_HEADERS = ("cmcd-request", "cmcd-object", "cmcd-status", "cmcd-session")
_OBJECT_PREFERENCE = ("v", "av")


class CmcdError(ValueError):
    """A CMCD dictionary that cannot become a record."""


@dataclass(frozen=True, slots=True)
class CmcdRecord:
    """One CMCD report, with the keys the mapper reads typed and every key kept in ``keys``."""

    sid: str
    digest: str  # sha256 of the canonical dictionary: the same report always has the same digest
    transport: Transport
    v: int = 1
    cid: str | None = None
    e: str | None = None
    sta: str | None = None
    ts: int | None = None
    br: int | None = None
    pb: int | None = None
    bl: int | None = None
    mtp: int | None = None
    ot: str | None = None
    st: str | None = None
    sf: str | None = None
    url: str | None = None
    nor: str | None = None
    dfa: int | None = None
    bsda: int | None = None
    ttfb: int | None = None
    keys: Mapping[str, CmcdValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CmcdBatch:
    """The outcome of one v2 body: usable records, and ``(line number, reason)`` for the rest."""

    records: list[CmcdRecord]
    errors: list[tuple[int, str]]


def parse_v2_body(body: bytes, max_line_bytes: int = 16384) -> tuple[list[CmcdRecord], int]:
    """Records of an ``application/cmcd`` body and the number of malformed lines skipped."""
    batch = parse_v2_lines(body, max_line_bytes)
    return batch.records, len(batch.errors)


def parse_v2_lines(body: bytes, max_line_bytes: int = 16384) -> CmcdBatch:
    """Like :func:`parse_v2_body`, with the reason for every skipped line."""
    records: list[CmcdRecord] = []
    errors: list[tuple[int, str]] = []
    for number, raw in enumerate(body.split(b"\n"), start=1):
        # Measure before stripping so a line of padding cannot slip past the limit.
        if len(raw) > max_line_bytes:
            errors.append((number, f"line is {len(raw)} bytes, over the {max_line_bytes}-byte limit"))
            continue
        line = raw.strip(b" \t\r")
        if not line:
            continue
        try:
            records.append(record_from_members(_parse_dictionary(line), "event", source=line))
        except CmcdError as error:
            errors.append((number, str(error)))
    return CmcdBatch(records, errors)


def parse_v1(query_value: str | None, headers: Mapping[str, str]) -> CmcdRecord | None:
    """The record carried by a ``CMCD`` query value and/or ``CMCD-*`` headers.

    ``None`` when the request carries no CMCD at all; :class:`CmcdError` when it carries CMCD
    that is malformed or has no ``sid``. ``query_value`` is the decoded parameter value; a value
    still percent-encoded once more (some log shippers do that) is decoded again.
    """
    members: dict[str, Member] = {}
    transport: Transport = "headers"
    for name, value in headers.items():
        if name.lower() in V1_HEADERS and value.strip():
            members.update(_parse_dictionary(value.encode("latin-1", "replace")))
    if query_value is not None and query_value.strip():
        transport = "query"
        members.update(_parse_query_value(query_value))
    if not members:
        return None
    return record_from_members(members, transport)


def record_from_members(
    members: Members,
    transport: Transport,
    source: bytes | None = None,
) -> CmcdRecord:
    """Type the members we read, keep all of them decoded in ``keys``. The digest hashes
    ``source`` (a v2 line: resends are byte-identical), else the dictionary with sorted keys."""
    sid = _scalar_str(members, "sid")
    if not sid:
        raise CmcdError("no sid: a CMCD report without a session id cannot be attributed")
    ot = _scalar_str(members, "ot")

    def number(key: str) -> int | None:
        return _number(members, key, ot)

    def text(key: str) -> str | None:
        return _scalar_str(members, key)

    version = number("v")
    dfa = number("dfa")
    return CmcdRecord(
        sid=sid,
        digest=hashlib.sha256(source).hexdigest() if source is not None else _digest(members),
        transport=transport,
        v=version if version is not None else 1,
        cid=text("cid"),
        e=text("e"),
        sta=text("sta"),
        ts=_timestamp(members),
        br=number("br"),
        pb=number("pb"),
        bl=number("bl"),
        mtp=number("mtp"),
        ot=ot,
        st=text("st"),
        sf=text("sf"),
        url=text("url"),
        nor=_first_str(members, "nor"),
        dfa=dfa if dfa is not None else number("df"),  # df: the draft spelling of dfa
        bsda=number("bsda"),
        ttfb=number("ttfb"),
        keys={key: _decoded(member) for key, member in members.items()},
    )


def _timestamp(members: Members) -> int | None:
    value = _bare(members.get("ts"))
    if isinstance(value, datetime):  # an RFC 9651 date (@seconds): accepted, converted to ms
        return int(value.timestamp() * 1000)
    return _number(members, "ts", None)


def _parse_dictionary(data: bytes) -> dict[str, Member]:
    dictionary = Dictionary()
    try:
        dictionary.parse(data)
    except Exception as error:  # http_sfv raises ValueError chains; anything else is malformed too
        raise CmcdError(f"not an RFC 8941 dictionary: {_innermost(error)}") from error
    members: dict[str, Member] = dictionary.data  # plain dict: faster
    return members


def _parse_query_value(value: str) -> dict[str, Member]:
    try:
        return _parse_dictionary(value.encode("utf-8"))
    except CmcdError:
        if "%" not in value:
            raise
        return _parse_dictionary(unquote(value).encode("utf-8"))


def _innermost(error: BaseException) -> str:
    message = str(error)
    while error.__cause__ is not None:
        error = error.__cause__
        message = str(error) or message
    return message or "syntax error"


def _bare(member: Member | None) -> BareValue | None:
    return member.value if isinstance(member, Item) else None


def _decoded(member: Member) -> CmcdValue:
    if isinstance(member, InnerList):
        return tuple(_plain(item.value) for item in member)
    return _plain(member.value)


def _plain(value: BareValue) -> BareValue:
    return str(value) if isinstance(value, str) else value  # Token / DisplayString → str


def _scalar_str(members: Members, key: str) -> str | None:
    member = members.get(key)
    if member is None:
        return None
    value = _bare(member)
    if not isinstance(value, str):
        raise CmcdError(f"{key} must be a string or token")
    return str(value)


def _first_str(members: Members, key: str) -> str | None:
    member = members.get(key)
    if isinstance(member, InnerList):
        member = member[0] if len(member) else None
    return _scalar_str({key: member}, key) if member is not None else None


def _number(members: Members, key: str, ot: str | None) -> int | None:
    member = members.get(key)
    if member is None:
        return None
    item = _pick_item(member, ot) if isinstance(member, InnerList) else member
    if item is None:
        return None
    value = item.value
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise CmcdError(f"{key} must be a number")
    if value < 0:
        raise CmcdError(f"{key} must not be negative")
    return int(Decimal(value).quantize(Decimal(1), ROUND_HALF_EVEN))


def _pick_item(inner: InnerList, ot: str | None) -> Item | None:
    items: list[Item] = list(inner)
    for flag in (ot, *_OBJECT_PREFERENCE):
        for item in items:
            if flag and item.params.get(flag) is True:
                return item
    untyped: Item | None = next((item for item in items if not item.params), None)
    first = items[0] if items else None
    return untyped if untyped is not None else first


def _digest(members: Members) -> str:
    canonical = Dictionary()
    for key in sorted(members):
        canonical[key] = members[key]
    return hashlib.sha256(str(canonical).encode("utf-8")).hexdigest()

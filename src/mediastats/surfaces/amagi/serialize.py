"""Results → Amagi v2 JSON (seed §7, CONTRACT §6). Keys renamed, ms → minutes, 2 decimals.

Row times are ``"YYYY-MM-DD HH:MM:SS"`` in the requested timezone (content rows: the day at
``00:00:00``). ``dailyAverage*`` / ``hourlyAverage*`` are the mean of the listed rows, as the
real service divides by the buckets it lists (CONTRACT §4); every other number is the core's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from mediastats.query import Result
from mediastats.surfaces.amagi.translate import AD, AD_CONTENT, CONTENT, UNIQUE, VIEWERSHIP, Translated

Row = dict[str, Any]
MS_PER_MINUTE = 60_000

# (Amagi key, metric) of an ad row, in the order the rows print them.
AD_FIELDS = (
    ("adOpportunitiesDetected", "ad_opportunities"),
    ("adRequestsSent", "ad_requests"),
    ("adResponsesReceived", "ad_responses"),
    ("adAssetsReceived", "ad_assets"),
    ("impressionsRecorded", "ad_impressions"),
)


def number(value: float) -> float | int:
    """2 decimals; a whole number prints as an integer (``248539``, not ``248539.0``)."""
    rounded = round(float(value), 2)
    return int(rounded) if rounded.is_integer() else rounded


def minutes(ms: float) -> float | int:
    return number(ms / MS_PER_MINUTE)


def local_time(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M:%S")


def local_day(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d 00:00:00")


def _mean(rows: Sequence[Row], metric: str) -> float:
    return sum(row[metric] for row in rows) / len(rows) if rows else 0.0


def _prefix(interval: str) -> str:
    return "hourly" if interval == "HOURLY" else "daily"


# --- viewership and content -----------------------------------------------------------------
def _viewing(row: Row) -> Row:
    return {
        "numberOfViewers": row["unique_viewers"],
        "uniqueViewers": row["unique_viewers"],
        "numberOfSession": row["views"],
        "viewershipMinutes": minutes(row["viewing_time_ms"]),
    }


def viewership_rows(result: Result) -> list[Row]:
    tz = result.query.timezone
    return [{"time": local_time(row["bucket"], tz), **_viewing(row)} for row in result.rows]


def content_rows(result: Result) -> list[Row]:
    tz = result.query.timezone
    days: dict[datetime, str] = {}  # a day's rows share its bucket: its text is made once
    out = []
    for row in result.rows:
        day = days.get(row["bucket"])
        if day is None:
            day = days[row["bucket"]] = local_day(row["bucket"], tz)
        out.append({"date": day, **_content(row), **_viewing(row)})
    return out


def _content(row: Row) -> Row:
    return {"contentId": row["content_id"], "contentName": row["content_name"], "seriesName": row["series_name"]}


def _viewing_totals(totals: Result) -> Row:
    t = totals.first()
    return {
        "totalSessions": t["views"],
        "totalViewershipMinutes": minutes(t["viewing_time_ms"]),
        "aggregatedViewers": t["unique_viewers"],
    }


def _viewing_ratios(totals: Result) -> Row:
    t = totals.first()
    return {
        "avgSessionDuration": minutes(t["viewing_time_ms_per_view"]),
        "avgSessionPerViewer": number(t["views_per_viewer"]),
    }


def viewership_body(t: Translated, rows: Result, totals: Result) -> Row:
    p = _prefix(t.dates.interval)
    return {
        "dateRange": t.dates.echo(),
        "viewershipAnalytics": viewership_rows(rows),
        **_viewing_totals(totals),
        f"{p}AverageNumberOfViewers": number(_mean(rows.rows, "unique_viewers")),
        f"{p}AverageSessionCount": number(_mean(rows.rows, "views")),
        f"{p}AverageViewershipMinutes": minutes(_mean(rows.rows, "viewing_time_ms")),
        **_viewing_ratios(totals),
    }


def content_body(t: Translated, rows: Result, totals: Result) -> Row:
    return {
        "dateRange": t.dates.echo(),
        "contentAnalytics": content_rows(rows),
        "totalCount": rows.total,
        **_viewing_totals(totals),
        **_viewing_ratios(totals),
    }


# --- ads ------------------------------------------------------------------------------------
def _ad_counts(row: Row) -> Row:
    return {
        **{key: row[metric] for key, metric in AD_FIELDS},
        "conversionRate": float(row["conversion_rate"]),
    }


def ad_rows(result: Result) -> list[Row]:
    tz = result.query.timezone
    return [{"time": local_time(row["bucket"], tz), **_ad_counts(row)} for row in result.rows]


def ad_content_rows(result: Result) -> list[Row]:
    tz = result.query.timezone
    return [{"date": local_day(row["bucket"], tz), **_content(row), **_ad_counts(row)} for row in result.rows]


def _ad_totals(totals: Result) -> Row:
    t = totals.first()
    return {
        **{f"total{key[0].upper()}{key[1:]}": t[metric] for key, metric in AD_FIELDS},
        "totalConversionRate": float(t["conversion_rate"]),
    }


def ad_body(t: Translated, rows: Result, totals: Result) -> Row:
    p = _prefix(t.dates.interval)
    averages = {
        f"{p}Average{key[0].upper()}{key[1:]}": number(_mean(rows.rows, metric)) for key, metric in AD_FIELDS
    }
    return {"dateRange": t.dates.echo(), "adAnalytics": ad_rows(rows), **_ad_totals(totals), **averages}


def ad_content_body(t: Translated, rows: Result, totals: Result) -> Row:
    return {
        "dateRange": t.dates.echo(),
        "adContentAnalytics": ad_content_rows(rows),
        "totalCount": rows.total,
        **_ad_totals(totals),
    }


# --- unique viewers -------------------------------------------------------------------------
def unique_rows(result: Result) -> list[Row]:
    tz = result.query.timezone
    return [
        {
            "time": local_time(row["bucket"], tz),
            "uniqueViewers": row["unique_viewers"],
            "sessionPerViewer": number(row["views_per_viewer"]),
            "sessionDurationPerViewer": minutes(row["started_played_ms_per_viewer"]),
        }
        for row in result.rows
    ]


def unique_body(t: Translated, rows: Result, totals: Result) -> Row:
    p = t.dates.interval.lower()
    total = totals.first()
    return {
        f"{p}UniqueViewers": total["unique_viewers"],
        f"{p}AvgSessionPerViewer": number(total["views_per_viewer"]),
        f"{p}AvgSessionDurationPerViewer": minutes(total["started_played_ms_per_viewer"]),
        "uniqueViewerAnalytics": unique_rows(rows),
    }


BODIES: dict[str, Callable[[Translated, Result, Result], Row]] = {
    VIEWERSHIP: viewership_body,
    CONTENT: content_body,
    AD: ad_body,
    AD_CONTENT: ad_content_body,
    UNIQUE: unique_body,
}
# The rows of each type, as the body lists them (and as a scheduled report's CSV holds them).
ROWS: dict[str, Callable[[Result], list[Row]]] = {
    VIEWERSHIP: viewership_rows,
    CONTENT: content_rows,
    AD: ad_rows,
    AD_CONTENT: ad_content_rows,
    UNIQUE: unique_rows,
}
COLUMNS: dict[str, tuple[str, ...]] = {
    VIEWERSHIP: ("time", "numberOfViewers", "uniqueViewers", "numberOfSession", "viewershipMinutes"),
    CONTENT: ("date", "contentId", "contentName", "seriesName", "numberOfViewers", "uniqueViewers",
              "numberOfSession", "viewershipMinutes"),
    AD: ("time", *(key for key, _ in AD_FIELDS), "conversionRate"),
    AD_CONTENT: ("date", "contentId", "contentName", "seriesName", *(key for key, _ in AD_FIELDS), "conversionRate"),
    UNIQUE: ("time", "uniqueViewers", "sessionPerViewer", "sessionDurationPerViewer"),
}


# --- concurrent users and the channel list --------------------------------------------------
def concurrent_points(result: Result) -> list[Row]:
    return [
        {"time": row["bucket"].strftime("%Y-%m-%dT%H:%M:%S.000Z"), "viewerCount": row["active_views"]}
        for row in result.rows
    ]


def channel_list_body(result: Result) -> Row:
    def channels(metric: str) -> list[Row]:
        return [
            {"channelName": row["channel_id"], "channelId": row["channel_id"]} for row in result.rows if row[metric]
        ]

    return {"viewershipChannels": channels("views"), "adAnalyticsChannels": channels("ad_events")}

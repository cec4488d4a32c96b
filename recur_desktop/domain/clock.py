"""The time the app records: timezone-aware UTC (never naive, never local)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


__all__ = ["utcnow"]

"""Column types and helpers shared by the models."""
from datetime import datetime, timezone

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

from voting.core.text import fold_number


def utcnow():
    """Return the current time as an aware UTC datetime."""
    return datetime.now(timezone.utc)


def folded_number_default(context):
    """The default of a ``number_folded`` column: its row's number, folded (Core inserts too)."""
    return fold_number(context.get_current_parameters()["number"])


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always returned timezone-aware.

    PostgreSQL keeps ``timestamptz``; SQLite has no time zones, so the value
    is stored as naive UTC and the zone is put back when read. Naive input is
    refused: a naive datetime is ambiguous between UTC and Vietnam's time.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs an aware datetime")
        value = value.astimezone(timezone.utc)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def sql_values(values):
    """``'a', 'b'``: an enum's values for a CHECK constraint's ``IN (...)``."""
    return ", ".join(f"'{value}'" for value in values)

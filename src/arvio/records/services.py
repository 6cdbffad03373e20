"""Writing the audit log: `record`, called where each action happens.

Services call it inside their own transaction, so an action that is rolled back leaves no entry and
an entry never claims what did not happen. The address of the request being served comes from the
middleware (middleware.py) unless given; a command has none, and names the system account instead.
"""

import functools
import getpass
import ipaddress
from contextvars import ContextVar

from arvio.lib.bulk import insert_rows
from arvio.records.models import AuditEntry

# The client's address of the request this thread or task is serving; None outside a request.
current_address: ContextVar[str | None] = ContextVar("arvio_current_address", default=None)

DETAIL_TEXT_MAX = 500


def record(
    *,
    action: str,
    by=None,
    round_code: str = "",
    municipality_code: str = "",
    address: str | None = None,
    detail: dict | None = None,
) -> AuditEntry:
    """Appends one entry: `action` (AuditEntry.Action) by the user `by` (None: a command or the system)."""
    entry = audit_entry(
        action=action,
        by=by,
        round_code=round_code,
        municipality_code=municipality_code,
        address=address,
        detail=detail,
    )
    entry.save()
    return entry


def audit_entry(
    *,
    action: str,
    by=None,
    round_code: str = "",
    municipality_code: str = "",
    address: str | None = None,
    detail: dict | None = None,
) -> AuditEntry:
    """The entry `record` appends, not yet saved: for `record_many`."""
    user_id = getattr(by, "pk", None)
    username = by.get_username() if by is not None else ""
    return AuditEntry(
        action=action,
        user_id=user_id,
        username=_clean(username, 150),
        os_user="" if by is not None else _os_user(),
        round_code=_clean(round_code or "", 100),
        municipality_code=_clean(municipality_code or "", 3),
        address=_address(address if address is not None else current_address.get()),
        detail={_clean(str(key), 100): _value(value) for key, value in (detail or {}).items()},
    )


# The columns record_many writes: every field audit_entry fills in.
_ENTRY_FIELDS = (
    "at",
    "action",
    "user_id",
    "username",
    "os_user",
    "round_code",
    "municipality_code",
    "address",
    "detail",
)


def record_many(entries: list[AuditEntry]) -> None:
    """Appends the entries made by `audit_entry` in bulk, as plain rows (COPY on PostgreSQL, lib/bulk.py):
    one action over many municipalities (an import). The entries get no ids."""
    insert_rows(AuditEntry, _ENTRY_FIELDS, ([getattr(entry, name) for name in _ENTRY_FIELDS] for entry in entries))


def _clean(text: str, limit: int) -> str:
    # NUL cannot be stored in a PostgreSQL text or jsonb value; a file name or a value from a form might hold one.
    return text.replace("\x00", "\ufffd")[:limit]


def _value(value):
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, list | tuple):
        return [_value(item) for item in value]
    return _clean(str(value), DETAIL_TEXT_MAX)


def _address(address: str | None) -> str | None:
    """A valid IP address, or None: behind a Unix socket a request may carry none."""
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


@functools.cache
def _os_user() -> str:
    # The process's account does not change while it runs: looked up once, not for each of an import's entries.
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no such user in a container's passwd, no LOGNAME
        return ""

"""The only place with SQL. See core.Store."""

from accountability_tui.store.core import Store, current_user, utc_now

__all__ = ["Store", "current_user", "utc_now"]

"""Former home of the enumerated items, problems and plans; kept so old imports still work.

:class:`Item` and :func:`find_items` now live in :mod:`lawgovkit.items`, :class:`Statement`
and :func:`statements` in :mod:`lawgovkit.statements`. This module re-exports them for this
release.
"""

from __future__ import annotations

from lawgovkit.items import Item, find_items
from lawgovkit.statements import Statement, statements

__all__ = ["Item", "Statement", "find_items", "statements"]

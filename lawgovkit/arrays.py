"""Former home of the on-disk array store; kept so old imports still work.

:class:`Key`, :class:`ArrayStore` and :func:`array_store` now live in
:mod:`lawgovkit._store`, the ground floor every cache of lawgovkit builds on. This module
re-exports them for this release.
"""

from __future__ import annotations

from lawgovkit._store import ArrayStore, Key, array_store

__all__ = ["ArrayStore", "Key", "array_store"]

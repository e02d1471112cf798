"""``python -m lawgovkit …``: the same as the ``lawgovkit`` command."""

from __future__ import annotations

import sys

from lawgovkit.cli import main

if __name__ == "__main__":
    sys.exit(main())

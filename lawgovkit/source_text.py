"""Where a text file's text as read can be read again: :class:`SourceText`.

A report's text as read (``raw_text``) is as large as its cleaned text. When it is the
file's bytes decoded, as for most text files, :func:`lawgovkit.load_corpus` keeps a
:class:`SourceText` in its place, and ``report.raw_text`` reads the file again, checked.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from lawgovkit._limits import read_file
from lawgovkit.errors import (
    LawgovkitError,
    LimitExceededError,
    NotRegularFileError,
    ReportNotFoundError,
    SourceChangedError,
)
from lawgovkit.readers import decode_bytes

__all__ = ["SourceText"]


@dataclass(frozen=True, slots=True)
class SourceText:
    """Where a text file's text as read can be read again: the file, the encoding it was
    decoded with, and its size and digest, checked when it is read.

    :func:`lawgovkit.load_corpus` keeps one in place of a report's ``raw_text`` (as large
    as its cleaned text) when that is the file's bytes decoded, as for most text files.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "r.txt"
    >>> data = "一、主要举措\\r\\n".encode("gbk")
    >>> _ = path.write_bytes(data)
    >>> source = SourceText.of(data, path, "一、主要举措\\n", "gb18030")
    >>> source.read(), SourceText.of(data, path, "一、主要举措", "gb18030")  # not the bytes
    ('一、主要举措\\n', None)
    >>> _ = path.write_bytes("二、存在的问题".encode("gbk"))
    >>> source.read()
    Traceback (most recent call last):
    ...
    lawgovkit.errors.SourceChangedError: ...r.txt: the file has changed since it was loaded...
    """

    path: str
    encoding: str
    size: int
    digest: bytes

    @classmethod
    def of(
        cls, data: bytes, path: str | Path, text: str, encoding: str | None
    ) -> SourceText | None:
        """The source of ``text`` when it is ``data`` (the bytes of ``path``) decoded with
        ``encoding`` as :func:`decode_bytes` does it; otherwise (extracted text, another
        encoding) None."""
        if not isinstance(encoding, str):
            return None
        try:
            decoded, _ = decode_bytes(data, encoding=encoding, path=path)
        except LawgovkitError:
            return None
        return cls.trusted(data, path, encoding) if decoded == text else None

    @classmethod
    def trusted(cls, data: bytes, path: str | Path, encoding: str) -> SourceText:
        """The source of the text ``data`` decodes to with ``encoding``, not checked (the
        caller knows it decodes: a cache entry made from these very bytes)."""
        return cls(str(path), encoding, len(data), _digest(data))

    def __reduce__(self) -> tuple:  # as plain arguments: sent with every report of a worker
        return SourceText, (self.path, self.encoding, self.size, self.digest)

    def read(self) -> str:
        """The file's text, decoded as when it was loaded.

        Raises
        ------
        SourceChangedError
            The file is not the one loaded any more (other bytes, gone, or no longer a
            regular file).
        """
        changed = "the file has changed since it was loaded (report.raw_text is read from it)"
        try:
            data = read_file(self.path, max_bytes=self.size)
        except (ReportNotFoundError, LimitExceededError, NotRegularFileError) as exc:
            raise SourceChangedError(f"{changed}: {exc.message}", path=self.path) from exc
        if len(data) != self.size or _digest(data) != self.digest:
            raise SourceChangedError(f"{changed}: load it again", path=self.path)
        return decode_bytes(data, encoding=self.encoding, path=self.path)[0]


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()

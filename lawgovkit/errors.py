"""Errors raised by lawgovkit.

Every error a user can cause derives from :class:`LawgovkitError`; the specific ones also
subclass the builtin they resemble, so ``except ValueError`` keeps working. Messages name
the file (or input), the value found and what was expected.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "ArgumentError",
    "BinaryFileError",
    "DictionaryError",
    "EmptyFileError",
    "EncodingError",
    "LawgovkitError",
    "LawgovkitWarning",
    "LimitExceededError",
    "MissingExtraError",
    "NoReportsError",
    "NotRegularFileError",
    "NotebookError",
    "ParseError",
    "ReportNotFoundError",
    "SourceChangedError",
    "UnsupportedFormatError",
]


def printable(text: str) -> str:
    """``text`` as valid Unicode: a file name that is not valid UTF-8 (which Python holds
    with lone surrogates, and which pandas' string columns and UTF-8 output refuse) gets
    its stray bytes written as ``\\xNN`` escapes.

    Examples
    --------
    >>> printable(b"report-\\xff.txt".decode("utf-8", "surrogateescape"))
    'report-\\\\xff.txt'
    """
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # surrogates that do not stand for a byte
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


class LawgovkitError(Exception):
    """Base class of every error lawgovkit raises on purpose.

    Every one pickles whole (its class, message, path and any attributes set on it), so a
    worker process of :func:`lawgovkit.load_corpus` returns the error itself.

    Examples
    --------
    >>> error = EmptyFileError("the file is empty", path="a.txt")
    >>> str(error), error.path, error.message, isinstance(error, ValueError)
    ('a.txt: the file is empty', 'a.txt', 'the file is empty', True)
    """

    def __init__(self, message: str, *, path: str | Path | None = None) -> None:
        where = None if path is None else printable(str(path))
        super().__init__(f"{where}: {message}" if where else message)
        self.path = where  # after the builtin's __init__ (ImportError's sets its own path)
        self.message = message

    def __reduce__(self) -> tuple:
        # made again from its message and path (the keyword the default reduction loses),
        # then given its attributes back (BaseException.__setstate__)
        return _rebuild, (type(self), self.message, self.path), dict(vars(self))


def _rebuild(cls: type, message: str, path: str | None) -> LawgovkitError:
    return cls(message, path=path)


class ReportNotFoundError(LawgovkitError, FileNotFoundError):
    """A path given as a report or a corpus does not exist."""


class NoReportsError(LawgovkitError, ValueError):
    """A folder, glob or list names no readable report."""


class EmptyFileError(LawgovkitError, ValueError):
    """The file is empty or holds only whitespace."""


class BinaryFileError(LawgovkitError, ValueError):
    """The file holds binary data (an image, an archive), not text."""


class EncodingError(LawgovkitError, UnicodeError):
    """The file's bytes cannot be decoded as text in any supported encoding."""


class UnsupportedFormatError(LawgovkitError, ValueError):
    """The file's format (its extension or content) is not one lawgovkit reads."""


class NotRegularFileError(LawgovkitError, ValueError):
    """The path names a named pipe, socket or device (also through a symlink), not a file:
    it is never opened."""


class LimitExceededError(LawgovkitError, ValueError):
    """A file goes past a safety bound: larger than the size limit, an archive or PDF
    content that expands too far, too many glyphs. The message names the bound."""


class MissingExtraError(LawgovkitError, ImportError):
    """An optional dependency is needed: the message names the extra to install."""


class ParseError(LawgovkitError, ValueError):
    """The text could not be parsed into the structure asked for."""


class ArgumentError(LawgovkitError, ValueError):
    """A parameter's value is not one lawgovkit accepts (an unknown theme, unit, backend or
    column): the message names the value and lists the valid ones."""


class NotebookError(LawgovkitError, RuntimeError):
    """An analysis notebook failed while running on a corpus (``lawgovkit report``): the
    message names the notebook, the cell and the error."""


class DictionaryError(LawgovkitError, ValueError):
    """A user dictionary (``Dictionary.from_yaml`` / ``from_dict``) that cannot be used: a
    missing or unreadable file, invalid YAML, an empty term: the message names the file."""


class SourceChangedError(LawgovkitError, ValueError):
    """A report's ``raw_text`` was left in its file (see :class:`lawgovkit.source_text.SourceText`)
    and the file has changed or gone since it was loaded: load it again."""


class LawgovkitWarning(UserWarning):
    """A doubtful input that still loads: e.g. a text that does not look like a report
    (it loads with ``is_report`` False). The message names the file or id and the doubt."""


# attributes an error sent from a worker process keeps as they are
_PLAIN = (str, int, float, bool, type(None), Path)


def sendable(error: LawgovkitError, path: Path) -> LawgovkitError:
    """``error`` as a worker process can send it back: itself, or when it holds more than
    plain values (a library's error log does not pickle) the same class made again from its
    message and plain attributes, so it is reported against the file (``path``) instead of
    losing the worker."""
    if all(isinstance(v, _PLAIN) for v in vars(error).values()):
        return error
    try:
        rebuilt = type(error)(getattr(error, "message", str(error)), path=path)
    except Exception:  # an error class made otherwise: its text, which names the file
        rebuilt = LawgovkitError(str(error))
    for name, value in vars(error).items():
        if isinstance(value, _PLAIN):
            setattr(rebuilt, name, value)
    return rebuilt

"""Tests of lawgovkit.errors: every error pickles whole, so worker processes return it."""

from __future__ import annotations

import pickle

import pytest

from lawgovkit import errors

ERRORS = [
    getattr(errors, name)
    for name in errors.__all__
    if isinstance(getattr(errors, name), type)
    and issubclass(getattr(errors, name), Exception)
    and not issubclass(getattr(errors, name), Warning)
]


@pytest.mark.parametrize("cls", ERRORS, ids=lambda cls: cls.__name__)
@pytest.mark.parametrize("path", ["某县/报告.txt", None])
def test_every_error_pickles_whole(cls, path):
    error = cls("不是可读的文件", path=path)
    error.note = "extra"
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is cls
    assert str(again) == str(error) == (f"{path}: 不是可读的文件" if path else "不是可读的文件")
    assert again.path == path and again.message == "不是可读的文件" and again.note == "extra"
    assert isinstance(again, errors.LawgovkitError)

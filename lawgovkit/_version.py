"""The version of lawgovkit, on the ground floor so that any module may read it."""

__version__ = "0.1.0"

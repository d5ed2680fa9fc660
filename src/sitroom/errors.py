"""The exception tree. Library code raises these; only the CLI turns them into messages and exit codes.

    SitroomError                  base of everything sitroom raises on purpose
    ├── Rejected                  an input file (or one item in it) cannot be read as a document
    ├── ConfigError               a setting, option or data file given by the user is wrong
    │   └── DataFileError         a user data file (places, lexicon, subscriptions) has a bad line
    ├── StoreError                the store cannot be opened, migrated or written
    └── GazetteerError            the gazetteer index cannot be built or loaded

Messages say what is wrong and what to do; those that point at a file name the file (and the line).
"""

from __future__ import annotations


class SitroomError(Exception):
    """Base class of sitroom's own errors."""


class Rejected(SitroomError):
    """A reader cannot read a file as a document. The batch records it and goes on."""

    def __init__(self, reason: str, path: str | None = None) -> None:
        self.reason = reason
        self.path = path
        super().__init__(f"{path}: {reason}" if path else reason)


class ExtractionTimeout(SitroomError):
    """A document took longer to read than the extractor's time budget: it is rejected, not stored half-read."""


class ConfigError(SitroomError):
    """A setting, option or file given by the user is wrong."""


class DataFileError(ConfigError):
    """A line of a user-supplied data file is malformed."""

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")


class StoreError(SitroomError):
    """The store cannot be opened, migrated or written."""


class GazetteerError(SitroomError):
    """The gazetteer index cannot be built or loaded."""


class QueryError(SitroomError, ValueError):
    """A query asks for something its command can never hold (an event type a table has no rows of)."""

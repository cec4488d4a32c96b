"""Limits that bound the work of reading any file, whatever the file says about itself.

A resume is a few pages: about 5,000 to 30,000 characters. Every reader stops as soon as a file
shows it is far beyond that, so a hostile or absurd file costs a bounded amount of time and
memory, and the rest of an import batch goes on. The limits count what actually comes out of a
file (decoded characters, inflated bytes), never the sizes a header declares.

Nothing here imports the parsing libraries, so :mod:`sniff` and the readers can share it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

#: More text than this (about 700 dense pages) is not a plausible resume. Readers stop as soon as
#: they have produced more, and the file is rejected. Read at call time (tests lower it).
MAX_TEXT_CHARS = 2_000_000

#: A text file is decoded from at most this many bytes: no encoding we accept needs more than 4
#: bytes per character (plus a 4-byte BOM), so a longer file holds more than MAX_TEXT_CHARS.
MAX_TEXT_BYTES = 4 * MAX_TEXT_CHARS + 4

#: A Word package with more members than this is not a resume (real ones have 10 to a few
#: hundred). Checked before zipfile builds an object per member.
MAX_ZIP_ENTRIES = 10_000

#: One XML part of a Word document may inflate to at most this. A long resume's
#: ``word/document.xml`` is well under 1 MB; MAX_TEXT_CHARS of text in ordinary Word markup
#: needs about 10 MB.
MAX_XML_PART_BYTES = 16 * 1024 * 1024

#: All XML parts read from one Word document together (relationships, headers, body, footers).
MAX_XML_TOTAL_BYTES = 32 * 1024 * 1024

#: Deeper XML than this is refused; the libxml2 parser python-docx used refused it too.
MAX_XML_DEPTH = 256

#: Members are inflated this much at a time. zipfile bounds one inflate call by the size asked
#: for, so this, not the member's declared size, is what a single read can cost.
ZIP_READ_CHUNK = 1024 * 1024

#: Only these methods are inflated: zipfile bounds a deflate call by the size asked for, but
#: decompresses a whole bzip2/LZMA read at once. Word never writes the others.
READABLE_COMPRESSION = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})

_CENTRAL_DIRECTORY_SIGNATURE = b"PK\x01\x02"


class TextTooLong(Exception):
    """A reader produced more than :data:`MAX_TEXT_CHARS` characters and stopped."""


class TextBudget:
    """Counts characters a reader produces; raises :class:`TextTooLong` once over the limit."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = MAX_TEXT_CHARS if limit is None else limit
        self.used = 0

    def spend(self, count: int) -> None:
        self.used += count
        if self.used > self.limit:
            raise TextTooLong(f"over {self.limit} characters")

    def ensure_room(self, count: int) -> None:
        """Refuse before producing ``count`` more characters that would not fit."""
        if self.used + count > self.limit:
            raise TextTooLong(f"over {self.limit} characters")


class ZipLimitExceeded(Exception):
    """A ZIP package needs more than a limit: ``what`` is ``"entries"`` or ``"bytes"``."""

    def __init__(self, what: str, limit: int) -> None:
        super().__init__(f"more than {limit} {what}")
        self.what = what
        self.limit = limit


def open_zip(data: bytes, *, max_entries: int | None = None) -> zipfile.ZipFile:
    """A :class:`zipfile.ZipFile` over ``data``, refused before parsing if it has too many entries.

    zipfile keeps an object per central-directory record; each record starts with its signature
    (zipfile checks it), so counting signatures bounds the records whatever the end record says.
    """
    limit = MAX_ZIP_ENTRIES if max_entries is None else max_entries
    if data.count(_CENTRAL_DIRECTORY_SIGNATURE) > limit:
        raise ZipLimitExceeded("entries", limit)
    return zipfile.ZipFile(io.BytesIO(data))


class ByteBudget:
    """Inflates ZIP members in chunks, counting the bytes that actually come out.

    The declared sizes in the local and central headers are not trusted: a member that inflates
    past ``per_member`` bytes, or members that together pass ``total``, raise
    :class:`ZipLimitExceeded` after at most one chunk more than the limit has been inflated.
    """

    def __init__(self, per_member: int | None = None, total: int | None = None) -> None:
        self.per_member = MAX_XML_PART_BYTES if per_member is None else per_member
        self.total = MAX_XML_TOTAL_BYTES if total is None else total
        self.used = 0

    def stream(self, archive: zipfile.ZipFile, name: str, sink: Callable[[bytes], object]) -> None:
        """Hand the inflated bytes of member ``name`` to ``sink`` chunk by chunk.

        Raises ``KeyError`` for a missing member and :class:`zipfile.BadZipFile` for one that is
        damaged or compressed with a method we do not inflate.
        """
        info = archive.getinfo(name)
        if info.compress_type not in READABLE_COMPRESSION:
            raise zipfile.BadZipFile(f"{name}: compression method {info.compress_type}")
        inflated = 0
        with archive.open(info) as member:
            while chunk := member.read(ZIP_READ_CHUNK):
                inflated += len(chunk)
                self.used += len(chunk)
                if inflated > self.per_member:
                    raise ZipLimitExceeded("bytes", self.per_member)
                if self.used > self.total:
                    raise ZipLimitExceeded("bytes", self.total)
                sink(chunk)


def read_prefix(archive: zipfile.ZipFile, name: str, size: int) -> bytes:
    """At most the first ``size`` inflated bytes of member ``name`` (a bounded ``read``)."""
    info = archive.getinfo(name)
    if info.compress_type not in READABLE_COMPRESSION:
        raise zipfile.BadZipFile(f"{name}: compression method {info.compress_type}")
    with archive.open(info) as member:
        return member.read(size)

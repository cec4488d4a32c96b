"""The kinds of file the library stores, in one place: media type, extension and short label.

The type is always sniffed from the bytes (``recur_desktop.extraction``), never taken from the
name a sender chose; the extension of a stored object and of a copy saved for the desktop comes
from it, and anything else becomes ``.bin``, which no desktop runs.
"""

from __future__ import annotations

MEDIA_PDF = "application/pdf"
MEDIA_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEDIA_TEXT = "text/plain"
#: A file whose bytes are not a PDF, DOCX or text (the legacy migration keeps such files).
UNKNOWN_MEDIA = "application/octet-stream"

#: The media types an import stores, and the only extensions an object or a copy may carry.
EXTENSIONS = {
    MEDIA_PDF: ".pdf",
    MEDIA_DOCX: ".docx",
    MEDIA_TEXT: ".txt",
}
UNKNOWN_EXTENSION = ".bin"

#: What the window and the command line call each type (``--json`` keeps the media type).
SHORT_LABELS = {
    MEDIA_PDF: "PDF",
    MEDIA_DOCX: "DOCX",
    MEDIA_TEXT: "Text",
}


def _bare(media_type: str | None) -> str:
    return (media_type or "").split(";", 1)[0].strip().lower()


def known_extension(media_type: str | None) -> str | None:
    """``.pdf``, ``.docx`` or ``.txt`` for a type the library reads; None for any other."""
    return EXTENSIONS.get(_bare(media_type))


def extension_for(media_type: str | None) -> str:
    """The extension of a sniffed media type: ``.pdf``, ``.docx``, ``.txt``, else ``.bin``."""
    return known_extension(media_type) or UNKNOWN_EXTENSION


def short_label(media_type: str) -> str:
    """The label the window and the command line show: PDF, DOCX, Text; for another type its
    subtype in capitals (OCTET-STREAM)."""
    return SHORT_LABELS.get(media_type, media_type.rsplit("/", 1)[-1].upper())


__all__ = [
    "EXTENSIONS",
    "MEDIA_DOCX",
    "MEDIA_PDF",
    "MEDIA_TEXT",
    "SHORT_LABELS",
    "UNKNOWN_EXTENSION",
    "UNKNOWN_MEDIA",
    "extension_for",
    "known_extension",
    "short_label",
]

"""Bytes to text: type sniffing, size limits, text and contact extraction."""

from recur_desktop.extraction.extract import (
    DEFAULT_MAX_BYTES,
    ExtractedDocument,
    RejectedDocument,
    extract_document,
    too_large_reason,
)
from recur_desktop.extraction.limits import MAX_TEXT_CHARS

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_TEXT_CHARS",
    "ExtractedDocument",
    "RejectedDocument",
    "extract_document",
    "too_large_reason",
]

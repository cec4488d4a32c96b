"""Bytes to text: type sniffing, size limits, text and contact extraction."""

from recur_desktop.extraction.extract import (
    DEFAULT_MAX_BYTES,
    ExtractedDocument,
    RejectedDocument,
    extract_document,
    too_large_reason,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "ExtractedDocument",
    "RejectedDocument",
    "extract_document",
    "too_large_reason",
]

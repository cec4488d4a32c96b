"""Bytes to text: type sniffing, size limits, text and contact extraction."""

from recur_desktop.extraction.extract import (
    DEFAULT_MAX_BYTES,
    ExtractedDocument,
    RejectedDocument,
    extract_document,
    too_large_reason,
)
from recur_desktop.extraction.gate import GATE_KINDS, GateVerdict, judge_resume
from recur_desktop.extraction.limits import MAX_TEXT_CHARS

__all__ = [
    "DEFAULT_MAX_BYTES",
    "GATE_KINDS",
    "MAX_TEXT_CHARS",
    "ExtractedDocument",
    "GateVerdict",
    "RejectedDocument",
    "extract_document",
    "judge_resume",
    "too_large_reason",
]

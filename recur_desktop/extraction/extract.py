"""Turn an uploaded file's bytes into resume text, or say plainly why we can't.

The type is sniffed from the bytes (see :mod:`recur_desktop.extraction.sniff`); the file name is
used for logging only. Every failure, including any exception a parsing library throws, becomes a
:class:`RejectedDocument` with a stable ``code`` and a sentence a recruiter understands.

Work is bounded per file whatever the file claims (see :mod:`recur_desktop.extraction.limits`):
more than ``MAX_TEXT_CHARS`` characters of text is rejected as ``too_much_text``, Word packages are
inflated and parsed as streams against byte budgets, and PDF readers stop at the first page past
the cap.

PDFium is not thread-safe, not even across different documents, so every pypdfium2 call in this
module runs under :data:`PDFIUM_LOCK`. Other code in the process that calls pypdfium2 (page
previews, say) must hold the same lock.
"""

from __future__ import annotations

import io
import logging
import re
import threading
from dataclasses import dataclass
from typing import Any

import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from recur_desktop.domain.media import EXTENSIONS, MEDIA_DOCX, MEDIA_PDF, MEDIA_TEXT
from recur_desktop.extraction import limits
from recur_desktop.extraction.contacts import find_email, find_phone, guess_name
from recur_desktop.extraction.limits import TextBudget, TextTooLong, ZipLimitExceeded
from recur_desktop.extraction.sniff import Sniffed, Unsupported, sniff
from recur_desktop.extraction.wordml import read_docx_text

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 25 * 1024 * 1024

#: At most this many pages of a PDF are read; resumes are short and the rest is not worth the time.
MAX_PDF_PAGES = 50
#: A PDF with fewer letters and digits than this across its pages has no usable text layer.
MIN_TEXT_CHARS = 20

#: Serialises all PDFium calls in the process (PDFium is not thread-safe).
PDFIUM_LOCK = threading.RLock()

# The media types and their extensions live in recur_desktop.domain.media (imported above).

#: Every ``RejectedDocument.code``.
REJECTION_CODES = frozenset(
    {
        "empty",
        "too_large",
        "unsupported_type",
        "old_format",
        "damaged",
        "password_protected",
        "no_text_layer",
        "unreadable",
        "too_much_text",
    }
)

MSG_EMPTY = "The file is empty."
MSG_TOO_LARGE = "The file is {size} MB, over the {limit} MB limit for a resume."
MSG_PDF_DAMAGED = "The PDF is damaged and can't be read."
MSG_PDF_PROTECTED = "The PDF is password-protected. Ask the candidate for an unprotected copy."
MSG_PDF_NO_TEXT = (
    "The PDF has no text layer — it looks like a scanned image. "
    "Ask for the original or run it through OCR first."
)
MSG_PDF_UNREADABLE = "The PDF uses features we can't read. Save it again as PDF or DOCX and retry."
MSG_DOCX_DAMAGED = (
    "The Word document is damaged and can't be read. Open and save it in Word, or save it as "
    "PDF, and import it again."
)
MSG_DOCX_NO_TEXT = (
    "The Word document holds only images, no text. Ask for the original or run it through OCR "
    "first."
)
MSG_DOCX_UNREADABLE = "The Word document can't be read. Save it as PDF or DOCX again and retry."
MSG_TEXT_UNREADABLE = "The text file can't be read."
MSG_TOO_MUCH_TEXT = (
    "The file holds more than {limit:,} characters of text, hundreds of pages, so it isn't a "
    "plausible resume and wasn't imported."
)
MSG_DOCX_TOO_BIG = (
    "The Word document unpacks to more than {limit} MB of text and layout, far more than a "
    "resume needs; it can't be imported."
)
MSG_DOCX_TOO_MANY_PARTS = (
    "The Word document is made of more than {limit:,} parts, far more than a resume needs; "
    "it can't be imported."
)


@dataclass(frozen=True)
class ExtractedDocument:
    """What we honestly read from a file."""

    media_type: str
    """``application/pdf``, the DOCX media type or ``text/plain``: from the bytes, not the name."""
    extension: str
    """``.pdf``, ``.docx`` or ``.txt``, matching :attr:`media_type`."""
    text: str
    """Normalised text: no NULs, ``\\n`` line ends, no trailing spaces, ligatures and soft
    hyphens resolved."""
    candidate_name: str | None
    candidate_email: str | None
    candidate_phone: str | None


class RejectedDocument(Exception):
    """A file we won't import. ``str(exc)`` is a sentence a recruiter understands; ``code`` is a
    stable machine code, one of :data:`REJECTION_CODES`."""

    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code

    def __reduce__(self) -> tuple[Any, ...]:  # keep it picklable across process pools
        return (type(self), (self.reason, self.code))

    def __repr__(self) -> str:
        return f"RejectedDocument({self.reason!r}, code={self.code!r})"


def extract_document(
    data: bytes, *, file_name: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> ExtractedDocument:
    """Read ``data`` as a PDF, DOCX or plain-text resume.

    The type comes from the bytes; ``file_name`` is only used in log messages. Raises
    :class:`RejectedDocument` for anything we can't honestly read; no other exception escapes
    for any input bytes.
    """
    try:
        return _extract(bytes(data), max_bytes)
    except RejectedDocument as exc:
        log.info("Rejected %r: %s (%s)", file_name, exc.code, exc.reason)
        raise
    except Exception:  # the contract: no library exception escapes
        log.exception("Unexpected failure extracting %r", file_name)
        raise RejectedDocument(
            "The file can't be read. Save it again as PDF or DOCX and retry.", "unreadable"
        ) from None


def _extract(data: bytes, max_bytes: int) -> ExtractedDocument:
    if not data:
        raise RejectedDocument(MSG_EMPTY, "empty")
    if len(data) > max_bytes:
        raise RejectedDocument(
            too_large_reason(len(data), max_bytes),
            "too_large",
        )
    verdict = sniff(data)
    if isinstance(verdict, Unsupported):
        raise RejectedDocument(verdict.reason, verdict.code)
    try:
        media_type, extension, raw = _read(verdict, data)
        text = normalise_text(raw)
        if len(text) > limits.MAX_TEXT_CHARS:  # spelled-out ligatures can lengthen it
            raise TextTooLong("normalised text")
    except TextTooLong:
        raise RejectedDocument(too_much_text_reason(), "too_much_text") from None
    if not text:
        raise RejectedDocument(MSG_EMPTY, "empty")
    return ExtractedDocument(
        media_type=media_type,
        extension=extension,
        text=text,
        candidate_name=guess_name(text),
        candidate_email=find_email(text),
        candidate_phone=find_phone(text),
    )


def _read(verdict: Sniffed, data: bytes) -> tuple[str, str, str]:
    if verdict.kind == "pdf":
        return MEDIA_PDF, EXTENSIONS[MEDIA_PDF], _read_pdf(data)
    if verdict.kind == "docx":
        return MEDIA_DOCX, EXTENSIONS[MEDIA_DOCX], _read_docx(data)
    if verdict.text is None:  # pragma: no cover - sniff always decodes text
        raise RejectedDocument(MSG_TEXT_UNREADABLE, "unreadable")
    # sniff decoded at most MAX_TEXT_BYTES; a longer file holds more characters than the cap.
    if not verdict.complete:
        raise TextTooLong("text file over the byte budget")
    TextBudget().spend(len(verdict.text))
    return MEDIA_TEXT, EXTENSIONS[MEDIA_TEXT], verdict.text


def too_large_reason(size: int, max_bytes: int) -> str:
    """The rejection sentence for a file over the limit (also used before a file is read)."""
    return MSG_TOO_LARGE.format(size=_megabytes(size), limit=_megabytes(max_bytes))


def too_much_text_reason() -> str:
    """The rejection sentence for a file with more text than any resume."""
    return MSG_TOO_MUCH_TEXT.format(limit=limits.MAX_TEXT_CHARS)


def _megabytes(size: int) -> str:
    mb = size / (1024 * 1024)
    if mb >= 10:
        return f"{mb:.0f}"
    if mb >= 0.1:
        return f"{mb:.1f}".removesuffix(".0")
    return f"{mb:.2g}"


# --- text normalisation -------------------------------------------------------------------------

_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
_DROP = dict.fromkeys(
    map(ord, "\x00\u00ad\ufffe\uffff\ufeff\u200b\u2060"), None
)  # NUL, soft hyphen, PDFium's hyphenation mark, BOM/zero-width characters
_TRANSLATE = (
    str.maketrans(
        {**_LIGATURES, "\u00a0": " ", "\u202f": " ", "\u2007": " "},
    )
    | _DROP
)
_LINE_BREAKS = re.compile("\r\n|[\r\v\f\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x01-\x08\x0e-\x1f\x7f-\x9f]")
# Only a run's first blank may start a match: "[ \t]+$" alone retries from every blank of a run
# that doesn't end its line, quadratic in the run's length (44 s for 100,000 blanks).
_TRAILING_SPACE = re.compile(r"(?<![ \t])[ \t]+$", re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """NUL-free text with ``\\n`` line ends, no trailing spaces, at most one blank line in a row,
    ligatures spelled out and soft hyphens (including PDFium's hyphenation marks) removed."""
    text = text.translate(_TRANSLATE)
    text = _LINE_BREAKS.sub("\n", text)
    text = _CONTROLS.sub("", text)
    text = _TRAILING_SPACE.sub("", text)
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip("\n").rstrip()


def _meaningful_chars(text: str) -> int:
    return sum(1 for char in text if char.isalnum())


# --- PDF ----------------------------------------------------------------------------------------


class _NeedsPassword(Exception):
    pass


def _read_pdf(data: bytes) -> str:
    """PDFium first (best text, most tolerant parser), pypdf as the fallback and second opinion."""
    pdfium_text: str | None = None
    pdfium_failed = False
    try:
        pdfium_text = _pdfium_text(data)
    except _NeedsPassword:
        raise RejectedDocument(MSG_PDF_PROTECTED, "password_protected") from None
    except TextTooLong:
        raise  # the text is there, and there is too much of it: pypdf would find the same
    except Exception as exc:  # fall back to pypdf
        log.debug("PDFium could not read the PDF: %s", exc)
        pdfium_failed = True

    if pdfium_text is not None and _meaningful_chars(normalise_text(pdfium_text)) >= MIN_TEXT_CHARS:
        return pdfium_text

    try:
        pypdf_text = _pypdf_text(data)
    except TextTooLong:
        raise
    except RejectedDocument:
        if pdfium_failed:
            raise
        pypdf_text = ""  # PDFium opened it without a password: its verdict stands
    except Exception as exc:
        log.debug("pypdf could not read the PDF: %s", exc)
        if pdfium_failed:
            raise RejectedDocument(MSG_PDF_DAMAGED, "damaged") from None
        pypdf_text = ""

    best = max((pdfium_text or "", pypdf_text), key=lambda t: _meaningful_chars(normalise_text(t)))
    if _meaningful_chars(normalise_text(best)) < MIN_TEXT_CHARS:
        raise RejectedDocument(MSG_PDF_NO_TEXT, "no_text_layer")
    return best


def _pdfium_text(data: bytes) -> str:
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
                raise _NeedsPassword() from None
            raise
        try:
            budget = TextBudget()
            pages: list[str] = []
            for index in range(min(len(document), MAX_PDF_PAGES)):
                page = document[index]
                try:
                    textpage = page.get_textpage()
                    try:
                        # Refuse before copying a page's text out when it can't fit.
                        budget.ensure_room(textpage.count_chars())
                        text = textpage.get_text_range()
                        budget.spend(len(text) + 2)  # and the blank line between pages
                        pages.append(text)
                    finally:
                        textpage.close()
                finally:
                    page.close()
        finally:
            document.close()
    return "\n\n".join(pages)


#: pypdf's own resource limits (75 MB per stream by default), tightened for a file that is at
#: most DEFAULT_MAX_BYTES: no stream of a resume inflates to more than this.
PYPDF_LIMITS = {
    "maximum_declared_stream_length": 32 * 1024 * 1024,
    "zlib_maximum_output_length": 32 * 1024 * 1024,
    "lzw_maximum_output_length": 32 * 1024 * 1024,
    "run_length_maximum_output_length": 32 * 1024 * 1024,
    "array_based_stream_maximum_output_length": 32 * 1024 * 1024,
    "stream_decoding_work_maximum_length": 64 * 1024 * 1024,
}


def _pypdf_text(data: bytes) -> str:
    apply = getattr(pypdf, "apply_configuration", None)  # pypdf >= 7 (pyproject allows 4.2)
    if apply is None:
        return _pypdf_pages_text(data)
    with apply(**PYPDF_LIMITS):  # a context variable: only this thread, only this call
        return _pypdf_pages_text(data)


def _pypdf_pages_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        try:
            unlocked = reader.decrypt("")
        except Exception:  # e.g. an algorithm needing a missing crypto library
            raise RejectedDocument(MSG_PDF_UNREADABLE, "unreadable") from None
        if unlocked == pypdf.PasswordType.NOT_DECRYPTED:
            raise RejectedDocument(MSG_PDF_PROTECTED, "password_protected")
    pages = reader.pages
    count = len(pages)
    if count == 0:
        raise RejectedDocument(MSG_PDF_DAMAGED, "damaged")
    budget = TextBudget()
    texts: list[str] = []
    for index in range(min(count, MAX_PDF_PAGES)):
        try:
            text = pages[index].extract_text() or ""
        except Exception as exc:  # one bad page doesn't sink the others
            log.debug("pypdf could not read page %d: %s", index + 1, exc)
            continue
        budget.spend(len(text) + 2)  # stop at the first page past the cap
        texts.append(text)
    return "\n\n".join(texts)


# --- DOCX ---------------------------------------------------------------------------------------


def _read_docx(data: bytes) -> str:
    """Streamed with bounded work (see :mod:`recur_desktop.extraction.wordml`)."""
    try:
        parts = read_docx_text(data)
    except TextTooLong:
        raise
    except ZipLimitExceeded as exc:
        if exc.what == "entries":
            reason = MSG_DOCX_TOO_MANY_PARTS.format(limit=exc.limit)
        else:
            reason = MSG_DOCX_TOO_BIG.format(limit=_megabytes(exc.limit))
        raise RejectedDocument(reason, "too_large") from None
    except Exception as exc:  # bad zip, missing part, broken XML, a DTD
        log.debug("Could not read the Word package: %s: %s", type(exc).__name__, exc)
        raise RejectedDocument(MSG_DOCX_DAMAGED, "damaged") from None
    if not parts.text.strip() and parts.has_images:
        raise RejectedDocument(MSG_DOCX_NO_TEXT, "no_text_layer")
    return parts.text

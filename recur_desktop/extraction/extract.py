"""Turn an uploaded file's bytes into resume text, or say plainly why we can't.

The type is sniffed from the bytes (see :mod:`recur_desktop.extraction.sniff`); the file name is
used for logging only. Every failure, including any exception a parsing library throws, becomes a
:class:`RejectedDocument` with a stable ``code`` and a sentence a recruiter understands.

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

import docx
import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.package import OpcPackage
from docx.oxml.parser import parse_xml

from recur_desktop.extraction.contacts import find_email, find_phone, guess_name
from recur_desktop.extraction.sniff import Sniffed, Unsupported, sniff

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 25 * 1024 * 1024

#: At most this many pages of a PDF are read; resumes are short and the rest is not worth the time.
MAX_PDF_PAGES = 50
#: A PDF with fewer letters and digits than this across its pages has no usable text layer.
MIN_TEXT_CHARS = 20

#: Serialises all PDFium calls in the process (PDFium is not thread-safe).
PDFIUM_LOCK = threading.RLock()

MEDIA_PDF = "application/pdf"
MEDIA_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEDIA_TEXT = "text/plain"

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
    media_type, extension, raw = _read(verdict, data)
    text = normalise_text(raw)
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
        return MEDIA_PDF, ".pdf", _read_pdf(data)
    if verdict.kind == "docx":
        return MEDIA_DOCX, ".docx", _read_docx(data)
    if verdict.text is None:  # pragma: no cover - sniff always decodes text
        raise RejectedDocument(MSG_TEXT_UNREADABLE, "unreadable")
    return MEDIA_TEXT, ".txt", verdict.text


def too_large_reason(size: int, max_bytes: int) -> str:
    """The rejection sentence for a file over the limit (also used before a file is read)."""
    return MSG_TOO_LARGE.format(size=_megabytes(size), limit=_megabytes(max_bytes))


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
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)
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
    except Exception as exc:  # fall back to pypdf
        log.debug("PDFium could not read the PDF: %s", exc)
        pdfium_failed = True

    if pdfium_text is not None and _meaningful_chars(normalise_text(pdfium_text)) >= MIN_TEXT_CHARS:
        return pdfium_text

    try:
        pypdf_text = _pypdf_text(data)
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
            pages: list[str] = []
            for index in range(min(len(document), MAX_PDF_PAGES)):
                page = document[index]
                try:
                    textpage = page.get_textpage()
                    try:
                        pages.append(textpage.get_text_range())
                    finally:
                        textpage.close()
                finally:
                    page.close()
        finally:
            document.close()
    return "\n\n".join(pages)


def _pypdf_text(data: bytes) -> str:
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
    texts: list[str] = []
    for index in range(min(count, MAX_PDF_PAGES)):
        try:
            texts.append(pages[index].extract_text() or "")
        except Exception as exc:  # one bad page doesn't sink the others
            log.debug("pypdf could not read page %d: %s", index + 1, exc)
    return "\n\n".join(texts)


# --- DOCX ---------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P, _T, _TAB, _BR, _CR = f"{_W}p", f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"
_NO_BREAK_HYPHEN = f"{_W}noBreakHyphen"
_TEXT_BOX = f"{_W}txbxContent"
#: Subtrees without visible text: properties, deleted/moved-away text, field codes and the
#: fallback copy of text boxes (the mc:Choice copy is read).
_SKIP = frozenset(
    {
        f"{_W}pPr",
        f"{_W}rPr",
        f"{_W}tblPr",
        f"{_W}trPr",
        f"{_W}tcPr",
        f"{_W}sectPr",
        f"{_W}del",
        f"{_W}delText",
        f"{_W}moveFrom",
        f"{_W}instrText",
        f"{_MC}Fallback",
    }
)


def _read_docx(data: bytes) -> str:
    try:
        parts = _docx_parts(data)
    except RejectedDocument:
        raise
    except Exception as exc:  # bad zip, missing part, broken XML
        log.debug("python-docx could not open the document: %s", exc)
        raise RejectedDocument(MSG_DOCX_DAMAGED, "damaged") from None
    try:
        lines: list[str] = []
        for element in parts.elements:
            _block_lines(element, lines)
        text = "\n".join(lines)
    except Exception as exc:
        log.debug("Could not walk the document XML: %s", exc)
        raise RejectedDocument(MSG_DOCX_UNREADABLE, "unreadable") from None
    if not text.strip() and parts.has_images:
        raise RejectedDocument(MSG_DOCX_NO_TEXT, "no_text_layer")
    return text


@dataclass
class _DocxParts:
    elements: list[Any]
    has_images: bool


def _docx_parts(data: bytes) -> _DocxParts:
    """Headers, body and footers (as lxml elements) of a Word package, in reading order."""
    try:
        main = docx.Document(io.BytesIO(data)).part
    except ValueError as exc:
        if "content type" not in str(exc):
            raise
        # Macro-enabled documents and templates: same WordprocessingML, another content type.
        main = OpcPackage.open(io.BytesIO(data)).main_document_part

    def element_of(part: Any) -> Any:
        element = getattr(part, "element", None)
        return element if element is not None else parse_xml(part.blob)

    headers: list[Any] = []
    footers: list[Any] = []
    for rel in main.rels.values():
        if rel.is_external:
            continue
        if rel.reltype == RT.HEADER:
            headers.append(rel.target_part)
        elif rel.reltype == RT.FOOTER:
            footers.append(rel.target_part)
    headers.sort(key=lambda part: str(part.partname))
    footers.sort(key=lambda part: str(part.partname))
    elements = [element_of(part) for part in headers]
    elements.append(element_of(main))
    elements += [element_of(part) for part in footers]
    has_images = any(
        str(part.partname).startswith("/word/media/") for part in main.package.iter_parts()
    )
    return _DocxParts(elements=_dedupe_by_text(elements), has_images=has_images)


def _dedupe_by_text(elements: list[Any]) -> list[Any]:
    # Sections often repeat the same header; keep the first of identical ones.
    seen: set[bytes] = set()
    kept: list[Any] = []
    for element in elements:
        key = b"".join(t.encode() for t in element.itertext())
        if key and key in seen:
            continue
        seen.add(key)
        kept.append(element)
    return kept


def _block_lines(element: Any, lines: list[str]) -> None:
    """Append one line per paragraph under ``element`` (body, cell, text box...) in order."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == _P:
            _paragraph_lines(child, lines)
        else:
            _block_lines(child, lines)  # tables, rows, cells, content controls, ...


def _paragraph_lines(paragraph: Any, lines: list[str]) -> None:
    parts: list[str] = []
    boxes: list[Any] = []
    _inline_text(paragraph, parts, boxes)
    lines.append("".join(parts))
    for box in boxes:
        _block_lines(box, lines)


def _inline_text(element: Any, parts: list[str], boxes: list[Any]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == _T:
            parts.append(child.text or "")
        elif tag == _TAB:
            parts.append("\t")
        elif tag in (_BR, _CR):
            parts.append("\n")
        elif tag == _NO_BREAK_HYPHEN:
            parts.append("-")
        elif tag == _TEXT_BOX:
            boxes.append(child)
        else:
            _inline_text(child, parts, boxes)

"""Decide what a file *is* from its bytes alone; the file name is never consulted.

``sniff`` answers with either a :class:`Sniffed` (a kind we can read: PDF, DOCX or plain text,
with the decoded text for the latter) or an :class:`Unsupported` verdict that carries the stable
rejection code and the sentence to show the recruiter. It never raises for any input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice
from typing import Literal

from recur_desktop.extraction.limits import (
    MAX_TEXT_BYTES,
    MAX_ZIP_ENTRIES,
    ZipLimitExceeded,
    open_zip,
    read_prefix,
)

#: Real readers accept a PDF header anywhere in the first 1024 bytes (mail gateways, web servers
#: and some scanners prepend junk), so we do too.
PDF_HEADER_WINDOW = 1024

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: A password-protected DOCX/XLSX/PPTX is an OLE2 container holding this stream.
ENCRYPTED_PACKAGE_NAME = "EncryptedPackage".encode("utf-16-le")
WORD_DOCUMENT_NAME = "WordDocument".encode("utf-16-le")

#: A DOCX whose headers *declare* more than this is refused at once. Declared sizes are only
#: ever trusted to refuse: the reader counts what really inflates (see ``limits.ByteBudget``).
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
__all__ = ["MAX_ZIP_ENTRIES"]  # re-exported from limits, where the readers share it

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

MSG_NOT_SUPPORTED = "This file is not a PDF, Word (DOCX) or text document, whatever its name says."
MSG_IMAGE = (
    "This is an image, not a document. Save the resume as PDF or DOCX (or run a scan through "
    "OCR first) and import it again."
)
MSG_DOC = "This is an old Word document (.doc). Save it as PDF or DOCX and import it again."
MSG_OLE_OTHER = (
    "This is an old Microsoft Office file, not a Word (DOCX) document. Save the resume as PDF "
    "or DOCX and import it again."
)
MSG_RTF = "This is a Rich Text document (.rtf). Save it as PDF or DOCX and import it again."
MSG_ODT = "This is an OpenDocument text (.odt). Save it as PDF or DOCX and import it again."
MSG_WORD_XML = "This is an old Word XML document. Save it as PDF or DOCX and import it again."
MSG_HTML = (
    "This is a web page (HTML), not a document. Save the resume as PDF or DOCX and import it again."
)
MSG_SPREADSHEET = (
    "This is a spreadsheet or presentation, not a resume document. Save the resume as PDF or "
    "DOCX and import it again."
)
MSG_ZIP = "This is a ZIP archive, not a document. Unpack it and import the resumes inside."
MSG_DOCX_PROTECTED = (
    "The Word document is password-protected. Ask the candidate for an unprotected copy."
)
MSG_DAMAGED_ZIP = "The file looks like a damaged Word or ZIP file and can't be read."
MSG_ZIP_TOO_BIG = (
    "The Word document unpacks to more than {limit} MB, far more than a resume needs; "
    "it can't be imported."
)
MSG_ZIP_TOO_MANY = (
    "The file is an archive of more than {limit:,} parts, far more than a resume needs; "
    "it can't be imported."
)


@dataclass(frozen=True)
class Sniffed:
    """A kind we can read. ``text`` is set (already decoded) for ``kind == "text"``."""

    kind: Literal["pdf", "docx", "text"]
    text: str | None = None
    encoding: str | None = None
    complete: bool = True
    """False when only the first ``MAX_TEXT_BYTES`` of a text file were decoded: the file holds
    more characters than any resume (the reader rejects it)."""


@dataclass(frozen=True)
class Unsupported:
    """A verdict that the file can't be imported: a stable ``code`` and a recruiter's ``reason``."""

    code: str
    reason: str


def sniff(data: bytes) -> Sniffed | Unsupported:
    """Classify ``data`` by content. Empty input and size limits are the caller's business."""
    if _find_pdf_header(data) is not None:
        return Sniffed("pdf")
    if data.startswith(OLE2_MAGIC):
        return _sniff_ole2(data)
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        return _sniff_zip(data)
    if _is_image(data):
        return Unsupported("unsupported_type", MSG_IMAGE)
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{\\rtf"):
        return Unsupported("old_format", MSG_RTF)
    # Decode no more than a resume could need; whether the rest is text doesn't matter, it is
    # too much either way.
    text = decode_text(data[:MAX_TEXT_BYTES])
    if text is None:
        return Unsupported("unsupported_type", MSG_NOT_SUPPORTED)
    decoded, encoding = text
    markup = decoded[:2048].lstrip("\ufeff \t\r\n").lower()
    if markup.startswith("<?xml") and "word.document" in markup:
        return Unsupported("old_format", MSG_WORD_XML)
    if markup.startswith(("<!doctype html", "<html")):
        return Unsupported("unsupported_type", MSG_HTML)
    complete = len(data) <= MAX_TEXT_BYTES
    return Sniffed("text", text=decoded, encoding=encoding, complete=complete)


def _find_pdf_header(data: bytes) -> int | None:
    index = data.find(b"%PDF-", 0, PDF_HEADER_WINDOW + 5)
    return None if index < 0 else index


def _sniff_ole2(data: bytes) -> Unsupported:
    # Directory entries hold stream names in UTF-16LE; we only need to know whether one exists.
    if ENCRYPTED_PACKAGE_NAME in data:
        return Unsupported("password_protected", MSG_DOCX_PROTECTED)
    if WORD_DOCUMENT_NAME in data:
        return Unsupported("old_format", MSG_DOC)
    return Unsupported("old_format", MSG_OLE_OTHER)


def _sniff_zip(data: bytes) -> Sniffed | Unsupported:
    try:
        with open_zip(data) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            # A bounded read: the member may be a bomb whatever its header says.
            mimetype = read_prefix(archive, "mimetype", 200).strip() if "mimetype" in names else b""
    except ZipLimitExceeded as exc:
        return Unsupported("too_large", MSG_ZIP_TOO_MANY.format(limit=exc.limit))
    except Exception:  # any zip failure means "damaged", not a crash
        if b"word/" in data:
            return Sniffed("docx")  # the DOCX reader reports the damage in Word terms
        if ODT_MIMETYPE in data[:200]:
            return Unsupported("old_format", MSG_ODT)
        return Unsupported("damaged", MSG_DAMAGED_ZIP)
    if "word/document.xml" in names:
        if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
            limit = MAX_UNPACKED_BYTES // (1024 * 1024)
            return Unsupported("too_large", MSG_ZIP_TOO_BIG.format(limit=limit))
        return Sniffed("docx")
    if mimetype.startswith(ODT_MIMETYPE):
        return Unsupported("old_format", MSG_ODT)
    if mimetype.startswith(b"application/vnd.oasis.opendocument."):
        return Unsupported("unsupported_type", MSG_SPREADSHEET)
    if any(name.startswith(("xl/", "ppt/")) for name in names):
        return Unsupported("unsupported_type", MSG_SPREADSHEET)
    if any(name.startswith("word/") for name in names):
        return Sniffed("docx")  # a Word package missing its main part: the reader says damaged
    return Unsupported("unsupported_type", MSG_ZIP)


def _is_image(data: bytes) -> bool:
    if data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")):
        return True
    if data.startswith((b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")):  # TIFF / BigTIFF
        return True
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return True
    if data[4:8] == b"ftyp" and data[8:12] in {
        b"heic",
        b"heix",
        b"hevc",
        b"hevx",
        b"heim",
        b"heis",
        b"mif1",
        b"msf1",
        b"avif",
        b"avis",
    }:
        return True
    if data[:2] == b"BM" and len(data) >= 18:
        # BMP: a "BM" text line must not match, so also check the DIB header size.
        return int.from_bytes(data[14:18], "little") in {12, 40, 52, 56, 64, 108, 124}
    return False


#: Fraction of characters (at least one) that may be control characters in what we call text.
MAX_CONTROL_RATIO = 0.01
# Control characters other than \t \n \v \f \r and \x1a (the DOS end-of-file marker), C1
# controls, and the replacement/non-characters.
_BAD_CHARS = re.compile("[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f\ufffd\ufffe\uffff]")


def decode_text(data: bytes) -> tuple[str, str] | None:
    """Decode ``data`` as text, or return ``None`` when it isn't honestly text.

    UTF-8 (with or without BOM), UTF-16/UTF-32 with a BOM, BOM-less UTF-16 that is plainly
    ASCII-range, and finally Windows-1252/Latin-1 when the bytes hold no NULs and look printable.
    """
    candidates: list[tuple[str, str]] = []
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        candidates.append(("utf-32", "utf-32"))
    elif data.startswith(b"\xef\xbb\xbf"):
        candidates.append(("utf-8-sig", "utf-8-sig"))
    elif data.startswith(b"\xff\xfe"):
        candidates.append(("utf-16", "utf-16-le"))
    elif data.startswith(b"\xfe\xff"):
        candidates.append(("utf-16", "utf-16-be"))
    else:
        bomless = _bomless_utf16(data)
        if bomless:
            candidates.append((bomless, bomless))
        else:
            data = data.rstrip(b"\x00")  # some tools pad text files with NULs
            candidates.append(("utf-8", "utf-8"))
            if b"\x00" not in data:  # the 8-bit fallbacks accept any byte: be strict
                candidates += [("cp1252", "cp1252"), ("latin-1", "latin-1")]
    for codec, label in candidates:
        decoded = _decode(data, codec)
        if decoded is not None and _looks_like_text(decoded):
            return decoded.lstrip("\ufeff"), label
    return None


def _decode(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        # A file cut in the middle of its last multi-byte character is still that text.
        truncated = exc.reason == "unexpected end of data" and exc.start >= len(data) - 4
        if codec.startswith("utf") and truncated:
            try:
                return data[: exc.start].decode(codec)
            except UnicodeDecodeError:
                return None
        return None


def _bomless_utf16(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 8:
        return None
    sample = sample[: len(sample) // 2 * 2]
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    if odd.count(0) >= 0.9 * half and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.9 * half and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _looks_like_text(text: str) -> bool:
    # Count without building a list of matches, and stop at the first one too many: binary
    # data decoded as Latin-1 has millions.
    allowed = max(1, len(text) * MAX_CONTROL_RATIO)
    found = sum(1 for _match in islice(_BAD_CHARS.finditer(text), int(allowed) + 1))
    return found <= allowed

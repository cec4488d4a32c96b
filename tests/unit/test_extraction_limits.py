"""Resource limits: any file costs bounded time and memory, whatever it says about itself.

Memory is measured with tracemalloc (zipfile's, zlib's and expat's buffers are all traced); work
is measured by counting what a reader is handed (inflated bytes, characters per regex call,
pages read), never by the clock.
"""

from __future__ import annotations

import functools
import io
import random
import struct
import sys
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from recur_desktop.extraction import RejectedDocument, extract_document, limits
from recur_desktop.extraction import contacts as contacts_module
from recur_desktop.extraction.contacts import (
    MAX_CONTACT_WINDOW,
    find_email,
    find_phone,
    guess_name,
)
from recur_desktop.extraction.extract import REJECTION_CODES, normalise_text
from recur_desktop.extraction.sniff import Sniffed, sniff
from tests import samples

MB = 1024 * 1024
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HEAD = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>'
).encode()
TAIL = b"</w:body></w:document>"
TEXT_PARAGRAPH = (
    b"<w:p><w:r><w:t>Led a team of five engineers building data pipelines for retail "
    b"analytics.</w:t></w:r></w:p>"
)
#: A paragraph of layout and no text, the way drawings and revision ids bloat real parts.
LAYOUT_PARAGRAPH = b'<w:p w:rsidR="' + b"0" * 4000 + b'"/>'
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def rejection(data: bytes) -> RejectedDocument:
    with pytest.raises(RejectedDocument) as caught:
        extract_document(data, file_name="hostile.docx")
    assert caught.value.code in REJECTION_CODES
    assert str(caught.value).endswith(".")
    return caught.value


def traced_peak(call: Callable[[], Any]) -> tuple[Any, int]:
    """``call()``'s result (or the exception it raised) and the peak traced memory it used."""
    tracemalloc.start()
    try:
        try:
            outcome: Any = call()
        except Exception as exc:  # returned, so the caller asserts on it outside tracing
            outcome = exc
        return outcome, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture
def inflated(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Bytes zipfile hands out per member while the test runs (build packages before)."""
    sizes: dict[str, int] = {}
    original = zipfile.ZipExtFile.read

    def counting(self: zipfile.ZipExtFile, n: int = -1) -> bytes:
        chunk = original(self, n)
        sizes[self.name] = sizes.get(self.name, 0) + len(chunk)
        return chunk

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting)
    return sizes


# --- building hostile Word packages ------------------------------------------------------------


@functools.cache
def _base_entries() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(samples.make_docx(["Jane Roe"]))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def docx(
    parts: dict[str, bytes | Iterator[bytes]],
    *,
    compress_type: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A real Word package with ``parts`` replaced or added; iterators are streamed in, so a
    part of hundreds of megabytes never exists whole in memory."""
    entries: dict[str, bytes | Iterator[bytes]] = {**_base_entries(), **parts}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, payload in entries.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = compress_type if name in parts else zipfile.ZIP_DEFLATED
            with archive.open(info, "w") as member:
                for chunk in [payload] if isinstance(payload, bytes) else payload:
                    member.write(chunk)
    return buffer.getvalue()


def document_of(paragraph: bytes, size: int) -> Iterator[bytes]:
    """``word/document.xml`` of about ``size`` bytes: ``paragraph`` repeated."""
    yield HEAD
    block = paragraph * 1000
    for _ in range(size // len(block)):
        yield block
    yield TAIL


def lie_about_size(data: bytes, name: str, declared: int, prefix: bytes) -> bytes:
    """Patch both headers of member ``name`` to declare ``declared`` bytes, with the CRC of
    ``prefix`` (its first ``declared`` bytes), so zipfile's own CRC check passes."""
    patched = bytearray(data)
    crc = zlib.crc32(prefix[:declared])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        local = archive.getinfo(name).header_offset
    assert patched[local : local + 4] == b"PK\x03\x04"
    struct.pack_into("<I", patched, local + 14, crc)
    struct.pack_into("<I", patched, local + 22, declared)
    central = data.find(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name.encode():
        central = data.find(b"PK\x01\x02", central + 4)
        assert central > 0
    struct.pack_into("<I", patched, central + 16, crc)
    struct.pack_into("<I", patched, central + 24, declared)
    return bytes(patched)


@functools.cache
def text_bomb() -> bytes:
    """A DOCX whose body inflates to 50 MB of ordinary paragraphs: 36 million characters."""
    return docx({"word/document.xml": document_of(TEXT_PARAGRAPH, 50 * MB)})


@functools.cache
def layout_bomb() -> bytes:
    """A DOCX whose body inflates to 50 MB of layout with no text at all."""
    return docx({"word/document.xml": document_of(LAYOUT_PARAGRAPH, 50 * MB)})


@functools.cache
def hundred_mb_body() -> tuple[bytes, bytes]:
    """A DOCX whose body really inflates to 100 MB (layout, so the text cap can't fire first),
    and the first 20 MB of that body."""
    data = docx({"word/document.xml": document_of(LAYOUT_PARAGRAPH, 100 * MB)})
    prefix = b"".join(document_of(LAYOUT_PARAGRAPH, 20 * MB))
    return data, prefix


# --- Word packages -----------------------------------------------------------------------------


def test_docx_whose_text_unpacks_to_50_mb_is_rejected_as_implausible_in_bounded_memory(
    inflated: dict[str, int],
) -> None:
    data = text_bomb()
    assert len(data) < MB  # a small payload ...
    inflated.clear()

    exc, peak = traced_peak(lambda: extract_document(data, file_name="cv.docx"))

    assert isinstance(exc, RejectedDocument)
    assert exc.code == "too_much_text"
    assert str(exc) == (
        "The file holds more than 2,000,000 characters of text, hundreds of pages, so it isn't "
        "a plausible resume and wasn't imported."
    )
    assert peak < 32 * MB  # ... that used to cost gigabytes
    # Reading stopped at the cap: the 2,000,000 characters need about 3 MB of this markup.
    assert inflated["word/document.xml"] < 5 * MB


def test_docx_whose_layout_unpacks_to_50_mb_is_rejected_as_too_large(
    inflated: dict[str, int],
) -> None:
    data = layout_bomb()
    inflated.clear()

    exc, peak = traced_peak(lambda: extract_document(data, file_name="cv.docx"))

    assert isinstance(exc, RejectedDocument)
    assert exc.code == "too_large"
    assert "unpacks to more than 16 MB" in str(exc)
    assert peak < 64 * MB
    assert inflated["word/document.xml"] <= limits.MAX_XML_PART_BYTES + limits.ZIP_READ_CHUNK


@pytest.mark.parametrize(
    ("declared", "code"),
    [
        (2_000, "damaged"),  # zipfile stops at the declared size: the XML is cut short
        (20 * MB, "too_large"),  # declared over the budget: the budget stops it
    ],
)
def test_zip_header_lying_about_the_size_is_rejected_without_inflating_past_the_budget(
    declared: int, code: str, inflated: dict[str, int]
) -> None:
    data, prefix = hundred_mb_body()
    lying = lie_about_size(data, "word/document.xml", declared, prefix)
    inflated.clear()

    exc, peak = traced_peak(lambda: extract_document(lying, file_name="cv.docx"))

    assert isinstance(exc, RejectedDocument)
    assert exc.code == code
    # One inflate call used to produce the real 100 MB before the declared size was applied.
    assert peak < 64 * MB
    budget = min(declared, limits.MAX_XML_PART_BYTES) + limits.ZIP_READ_CHUNK
    assert inflated["word/document.xml"] <= budget


def test_all_parts_together_have_a_budget_too() -> None:
    # 40 headers of 1 MB each: every part is small, together they are not.
    rels = [
        f'<Relationship Id="h{i}" Target="header{i}.xml" Type="http://schemas.openxmlformats.org/'
        f'officeDocument/2006/relationships/header"/>'
        for i in range(40)
    ]
    header = b'<w:hdr xmlns:w="' + W.encode() + b'">' + LAYOUT_PARAGRAPH * 250 + b"</w:hdr>"
    parts: dict[str, bytes | Iterator[bytes]] = {
        "word/_rels/document.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(rels)
            + "</Relationships>"
        ).encode(),
        **{f"word/header{i}.xml": header for i in range(40)},
    }

    exc = rejection(docx(parts))

    assert exc.code == "too_large"
    assert "more than 32 MB" in str(exc)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE w:document [\n<!ENTITY a "ha">\n'
    + b"".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n'.encode() for i in range(9)
    )
    + b"]>\n"
    + f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p>'.encode()
    + b"</w:body></w:document>"
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?>\n<!DOCTYPE w:document SYSTEM "file:///etc/passwd">\n'
    + f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>Jane Roe</w:t></w:r></w:p>'.encode()
    + b"</w:body></w:document>"
)


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "external"])
def test_docx_with_a_doctype_is_rejected_before_expanding_anything(document: bytes) -> None:
    data = docx({"word/document.xml": document})

    exc, peak = traced_peak(lambda: extract_document(data, file_name="cv.docx"))

    assert isinstance(exc, RejectedDocument)
    assert exc.code == "damaged"
    assert peak < 8 * MB  # the laughs expand to a billion characters


def test_doctype_in_a_relationships_part_is_rejected_too() -> None:
    rels = _base_entries()["_rels/.rels"]
    with_dtd = rels.replace(b"?>", b'?><!DOCTYPE Relationships [<!ENTITY x "y">]>', 1)
    assert with_dtd != rels

    assert rejection(docx({"_rels/.rels": with_dtd})).code == "damaged"


def test_docx_nested_deeper_than_the_limit_is_damaged() -> None:
    depth = limits.MAX_XML_DEPTH + 1
    document = (
        HEAD
        + b"<w:sdt>" * depth
        + b"<w:p><w:r><w:t>Jane Roe</w:t></w:r></w:p>"
        + b"</w:sdt>" * depth
        + TAIL
    )

    assert rejection(docx({"word/document.xml": document})).code == "damaged"


def test_docx_nested_within_the_limit_is_read() -> None:
    depth = limits.MAX_XML_DEPTH - 10
    document = (
        HEAD
        + b"<w:sdt>" * depth
        + b"<w:p><w:r><w:t>Jane Roe</w:t></w:r></w:p>"
        + b"</w:sdt>" * depth
        + TAIL
    )

    assert extract_document(docx({"word/document.xml": document}), file_name="cv.docx").text == (
        "Jane Roe"
    )


def test_bzip2_member_is_never_inflated(inflated: dict[str, int]) -> None:
    # zipfile inflates a bzip2 read in one unbounded call; Word never writes bzip2.
    data = docx(
        {"word/document.xml": b"".join(document_of(TEXT_PARAGRAPH, MB))},
        compress_type=zipfile.ZIP_BZIP2,
    )

    inflated.clear()

    assert rejection(data).code == "damaged"
    assert "word/document.xml" not in inflated
    assert inflated  # the relationship parts were read, through the same reader


def test_mimetype_bomb_is_read_only_as_far_as_needed() -> None:
    # No word/ part: sniff only reads the mimetype member, which inflates to 100 MB.
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("mimetype", "w") as member,
    ):
        for _ in range(100):
            member.write(b"\0" * MB)
    data = buffer.getvalue()

    exc, peak = traced_peak(lambda: extract_document(data, file_name="cv.odt"))

    assert isinstance(exc, RejectedDocument)
    assert exc.code == "unsupported_type"
    assert peak < 16 * MB


def test_zip_with_too_many_entries_is_refused_before_it_is_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limits, "MAX_ZIP_ENTRIES", 30)
    entries = _base_entries()
    many = {**entries, **{f"word/media/image{i}.png": b"x" for i in range(31 - len(entries))}}
    built: list[object] = []
    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents", lambda self: built.append(self))

    exc = rejection(samples.make_zip(many))

    assert exc.code == "too_large"
    assert "more than 30 parts" in str(exc)
    assert built == []  # zipfile never read the central directory


def test_long_but_legal_docx_is_read() -> None:
    paragraphs = [f"Project {i}: built a reporting service in Python." for i in range(4000)]
    doc = extract_document(samples.make_docx(["Jane Roe", *paragraphs]), file_name="cv.docx")

    assert doc.candidate_name == "Jane Roe"
    assert doc.text.count("\n") >= 4000
    assert "Project 3999: built a reporting service in Python." in doc.text


# --- text files ---------------------------------------------------------------------------------


def text_of_length(length: int) -> bytes:
    line = "Built data pipelines and reporting services in Python and SQL.\n"
    body = line * (length // len(line) + 1)
    return ("Jane Roe\n" + body)[: length - 1].encode() + b"."


def test_text_file_at_the_character_cap_is_accepted() -> None:
    doc = extract_document(text_of_length(limits.MAX_TEXT_CHARS), file_name="cv.txt")

    assert len(doc.text) == limits.MAX_TEXT_CHARS == 2_000_000
    assert doc.candidate_name == "Jane Roe"


def test_text_file_just_over_the_character_cap_is_rejected() -> None:
    exc = rejection(text_of_length(limits.MAX_TEXT_CHARS + 1))

    assert exc.code == "too_much_text"
    assert "isn't a plausible resume" in str(exc)


def test_text_file_over_the_byte_budget_is_decoded_only_up_to_it() -> None:
    data = text_of_length(limits.MAX_TEXT_BYTES + 100)
    verdict = sniff(data)

    assert isinstance(verdict, Sniffed) and verdict.text is not None
    assert verdict.complete is False
    assert len(verdict.text) == limits.MAX_TEXT_BYTES
    assert rejection(data).code == "too_much_text"


def test_binary_over_the_byte_budget_is_still_not_text() -> None:
    data = random.Random(7).randbytes(limits.MAX_TEXT_BYTES + 100)

    assert rejection(data).code == "unsupported_type"


def test_spelled_out_ligatures_count_towards_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 1000)
    text = "Jane Roe\n" + "\ufb03" * 400  # 409 characters read, 1209 once "ffi" is spelled out

    assert rejection(text.encode()).code == "too_much_text"


# --- PDF ----------------------------------------------------------------------------------------


@pytest.fixture
def small_cap(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 3000)
    return 3000


def ten_page_pdf() -> bytes:
    page = "\n".join(f"Line {i} of a long report about quarterly sales figures." for i in range(20))
    return samples.make_pdf("\f".join([page] * 10))  # about 1,100 characters a page


def test_pdf_reading_stops_at_the_first_page_past_the_cap(
    small_cap: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pypdfium2 as pdfium

    fetched: list[int] = []
    original = pdfium.PdfTextPage.get_text_range

    def counting(self: Any, *args: Any, **kwargs: Any) -> str:
        text = original(self, *args, **kwargs)
        fetched.append(len(text))
        return text

    monkeypatch.setattr(pdfium.PdfTextPage, "get_text_range", counting)

    assert rejection(ten_page_pdf()).code == "too_much_text"
    assert 1 <= len(fetched) < 10
    assert sum(fetched) <= small_cap  # the page that doesn't fit is refused before it is copied


def test_pypdf_fallback_stops_at_the_first_page_past_the_cap(
    small_cap: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pypdf

    from recur_desktop.extraction import extract as module

    def broken(data: bytes) -> str:
        raise RuntimeError("PDFium unavailable")

    pages: list[int] = []
    original = pypdf.PageObject.extract_text

    def counting(self: Any, *args: Any, **kwargs: Any) -> str:
        pages.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(module, "_pdfium_text", broken)
    monkeypatch.setattr(pypdf.PageObject, "extract_text", counting)

    assert rejection(ten_page_pdf()).code == "too_much_text"
    assert len(pages) <= 3


def test_pdf_under_the_cap_reads_every_page(small_cap: int) -> None:
    page = "Jane Roe\nData engineer"
    doc = extract_document(samples.make_pdf("\f".join([page] * 5)), file_name="cv.pdf")

    assert doc.text.count("Data engineer") == 5


# --- linear normalisation and contacts ----------------------------------------------------------


def test_normalising_a_line_with_a_huge_run_of_blanks_is_linear() -> None:
    # "[ \t]+$" retried from every blank of the run: 44 s at 100,000 blanks, hours at this size.
    blanks = " " * 1_000_000
    text = "a" + blanks + "b   \n" + blanks + "\nc"

    assert normalise_text(text) == "a" + blanks + "b\n\nc"


class CountingPattern:
    """Forwards to a compiled pattern, recording how many characters each call may look at."""

    def __init__(self, pattern: Any) -> None:
        self.pattern = pattern
        self.windows: list[int] = []

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Any:
        self.windows.append(min(endpos, len(text)) - pos)
        return self.pattern.finditer(text, pos, endpos)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, CountingPattern]:
    patterns = {
        "email": CountingPattern(contacts_module._EMAIL),
        "phone": CountingPattern(contacts_module._PHONE),
    }
    monkeypatch.setattr(contacts_module, "_EMAIL", patterns["email"])
    monkeypatch.setattr(contacts_module, "_PHONE", patterns["phone"])
    return patterns


HOSTILE_LINES = {
    "long word then an address": "x" * 1_000_000 + " jane@example.com",
    "local part without @": "a." * 500_000 + " jane@example.com",
    "endless domain": "a@" + "a-" * 500_000 + " jane@example.com",
    "digits and blanks": "1 " * 500_000 + "jane@example.com",
    "brackets": "(5" * 500_000 + " jane@example.com",
    # The same shapes cut by blanks, so that every window is full of them.
    "endless domains between blanks": ("a@" + "a-" * 1500 + " ") * 300 + "jane@example.com",
    "brackets between blanks": ("(5" * 1500 + " ") * 300 + "jane@example.com",
    "dotted words between blanks": ("a." * 1500 + " ") * 300 + "jane@example.com",
}


@pytest.mark.parametrize("line", HOSTILE_LINES.values(), ids=HOSTILE_LINES.keys())
def test_contact_patterns_see_bounded_windows_of_a_hostile_line(
    line: str, counted: dict[str, CountingPattern]
) -> None:
    assert find_email(line) == "jane@example.com"
    find_phone(line)

    for pattern in counted.values():
        assert pattern.windows, "the pattern was not used"
        assert max(pattern.windows) <= MAX_CONTACT_WINDOW
        assert sum(pattern.windows) <= len(line)  # every character at most once


def test_contacts_are_found_across_window_cuts(counted: dict[str, CountingPattern]) -> None:
    filler = "Worked on many projects for many clients over many years. " * 200  # 11,800 chars
    text = filler + "Reach me at jane.roe@example.com or on Tel: +49 30 1234567 " + filler

    assert find_email(text) == "jane.roe@example.com"
    assert find_phone(text) == "+49 30 1234567"
    assert len(counted["email"].windows) > 1


def test_name_guess_reads_only_the_first_lines() -> None:
    text = "Jane Roe\n" + "Built data pipelines.\n" * 1_000_000  # 22 MB of lines after the name

    name, peak = traced_peak(lambda: guess_name(text))

    assert name == "Jane Roe"
    assert peak < MB  # splitlines() made a million strings here


def test_name_guess_skips_a_huge_first_line() -> None:
    assert guess_name("Lorem " * 200_000 + "\nJane Roe\nEngineer") == "Jane Roe"
    assert guess_name("   " * 200_000 + "\nJane Roe") == "Jane Roe"  # blank: not a line

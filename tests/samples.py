"""Build real sample files (as bytes) at test time, deterministically.

Import these from any test that needs a document; never commit binary samples. Every builder
returns the same bytes for the same arguments (PDFs are made with reportlab's ``invariant`` mode
and ZIP entries get a fixed timestamp).

Readable documents
    ``make_pdf(text)``, ``make_docx(paragraphs)``, ``make_text(text, encoding)``,
    ``make_owner_only_pdf(text)`` (encrypted, empty user password: readable).
Documents that must be rejected (code in brackets)
    ``make_encrypted_pdf(text)`` [password_protected], ``make_scanned_pdf()`` [no_text_layer],
    ``make_damaged_pdf()`` [damaged], ``make_encrypted_docx()`` [password_protected],
    ``make_damaged_docx()`` [damaged], ``make_image_only_docx()`` [no_text_layer],
    ``make_binary_garbage()`` [unsupported_type], ``make_zip({...})`` [unsupported_type],
    ``OLD_FORMATS[ext]`` with the code in ``OLD_FORMAT_CODES[ext]``.
Text
    ``sample_resume_text(name, skills)``: a plausible resume with name, e-mail and phone.
"""

from __future__ import annotations

import io
import random
import re
import struct
import textwrap
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from typing import Any, Literal

__all__ = [
    "DEFAULT_TABLE_ROWS",
    "OLD_FORMATS",
    "OLD_FORMAT_CODES",
    "make_binary_garbage",
    "make_damaged_docx",
    "make_damaged_pdf",
    "make_docx",
    "make_encrypted_docx",
    "make_encrypted_pdf",
    "make_image_only_docx",
    "make_jpeg",
    "make_owner_only_pdf",
    "make_pdf",
    "make_png",
    "make_scanned_pdf",
    "make_text",
    "make_zip",
    "sample_resume_text",
]

_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


# --- text ---------------------------------------------------------------------------------------


def sample_resume_text(
    name: str,
    skills: Sequence[str],
    *,
    email: str | None = None,
    phone: str | None = "+1 415 555 0134",
    title: str = "Software Engineer",
) -> str:
    """A plausible plain-text resume for ``name`` listing ``skills``.

    ``email`` defaults to ``first.last@example.com`` built from ``name``; pass ``phone=None`` to
    leave the phone out.
    """
    if email is None:
        email = ".".join(part.lower() for part in name.split()) + "@example.com"
    contact = f"{email} | {phone}" if phone else email
    skill_line = ", ".join(skills) if skills else "Communication"
    return (
        f"{name}\n"
        f"{title}\n"
        f"{contact}\n"
        "\n"
        "Summary\n"
        f"{title} with eight years of experience building reliable products in small teams.\n"
        "\n"
        "Skills\n"
        f"{skill_line}\n"
        "\n"
        "Experience\n"
        f"2019 - 2024 {title}, Northwind Traders, Berlin\n"
        f"Built and maintained services using {skill_line}.\n"
        "2015 - 2019 Junior Developer, Contoso Ltd, Hamburg\n"
        "Shipped internal tools and wrote automated tests.\n"
        "\n"
        "Education\n"
        "2011 - 2015 B.Sc. Computer Science, Technical University of Munich\n"
    )


def make_text(
    text: str, encoding: str = "utf-8", *, bom: bool | None = None, newline: str = "\n"
) -> bytes:
    """``text`` encoded as a text file.

    ``encoding`` is any Python codec; ``"utf-16"`` means little-endian with a BOM (Python's own
    ``utf-16`` codec is machine-dependent). ``bom`` defaults to True for UTF-16/UTF-32 and to
    False otherwise (``"utf-8-sig"`` always has one). ``newline`` replaces each ``\\n``.
    """
    text = text.replace("\n", newline)
    codec = encoding.lower().replace("_", "-")
    boms = {
        "utf-16": b"\xff\xfe",
        "utf-16-le": b"\xff\xfe",
        "utf-16-be": b"\xfe\xff",
        "utf-32": b"\xff\xfe\x00\x00",
        "utf-32-le": b"\xff\xfe\x00\x00",
        "utf-32-be": b"\x00\x00\xfe\xff",
        "utf-8": b"\xef\xbb\xbf",
    }
    if codec in ("utf-16", "utf-32"):
        codec += "-le"
    prefix = b""
    if bom is None:
        bom = codec.startswith(("utf-16", "utf-32"))
    if bom and codec in boms:
        prefix = boms[codec]
    return prefix + text.encode(codec)


def make_binary_garbage(size: int = 4096, seed: int = 7) -> bytes:
    """Deterministic random bytes: no known signature, plenty of NULs and control bytes."""
    rng = random.Random(seed)
    data = bytes(rng.randrange(256) for _ in range(size))
    return b"\x01\x02GARBAGE" + data[9:]


# --- PDF ----------------------------------------------------------------------------------------


def make_pdf(text: str, *, wrap: int = 95) -> bytes:
    """A real PDF with a text layer (reportlab, Helvetica 10 pt, A4).

    Lines are wrapped at ``wrap`` characters; a form feed (``\\f``) starts a new page and so does
    running off the bottom. Helvetica only covers Latin-1/Windows-1252 characters.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.setTitle("Resume")
    width, height = A4
    for page_index, page_text in enumerate(text.split("\f")):
        if page_index:
            pdf.showPage()
        y = height - 60
        pdf.setFont("Helvetica", 10)
        for paragraph in page_text.split("\n"):
            for line in textwrap.wrap(paragraph, wrap) or [""]:
                if y < 60:
                    pdf.showPage()
                    pdf.setFont("Helvetica", 10)
                    y = height - 60
                pdf.drawString(50, y, line)
                y -= 14
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_encrypted_pdf(
    text: str,
    user_password: str = "secret",
    *,
    owner_password: str = "owner-secret",
    algorithm: str = "RC4-128",
) -> bytes:
    """``make_pdf(text)`` encrypted with pypdf. A non-empty ``user_password`` is needed to open it.

    ``algorithm`` is passed to ``PdfWriter.encrypt`` ("RC4-128" needs no crypto library;
    "AES-128"/"AES-256" need ``cryptography`` and add random IVs, so the bytes then vary).
    """
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(text))))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    # pypdf draws the second file identifier at random; repeat the first (same length, so no
    # offsets move) to keep the bytes deterministic. The key depends only on the first.
    return re.sub(
        rb"/ID \[ <([0-9a-f]+)> <[0-9a-f]+> \]",
        lambda m: b"/ID [ <" + m.group(1) + b"> <" + m.group(1) + b"> ]",
        buffer.getvalue(),
    )


def make_owner_only_pdf(text: str, *, owner_password: str = "owner-secret") -> bytes:
    """An encrypted PDF with an EMPTY user password (only editing/printing is restricted):
    every reader opens it without asking, so it must be imported."""
    return make_encrypted_pdf(text, "", owner_password=owner_password)


def make_scanned_pdf(pages: int = 1) -> bytes:
    """A PDF whose pages are only raster images (a "scan"): no text layer at all."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = ImageReader(io.BytesIO(make_png(120, 160)))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    width, height = A4
    for _ in range(pages):
        pdf.drawImage(image, 40, 40, width=width - 80, height=height - 80)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_damaged_pdf() -> bytes:
    """Starts with a PDF header but holds no parseable objects, xref or trailer."""
    rng = random.Random(11)
    noise = bytes(rng.randrange(256) for _ in range(3000))
    noise = noise.replace(b"obj", b"xxx").replace(b"trailer", b"xxxxxxx").replace(b"xref", b"xxxx")
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 o" + noise + b"\n%%EO"


# --- DOCX and other ZIP packages ---------------------------------------------------------------

#: Default table for ``make_docx``: one row, a label cell and a value cell.
DEFAULT_TABLE_ROWS: tuple[tuple[str, ...], ...] = (("Languages", "English, German"),)


def make_docx(
    paragraphs: Sequence[str],
    *,
    table_rows: Sequence[Sequence[str]] = DEFAULT_TABLE_ROWS,
    header: str | None = None,
    footer: str | None = None,
    text_box: str | None = None,
) -> bytes:
    """A real DOCX (python-docx): ``paragraphs`` in the body, then a table of ``table_rows``
    (pass ``()`` for none), with optional page ``header``/``footer`` text.

    ``text_box`` puts that text in a floating text box anchored before the paragraphs, written
    the way Word does it: a DrawingML box plus a VML fallback copy of the same text.
    """
    import docx

    document = docx.Document()
    if text_box is not None:
        anchor = document.add_paragraph()
        anchor._p.append(_text_box_run(text_box))
    for text in paragraphs:
        document.add_paragraph(text)
    if table_rows:
        columns = max(len(row) for row in table_rows)
        table = document.add_table(rows=len(table_rows), cols=columns)
        for r, row in enumerate(table_rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    section = document.sections[0]
    if header is not None:
        section.header.paragraphs[0].text = header
    if footer is not None:
        section.footer.paragraphs[0].text = footer
    buffer = io.BytesIO()
    document.save(buffer)
    return _rezip(buffer.getvalue())


def _text_box_run(text: str) -> Any:  # an lxml element
    from xml.sax.saxutils import escape

    from docx.oxml.parser import parse_xml

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    paragraph = f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>"
    return parse_xml(
        f'<w:r xmlns:w="{w}"'
        ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
        ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
        ' xmlns:v="urn:schemas-microsoft-com:vml">'
        "<mc:AlternateContent>"
        '<mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>'
        f"<w:txbxContent>{paragraph}</w:txbxContent>"
        "</wps:txbx></wps:wsp></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><v:shape><v:textbox>"
        f"<w:txbxContent>{paragraph}</w:txbxContent>"
        "</v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )


def make_image_only_docx() -> bytes:
    """A DOCX holding one picture and no text (a scan pasted into Word)."""
    import docx

    document = docx.Document()
    document.add_picture(io.BytesIO(make_png(60, 80)))
    buffer = io.BytesIO()
    document.save(buffer)
    return _rezip(buffer.getvalue())


def make_damaged_docx(how: Literal["truncated", "bad_xml", "missing_part"] = "truncated") -> bytes:
    """A broken DOCX: cut in half, with malformed ``word/document.xml``, or missing that part."""
    good = make_docx(["Jane Roe", "jane.roe@example.com", "Skills: Python"])
    if how == "truncated":
        return good[: len(good) // 2]
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    if how == "bad_xml":
        entries["word/document.xml"] = entries["word/document.xml"][:300] + b"<w:p><w:r>"
    else:
        del entries["word/document.xml"]
    return make_zip(entries)


def make_zip(entries: Mapping[str, bytes], *, stored: Sequence[str] = ()) -> bytes:
    """A ZIP archive of ``entries`` in the given order (names in ``stored`` are not
    compressed), with fixed timestamps."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, payload in entries.items():
            info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, payload)
    return buffer.getvalue()


def _rezip(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    return make_zip(entries)


def _make_odt() -> bytes:
    content = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        b' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        b"<office:body><office:text><text:p>Jane Roe</text:p>"
        b"<text:p>jane.roe@example.com</text:p></office:text></office:body>"
        b"</office:document-content>"
    )
    manifest = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        b' manifest:version="1.2">'
        b'<manifest:file-entry manifest:full-path="/"'
        b' manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        b"</manifest:manifest>"
    )
    return make_zip(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": content,
            "META-INF/manifest.xml": manifest,
        },
        stored=("mimetype",),
    )


# --- OLE2 (Compound File Binary): .doc and password-protected Office files -------------------


def _make_cfb(stream_names: Sequence[str]) -> bytes:
    """A minimal OLE2 compound file (one FAT and one directory sector) with empty streams."""
    sector = 512
    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    header = bytearray(sector)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into(
        "<HHHHH6xIIIIIIIII",
        header,
        24,
        0x003E,  # minor version
        0x0003,  # major version 3: 512-byte sectors
        0xFFFE,  # byte order mark
        9,  # sector shift
        6,  # mini sector shift
        0,  # directory sectors (0 for version 3)
        1,  # FAT sectors
        1,  # first directory sector
        0,  # transaction signature
        4096,  # mini stream cutoff
        end,  # first mini FAT sector
        0,  # mini FAT sectors
        end,  # first DIFAT sector
        0,  # DIFAT sectors
    )
    difat = [0] + [free] * 108
    struct.pack_into("<109I", header, 76, *difat)
    fat = struct.pack("<128I", fat_sector, end, *([free] * 126))

    def entry(name: str, kind: int, left: int, right: int, child: int) -> bytes:
        encoded = (name + "\x00").encode("utf-16-le")
        return struct.pack(
            "<64sHBBIII16sIQQIQ",
            encoded,
            len(encoded),
            kind,  # 1 storage, 2 stream, 5 root
            1,  # black
            left,
            right,
            child,
            b"\x00" * 16,
            0,
            0,
            0,
            end,  # start sector: none, the streams are empty
            0,
        )

    nostream = 0xFFFFFFFF
    entries = [entry("Root Entry", 5, nostream, nostream, 1 if stream_names else nostream)]
    for index, name in enumerate(stream_names, start=1):
        right = index + 1 if index < len(stream_names) else nostream
        entries.append(entry(name, 2, nostream, right, nostream))
    directory = b"".join(entries)
    directory += b"\x00" * (-len(directory) % sector)
    if len(directory) > sector:
        raise ValueError("too many streams for this tiny builder")
    return bytes(header) + fat + directory


def make_encrypted_docx() -> bytes:
    """A password-protected DOCX as Office writes it: an OLE2 container with ``EncryptionInfo``
    and ``EncryptedPackage`` streams instead of a ZIP."""
    return _make_cfb(["EncryptionInfo", "EncryptedPackage"])


# --- images -------------------------------------------------------------------------------------


def make_png(width: int = 8, height: int = 8) -> bytes:
    """A real RGB PNG with a deterministic diagonal pattern (pure Python, no Pillow)."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            shade = 30 if (x + y) % 7 < 3 else 230
            rows += bytes((shade, shade, shade))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def make_jpeg(width: int = 16, height: int = 16) -> bytes:
    """A real JPEG (Pillow, which reportlab depends on)."""
    from PIL import Image

    image = Image.new("RGB", (width, height), (200, 200, 200))
    for x in range(width):
        image.putpixel((x, x % height), (20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def _make_gif() -> bytes:
    # 1x1 transparent GIF89a.
    return (
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
        b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )


def _make_tiff() -> bytes:
    # Little-endian baseline TIFF header + one IFD with a single entry (1x1, 8-bit grey).
    entries = [
        (256, 3, 1, 1),  # ImageWidth
        (257, 3, 1, 1),  # ImageLength
        (258, 3, 1, 8),  # BitsPerSample
        (262, 3, 1, 1),  # Photometric: BlackIsZero
        (273, 4, 1, 8 + 2 + 12 * 6 + 4),  # StripOffsets
        (279, 4, 1, 1),  # StripByteCounts
    ]
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        ifd += struct.pack("<HHII", tag, kind, count, value)
    ifd += struct.pack("<I", 0)
    return b"II*\x00" + struct.pack("<I", 8) + ifd + b"\x80"


def _make_doc() -> bytes:
    return _make_cfb(["WordDocument", "1Table", "\x05SummaryInformation"])


def _make_rtf() -> bytes:
    return (
        b"{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Helvetica;}}"
        b"\\f0\\fs24 Jane Roe\\par jane.roe@example.com\\par Skills: Python, SQL\\par}"
    )


#: Real files in formats we refuse, keyed by their usual extension.
OLD_FORMATS: dict[str, bytes] = {
    ".doc": _make_doc(),
    ".rtf": _make_rtf(),
    ".odt": _make_odt(),
    ".png": make_png(),
    ".jpg": make_jpeg(),
    ".gif": _make_gif(),
    ".tiff": _make_tiff(),
}

#: The ``RejectedDocument.code`` each entry of ``OLD_FORMATS`` must get.
OLD_FORMAT_CODES: dict[str, str] = {
    ".doc": "old_format",
    ".rtf": "old_format",
    ".odt": "old_format",
    ".png": "unsupported_type",
    ".jpg": "unsupported_type",
    ".gif": "unsupported_type",
    ".tiff": "unsupported_type",
}

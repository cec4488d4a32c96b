"""The text of a Word (DOCX) package, read with bounded work.

python-docx reads every part whole with ``ZipFile.read``, and zipfile inflates such a read in one
call sized by the member's *declared* length, so a zip bomb or a lying header costs gigabytes
before any check can fire; it then builds an lxml tree of the whole part. Here each XML part we
need (relationships, headers, body, footers) is inflated in chunks against a
:class:`~recur_desktop.extraction.limits.ByteBudget` that counts what really comes out, and is
parsed as it streams (expat, no tree), with the text counted against a
:class:`~recur_desktop.extraction.limits.TextBudget`. A part with a DOCTYPE is refused: the
Open Packaging Conventions forbid DTDs, and refusing them is what keeps entity expansion
("billion laughs") out.

The text is the same as the tree walk it replaces produced: one line per paragraph in reading
order (table cells included), runs' text, tabs, breaks and no-break hyphens, text boxes after the
paragraph that anchors them, and no properties, deleted text, field codes or fallback copies.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from recur_desktop.extraction.limits import (
    MAX_XML_DEPTH,
    ByteBudget,
    TextBudget,
    open_zip,
)

# expat reports namespaced names as "<uri> <local>" with this separator.
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main "
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006 "
_RELATIONSHIP = "http://schemas.openxmlformats.org/package/2006/relationships Relationship"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_OFFICE_DOCUMENT = _RT + "officeDocument"
RT_HEADER = _RT + "header"
RT_FOOTER = _RT + "footer"

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

#: Small strings are joined in groups of this many, so that a part made of millions of tiny runs
#: or paragraphs costs about its text, not a Python object per piece.
_JOIN_EVERY = 512


class DocxDamaged(Exception):
    """The package or one of its XML parts is broken, or uses what Word never writes (a DTD)."""


@dataclass(frozen=True)
class DocxText:
    text: str
    has_images: bool


def read_docx_text(data: bytes, *, text_budget: TextBudget | None = None) -> DocxText:
    """Headers, body and footers of the Word package ``data`` as text, identical headers once.

    Raises :class:`DocxDamaged` (or ``zipfile.BadZipFile``, ``KeyError``, ``expat.ExpatError``)
    for a broken package, :class:`~recur_desktop.extraction.limits.ZipLimitExceeded` when it
    inflates past a limit and :class:`~recur_desktop.extraction.limits.TextTooLong` when its
    text does.
    """
    budget = text_budget or TextBudget()
    inflate = ByteBudget()
    with open_zip(data) as archive:
        package = _relationships(archive, "", inflate)
        mains = package.get(RT_OFFICE_DOCUMENT)
        if not mains:
            raise DocxDamaged("no main document relationship")
        main = mains[0]
        document = _relationships(archive, main, inflate)
        headers = sorted(set(document.get(RT_HEADER, ())))
        footers = sorted(set(document.get(RT_FOOTER, ())))
        texts: list[tuple[str, int]] = []
        for part in [*headers, main, *footers]:
            texts.append(_part_text(archive, part, inflate, budget))
        has_images = any(name.startswith("word/media/") for name in archive.namelist())
    kept: list[str] = []
    seen: set[str] = set()
    for text, lines in texts:
        if not lines:
            continue
        if text and text in seen:  # sections often repeat the same header: keep the first
            continue
        seen.add(text)
        kept.append(text)
    return DocxText(text="\n".join(kept), has_images=has_images)


# --- relationships ------------------------------------------------------------------------------


def _relationships(
    archive: zipfile.ZipFile, part: str, inflate: ByteBudget
) -> dict[str, list[str]]:
    """Internal relationship targets of ``part`` ("" for the package) by type, as member names."""
    folder, base = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", f"{base}.rels")
    try:
        archive.getinfo(rels_name)
    except KeyError:
        if part == "":
            raise DocxDamaged("no package relationships") from None
        return {}  # a part without relationships: no headers or footers
    wanted = {RT_OFFICE_DOCUMENT, RT_HEADER, RT_FOOTER}
    found: dict[str, list[str]] = {}

    def start(name: str, attrs: dict[str, str]) -> None:
        if name != _RELATIONSHIP or attrs.get("TargetMode") == "External":
            return
        kind = attrs.get("Type")
        target = attrs.get("Target")
        if kind in wanted and target:
            found.setdefault(kind, []).append(_resolve(folder, target))

    _parse(archive, rels_name, inflate, _DepthGuard(start), None, None)
    return found


def _resolve(folder: str, target: str) -> str:
    """The member name a relationship target points to, the way python-docx resolved it."""
    joined = posixpath.join("/" + folder, target)  # an absolute target replaces the folder
    return posixpath.normpath(joined).lstrip("/")


# --- XML parsing --------------------------------------------------------------------------------


def _refuse_dtd(*_args: Any) -> None:
    raise DocxDamaged("a DTD in a package part")


def _parse(
    archive: zipfile.ZipFile,
    member: str,
    inflate: ByteBudget,
    start: Any,
    end: Any,
    chars: Any,
) -> None:
    parser = expat.ParserCreate(namespace_separator=" ")
    # Fired at "<!DOCTYPE", before any entity of its internal subset is declared or expanded.
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.StartElementHandler = start
    parser.EndElementHandler = end if end is not None else start.end
    if chars is not None:
        parser.CharacterDataHandler = chars
        parser.buffer_text = True
        parser.buffer_size = 64 * 1024
    inflate.stream(archive, member, lambda chunk: parser.Parse(chunk, False))
    parser.Parse(b"", True)


class _DepthGuard:
    """Wraps a start handler to refuse documents nested deeper than MAX_XML_DEPTH."""

    def __init__(self, start: Any) -> None:
        self._start = start
        self._depth = 0

    def __call__(self, name: str, attrs: dict[str, str]) -> None:
        self._depth += 1
        if self._depth > MAX_XML_DEPTH:
            raise DocxDamaged("XML nested too deeply")
        self._start(name, attrs)

    def end(self, _name: str) -> None:
        self._depth -= 1


class _Joiner:
    """Joins many strings with ``sep`` in linear time, holding few objects at once."""

    __slots__ = ("_chunks", "_pending", "count", "sep")

    def __init__(self, sep: str) -> None:
        self.sep = sep
        self.count = 0
        self._pending: list[str] = []
        self._chunks: list[str] = []

    def add(self, text: str) -> None:
        self.count += 1
        self._pending.append(text)
        if len(self._pending) >= _JOIN_EVERY:
            self._chunks.append(self.sep.join(self._pending))
            self._pending.clear()

    def text(self) -> str:
        if self._pending:
            self._chunks.append(self.sep.join(self._pending))
            self._pending.clear()
        return self.sep.join(self._chunks)


class _Paragraph:
    """One paragraph's text, and the lines of the text boxes it anchors (they follow it)."""

    __slots__ = ("after", "budget", "parts", "sink")

    def __init__(self, sink: _Joiner, budget: TextBudget) -> None:
        self.sink = sink
        self.budget = budget
        self.parts = _Joiner("")
        self.after = _Joiner("\n")

    def add(self, text: str) -> None:
        self.budget.spend(len(text))
        self.parts.add(text)

    def finish(self) -> None:
        self.budget.spend(1)  # its line break
        self.sink.add(self.parts.text())
        if self.after.count:
            self.sink.add(self.after.text())


# Frame kinds of the text walker.
_BLOCK, _INLINE, _PARAGRAPH, _TEXT = range(4)


class _PartText:
    """expat handlers that turn a WordprocessingML part into lines, as it streams."""

    def __init__(self, budget: TextBudget) -> None:
        self.budget = budget
        self.lines = _Joiner("\n")
        # (kind, target): a block frame targets a line sink, the others a paragraph.
        self._frames: list[tuple[int, Any]] = []
        self._skip = 0  # > 0 inside a subtree whose text we don't read
        self._depth = 0

    def start(self, name: str, _attrs: dict[str, str]) -> None:
        self._depth += 1
        if self._depth > MAX_XML_DEPTH:
            raise DocxDamaged("XML nested too deeply")
        if self._skip:
            self._skip += 1
            return
        frames = self._frames
        if not frames:  # the root (w:document, w:hdr, w:ftr): its children are blocks
            frames.append((_BLOCK, self.lines))
            return
        kind, target = frames[-1]
        if kind == _TEXT or name in _SKIP:
            self._skip = 1  # nothing inside w:t is an element we read
        elif kind == _BLOCK:
            if name == _P:
                frames.append((_PARAGRAPH, _Paragraph(target, self.budget)))
            else:
                frames.append((_BLOCK, target))  # tables, rows, cells, content controls, ...
        elif name == _T:
            frames.append((_TEXT, target))
        elif name == _TAB:
            target.add("\t")
            self._skip = 1
        elif name in (_BR, _CR):
            target.add("\n")
            self._skip = 1
        elif name == _NO_BREAK_HYPHEN:
            target.add("-")
            self._skip = 1
        elif name == _TEXT_BOX:
            frames.append((_BLOCK, target.after))
        else:
            frames.append((_INLINE, target))  # runs, hyperlinks, smart tags, ...

    def end(self, _name: str) -> None:
        self._depth -= 1
        if self._skip:
            self._skip -= 1
            return
        kind, target = self._frames.pop()
        if kind == _PARAGRAPH:
            target.finish()

    def chars(self, data: str) -> None:
        if self._frames and self._frames[-1][0] == _TEXT:
            self._frames[-1][1].add(data)


def _part_text(
    archive: zipfile.ZipFile, member: str, inflate: ByteBudget, budget: TextBudget
) -> tuple[str, int]:
    """The text of one part and its number of lines."""
    walker = _PartText(budget)
    _parse(archive, member, inflate, walker.start, walker.end, walker.chars)
    return walker.lines.text(), walker.lines.count

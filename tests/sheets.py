"""Read an exported workbook the way a strict consumer would: the ZIP, then each XML part parsed
(a part that isn't well-formed XML raises here, as it makes Excel refuse the file)."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
_ESCAPED = re.compile("_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    """Excel's own escape for characters XML can't carry as they are (``_x000D_`` is a
    carriage return, ``_x005F_`` an underscore), decoded as Excel does."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


@dataclass(frozen=True)
class SheetCell:
    ref: str
    kind: str  # the "t" attribute: "s" (shared string), "str", "inlineStr", "n" (number)...
    value: str | float | None
    has_formula: bool


def read_sheet(path: Path) -> list[list[SheetCell]]:
    """Rows of the first worksheet, strings resolved from the shared-string table."""
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                ElementTree.fromstring(book.read(name))  # every part must parse
        shared: list[str] = []
        if "xl/sharedStrings.xml" in book.namelist():
            strings = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
            shared = [
                _unescape("".join(t.text or "" for t in si.iter(f"{{{NS['x']}}}t")))
                for si in strings
            ]
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.findall(".//x:sheetData/x:row", NS):
        cells = []
        for c in row.findall("x:c", NS):
            kind = c.get("t", "n")
            v = c.find("x:v", NS)
            value: str | float | None
            if kind == "s":
                value = shared[int(v.text)]
            elif kind == "inlineStr":
                value = _unescape("".join(t.text or "" for t in c.iter(f"{{{NS['x']}}}t")))
            elif kind == "str":
                value = v.text if v is not None else ""
            else:
                value = float(v.text) if v is not None else None
            cells.append(SheetCell(c.get("r", ""), kind, value, c.find("x:f", NS) is not None))
        rows.append(cells)
    return rows


def column_index(ref: str) -> int:
    """``"C7"`` -> 2."""
    index = 0
    for ch in ref:
        if not ch.isalpha():
            break
        index = index * 26 + ord(ch.upper()) - ord("A") + 1
    return index - 1


def values(path: Path, width: int) -> list[list[str | float | None]]:
    """Each row as ``width`` values by column (a cell the writer left out is None)."""
    table = []
    for row in read_sheet(path):
        line: list[str | float | None] = [None] * width
        for cell in row:
            line[column_index(cell.ref)] = cell.value
        table.append(line)
    return table

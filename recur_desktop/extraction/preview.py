"""A PDF's first page as plain pixels, for the History pane's preview.

PDFium is not thread-safe, not even across different documents, so rendering holds the same
lock as text extraction; the lock stays inside this package. The result is plain bytes (no Qt,
no PIL), which the window turns into an image.
"""

from __future__ import annotations

from dataclasses import dataclass

import pypdfium2 as pdfium

from recur_desktop.extraction.extract import PDFIUM_LOCK


@dataclass(frozen=True, repr=False)
class PageImage:
    """Rows of ``stride`` bytes, top to bottom; each pixel is R, G, B (and A when ``channels``
    is 4)."""

    pixels: bytes
    width: int
    height: int
    stride: int
    channels: int

    def __repr__(self) -> str:  # never a megabyte of pixels in a log or a traceback
        return f"PageImage({self.width}x{self.height}, {self.channels} channels)"


def render_first_page(data: bytes, longest_side: int) -> PageImage:
    """The PDF's first page scaled so that its longest side is ``longest_side`` pixels.
    Slow on a big page: call it off the GUI thread."""
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(data)
        try:
            page = document[0]
            try:
                width, height = page.get_size()
                scale = longest_side / max(width, height, 1.0)
                bitmap = page.render(scale=scale, rev_byteorder=True)
                try:
                    # Copied out: the buffer dies with the bitmap.
                    return PageImage(
                        bytes(bitmap.buffer),
                        bitmap.width,
                        bitmap.height,
                        bitmap.stride,
                        bitmap.n_channels,
                    )
                finally:
                    bitmap.close()
            finally:
                page.close()
        finally:
            document.close()

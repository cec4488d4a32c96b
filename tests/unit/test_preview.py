"""A PDF's first page as plain pixels: rendered under the extraction's PDFium lock, sized to
the longest side asked for, and nothing of Qt or PIL in the result."""

from __future__ import annotations

import threading

import pypdfium2 as pdfium
import pytest

from recur_desktop.extraction.extract import PDFIUM_LOCK
from recur_desktop.extraction.preview import PageImage, render_first_page
from tests.samples import make_pdf, sample_resume_text


@pytest.fixture(scope="module")
def two_pages() -> bytes:
    return make_pdf(sample_resume_text("Ada Lovelace", ["Python"]) + "\f" + "Second page")


def test_the_first_page_of_an_a4_pdf_is_portrait_at_the_asked_size(two_pages: bytes):
    page = render_first_page(two_pages, 700)
    assert isinstance(page, PageImage)
    assert page.height == 700 and 480 <= page.width <= 500  # A4 is 1 : 1.414
    assert page.channels in (3, 4)
    assert page.stride >= page.width * page.channels
    assert len(page.pixels) == page.stride * page.height
    assert type(page.pixels) is bytes
    assert set(page.pixels) != {page.pixels[0]}  # not a blank canvas: the text is drawn


def test_a_page_s_repr_carries_no_pixels(two_pages: bytes):
    shown = repr(render_first_page(two_pages, 100))
    assert shown.startswith("PageImage(") and len(shown) < 60


def test_rendering_waits_for_the_pdfium_lock(two_pages: bytes):
    done = threading.Event()
    worker = threading.Thread(target=lambda: (render_first_page(two_pages, 200), done.set()))
    with PDFIUM_LOCK:
        worker.start()
        assert not done.wait(0.3)  # held here: no page can be rendered meanwhile
    worker.join(10)
    assert done.is_set()


def test_a_damaged_pdf_raises_rather_than_returning_a_blank_page():
    with pytest.raises(pdfium.PdfiumError):  # the pane says "No preview: ..."
        render_first_page(b"%PDF-1.4 not really", 200)

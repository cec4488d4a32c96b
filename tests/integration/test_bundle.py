"""What the bundle ships besides code: the desktop entry and the icons built from app.svg."""

from __future__ import annotations

import configparser
import struct
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "resources" / "icons"


def test_the_desktop_entry_starts_the_window():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(ROOT / "resources" / "recur-desktop.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Name"] == "Recur Desktop"
    assert section["Exec"] == "recur"  # no arguments: `recur` alone opens the window
    assert section["Icon"] == "recur-desktop"
    assert section["Categories"] == "Office;"
    assert section["Terminal"] == "false"


def test_linux_icons_have_their_sizes(qapp):
    for size in (16, 24, 32, 48, 64, 128, 256):
        image = QImage(str(ICONS / "hicolor" / f"{size}x{size}" / "recur-desktop.png"))
        assert (image.width(), image.height()) == (size, size)
    assert QImage(str(ICONS / "app.png")).width() == 256


def test_windows_and_macos_icons_are_well_formed():
    ico = (ICONS / "app.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", ico)
    assert (reserved, kind) == (0, 1) and count >= 4
    for n in range(count):
        *_, size, offset = struct.unpack_from("<BBBBHHII", ico, 6 + 16 * n)
        assert ico[offset : offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + size <= len(ico)
    icns = (ICONS / "app.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack_from(">I", icns, 4)[0] == len(icns)
    assert b"ic08" in icns and b"icp4" in icns


def test_icons_stay_small():
    total = sum(p.stat().st_size for p in ICONS.rglob("*") if p.is_file())
    assert total < 100_000


def test_the_spec_bundles_resources_and_migrations():
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert '(str(ROOT / "resources"), "resources")' in spec
    assert '"persistence" / "migrations"' in spec
    assert 'name="recur"' in spec

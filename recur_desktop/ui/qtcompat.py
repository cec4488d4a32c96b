"""Guard against a reference-count bug of PySide6 6.12.0 on Python 3.11.

That release drops one reference to ``None`` every time Qt calls a Python override or slot that
returns ``None`` (every ``paintEvent``, every slot, every ``data()`` without a value) and one
reference to ``True`` on every ``Signal.emit()``. On Python 3.12+ those objects are immortal and
nothing happens; on 3.11 their count reaches zero after some minutes of use and the interpreter
aborts with "Fatal Python error: none_dealloc" (or bool_dealloc).

:func:`install` measures whether the running PySide6 has the bug and, only then, gives the three
singletons a reference count so large it can never reach zero, which is what Python 3.12 does for
them anyway. A PySide6 without the bug is left untouched. The real fix is a PySide6 release
without the bug; this keeps a window usable all day until then.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import sys

log = logging.getLogger(__name__)

#: Added to the reference count of None, True and False: 2**40 leaked references is more than
#: a window could lose in years of use.
_BALLAST = 1 << 40
_PROBES = 64
_installed = False


def _leaks_on_emit() -> bool:
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    gc.collect()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.ping.emit()
    return before - sys.getrefcount(True) >= _PROBES // 2


def _leaks_on_none_return() -> bool:
    from PySide6.QtCore import QAbstractListModel, QIdentityProxyModel, QModelIndex

    class _Model(QAbstractListModel):
        def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
            return 1

        def data(self, index: QModelIndex, role: int = 0) -> None:
            return None

    model = _Model()
    proxy = QIdentityProxyModel()
    proxy.setSourceModel(model)
    index = proxy.index(0, 0)
    gc.collect()
    before = sys.getrefcount(None)
    for _ in range(_PROBES):
        proxy.data(index, 0)
    return before - sys.getrefcount(None) >= _PROBES // 2


def _add_references(obj: object, count: int) -> None:
    # CPython 3.11: ob_refcnt is the first field of every object, at id(obj).
    cell = ctypes.c_ssize_t.from_address(id(obj))
    cell.value += count


def install() -> bool:
    """Idempotent; True when the bug was found and the guard applied."""
    global _installed
    if _installed or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return _installed
    if not (_leaks_on_emit() or _leaks_on_none_return()):
        return False
    for singleton in (None, True, False):
        _add_references(singleton, _BALLAST)
    _installed = True
    import PySide6

    log.warning(
        "PySide6 %s leaks references to None/True on Python %d.%d; guard applied. "
        "Use another PySide6 release or Python 3.12+.",
        PySide6.__version__,
        *sys.version_info[:2],
    )
    return True

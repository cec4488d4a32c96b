"""No attribute or method of our Qt subclasses shadows a Qt one of their bases.

Every class in ``recur_desktop.ui`` that derives from a Qt class (QObject and its widgets and
models, and QRunnable, which is no QObject) is checked.

``self.result = QLabel()`` on a QDialog hides ``QDialog.result()``; ``self.scroll = ...`` on a
QWidget hides ``QWidget.scroll()``: Qt's own code still calls the C++ method, Python callers get
the attribute, and the type checker sees neither. Reimplementing a Qt *virtual* method (an event
handler, a model's ``data``) is the one intended way to reuse a Qt name, and those names are
listed below.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import textwrap
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QAbstractItemModel, QObject, QRunnable, QSortFilterProxyModel
from PySide6.QtGui import QSyntaxHighlighter, QValidator
from PySide6.QtWidgets import QDialog, QStyledItemDelegate, QWidget
from shiboken6 import Shiboken

import recur_desktop.ui

#: Qt virtual functions, by the Qt class that declares them virtual, that the package may
#: reimplement (Qt calls them). A new name here must be virtual in Qt's documentation for that
#: class, not just a method of the same name (``QObject.parent()`` is not virtual;
#: ``QAbstractItemModel.parent(index)`` is).
QT_VIRTUALS: dict[type, frozenset[str]] = {
    QObject: frozenset({"event", "eventFilter", "timerEvent", "childEvent", "customEvent"}),
    QWidget: frozenset(
        {
            "changeEvent",
            "closeEvent",
            "contextMenuEvent",
            "dragEnterEvent",
            "dragLeaveEvent",
            "dragMoveEvent",
            "dropEvent",
            "enterEvent",
            "focusInEvent",
            "focusOutEvent",
            "hasHeightForWidth",
            "heightForWidth",
            "hideEvent",
            "keyPressEvent",
            "keyReleaseEvent",
            "leaveEvent",
            "minimumSizeHint",
            "mouseDoubleClickEvent",
            "mouseMoveEvent",
            "mousePressEvent",
            "mouseReleaseEvent",
            "moveEvent",
            "paintEvent",
            "resizeEvent",
            "showEvent",
            "sizeHint",
            "wheelEvent",
        }
    ),
    QDialog: frozenset({"accept", "done", "exec", "open", "reject"}),
    QAbstractItemModel: frozenset(
        {
            "canFetchMore",
            "columnCount",
            "data",
            "fetchMore",
            "flags",
            "headerData",
            "index",
            "mimeData",
            "mimeTypes",
            "parent",
            "roleNames",
            "rowCount",
            "setData",
            "sort",
            "supportedDragActions",
            "supportedDropActions",
        }
    ),
    QSortFilterProxyModel: frozenset({"filterAcceptsColumn", "filterAcceptsRow", "lessThan"}),
    QRunnable: frozenset({"run"}),
    QValidator: frozenset({"fixup", "validate"}),
    QStyledItemDelegate: frozenset(
        {
            "createEditor",
            "displayText",
            "initStyleOption",
            "paint",
            "setEditorData",
            "setModelData",
            "sizeHint",
            "updateEditorGeometry",
        }
    ),
    QSyntaxHighlighter: frozenset({"highlightBlock"}),
}


def _is_virtual(cls: type, name: str) -> bool:
    return any(issubclass(cls, qt) and name in names for qt, names in QT_VIRTUALS.items())


#: What PySide6 itself puts on every subclass.
_SET_BY_PYSIDE = frozenset({"staticMetaObject"})


def _ui_modules() -> Iterator[str]:
    yield recur_desktop.ui.__name__
    for info in pkgutil.walk_packages(recur_desktop.ui.__path__, recur_desktop.ui.__name__ + "."):
        yield info.name


def _our_qt_classes() -> list[type]:
    found: dict[str, type] = {}
    for name in _ui_modules():
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Shiboken.Object) and cls.__module__.startswith("recur_desktop."):
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    # Classes defined inside functions are not module members: find them through the
    # subclasses of Qt's classes, once the modules above are imported.
    stack: list[type] = [Shiboken.Object]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("recur_desktop.ui"):
                found.setdefault(f"{sub.__module__}.{sub.__qualname__}", sub)
    return sorted(found.values(), key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _qt_names(cls: type) -> set[str]:
    names: set[str] = set()
    for base in cls.__mro__[1:]:
        if base.__module__.startswith(("PySide6", "shiboken6", "Shiboken")):
            names.update(n for n in dir(base) if not n.startswith("__"))
    names -= set(dir(object))
    return names


def _instance_attributes(cls: type) -> set[str]:
    """Names the class's own methods assign on ``self`` (``self.x = ...``, ``self.x: T = ...``)."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return set()
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        for target in targets:
            for sub in ast.walk(target):
                if (
                    isinstance(sub, ast.Attribute)
                    and isinstance(sub.value, ast.Name)
                    and sub.value.id == "self"
                    and isinstance(sub.ctx, ast.Store)
                ):
                    names.add(sub.attr)
    return names


def shadowing(cls: type) -> list[str]:
    """Every name ``cls`` itself defines or sets on ``self`` that hides a Qt attribute."""
    qt = _qt_names(cls)
    problems = []
    for name, value in vars(cls).items():
        if name.startswith("__") or name not in qt or name in _SET_BY_PYSIDE:
            continue
        function = inspect.isfunction(value) or isinstance(value, staticmethod | classmethod)
        if function and _is_virtual(cls, name):
            continue
        problems.append(f"{cls.__module__}.{cls.__qualname__}.{name}")
    for name in sorted(_instance_attributes(cls) & qt):
        problems.append(f"{cls.__module__}.{cls.__qualname__}.{name} (set on self)")
    return problems


def test_the_check_sees_our_classes_and_a_shadow() -> None:
    classes = _our_qt_classes()
    names = {c.__qualname__ for c in classes}
    assert {"SettingsDialog", "HistoryPane", "MainWindow", "_Task"} <= names

    class Bad(QDialog):
        def __init__(self) -> None:
            super().__init__()
            self.result = 1  # hides QDialog.result()

        def scroll(self) -> None:  # hides QWidget.scroll(), not a virtual
            pass

        def paintEvent(self, event: object) -> None:  # a virtual: fine
            pass

        def parent(self) -> None:  # QObject.parent() is not virtual
            pass

    assert sorted(shadowing(Bad)) == [
        f"{__name__}.{Bad.__qualname__}.parent",
        f"{__name__}.{Bad.__qualname__}.result (set on self)",
        f"{__name__}.{Bad.__qualname__}.scroll",
    ]

    class Good(QWidget):
        def __init__(self) -> None:
            super().__init__()
            self.scroll_area = 1

        def paintEvent(self, event: object) -> None:
            pass

    assert shadowing(Good) == []


@pytest.mark.parametrize("cls", _our_qt_classes(), ids=lambda c: c.__qualname__)
def test_no_attribute_shadows_a_qt_method(cls: type) -> None:
    assert shadowing(cls) == []

"""One table model for every list in the window: rows are records, columns are small specs.

Paging: ``rowCount`` counts the rows that have arrived. ``fetchMore`` never queries; it emits
:attr:`RecordTableModel.more_requested` with the next offset, the owning view-model fetches the
page through the task bridge, and :meth:`append_page` inserts it when it arrives.

Display: every cell's text and tooltip passes through :func:`recur_desktop.text_safety.visible`,
so no table shows a control or bidi character as anything but an escape.

Sorting: a column the source can order by (``server_sorts``) is sorted by the source: the model
emits :attr:`RecordTableModel.server_sort_requested` and the view-model reloads in that order.
Other columns are sorted in memory, and only when every row is loaded: a sort of a partial list
would lie.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from recur_desktop.text_safety import visible, visible_text

T = TypeVar("T")

Index = QModelIndex | QPersistentModelIndex

RecordRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column(Generic[T]):
    title: str
    text: Callable[[T], str]
    sort_key: Callable[[T], Any] | None = None
    align: Qt.AlignmentFlag = LEFT
    tooltip: Callable[[T], str] | None = None
    #: A hint for the view, in average character widths.
    width_chars: int = 12
    #: An icon for the cell (Qt's decoration role), or None.
    decoration: Callable[[T], Any] | None = None


def _shown(value: Any, escape: Callable[[str], str]) -> Any:
    return escape(value) if isinstance(value, str) else value


class RecordTableModel(QAbstractTableModel, Generic[T]):
    #: The view scrolled to the end and more rows exist: fetch from this offset.
    more_requested = Signal(int)
    #: Sorting was asked for while only part of the rows are loaded.
    sort_deferred = Signal(str)
    #: The source should deliver its rows in this order: (sort key, descending).
    server_sort_requested = Signal(str, bool)
    #: The rows should be fetched again from the source (its natural order was asked for).
    reload_requested = Signal()

    def __init__(
        self,
        columns: Sequence[Column[T]],
        parent: Any = None,
        *,
        natural_order: tuple[int, Qt.SortOrder] | None = None,
        server_sorts: dict[int, str] | None = None,
    ) -> None:
        """``natural_order`` is the order the source already delivers (no sorting needed);
        ``server_sorts`` maps the columns the source can order by to its sort keys."""
        super().__init__(parent)
        self._columns = list(columns)
        self._natural = natural_order
        self._server_sorts = dict(server_sorts or {})
        self._rows: list[T] = []
        self._total = 0
        self._requested_offset: int | None = None
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # ------------------------------------------------------------- Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Formats only the cell asked for, and never raises into Qt."""
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        if index.column() >= len(self._columns):
            return None
        record = self._rows[index.row()]
        column = self._columns[index.column()]
        try:
            # Every cell's text is shown through visible(): a file name, candidate or job title
            # with ESC, a newline or a bidi override shows the escape, not its effect.
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return _shown(column.text(record), visible)
            if role == Qt.ItemDataRole.ToolTipRole:
                if column.tooltip is None:
                    return _shown(column.text(record), visible)
                # Tooltips may be several lines; a tooltip that shows a name escapes it itself.
                return _shown(column.tooltip(record), visible_text)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(column.align)
            if role == Qt.ItemDataRole.DecorationRole:
                return column.decoration(record) if column.decoration else None
            if role == RecordRole:
                return record
            if role == SortRole:
                return (column.sort_key or column.text)(record)
        except Exception:  # a formatting bug shows an empty cell, not a crash
            return None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        column = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid() or not self.canFetchMore(parent):
            return
        offset = len(self._rows)
        if self._requested_offset == offset:
            return  # that page is already on its way
        self._requested_offset = offset
        self.more_requested.emit(offset)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column in self._server_sorts:
            self._sort = None  # the source delivers this order; nothing to do here
            self.server_sort_requested.emit(
                self._server_sorts[column], order == Qt.SortOrder.DescendingOrder
            )
            return
        if not 0 <= column < len(self._columns) or (column, order) == self._natural:
            had_sort, self._sort = self._sort, None
            if had_sort is not None:
                self.reload_requested.emit()  # back to the source's own order
            return
        self._sort = (column, order)
        if len(self._rows) < self._total:
            self.sort_deferred.emit(
                f"Sorted by {self._columns[column].title.lower()} once all "
                f"{self._total:,} rows are loaded; search to narrow the list."
            )
            return
        self._apply_sort()

    # ------------------------------------------------------------- view-model API
    @property
    def total(self) -> int:
        """Rows the source holds, loaded or not."""
        return self._total

    @property
    def rows(self) -> list[T]:
        return list(self._rows)

    def record(self, row: int) -> T | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def column_titles(self) -> list[str]:
        return [c.title for c in self._columns]

    def column_width_chars(self, column: int) -> int:
        return self._columns[column].width_chars

    def set_rows(self, rows: Sequence[T], total: int | None = None) -> None:
        """Replace everything (a new search, a refresh): one reset, no flicker of an empty list."""
        self.beginResetModel()
        self._rows = list(rows)
        self._total = max(len(self._rows), total if total is not None else len(self._rows))
        self._requested_offset = None
        if self._sort is not None and len(self._rows) >= self._total:
            self._sort_rows()
        self.endResetModel()

    def append_page(self, offset: int, rows: Sequence[T], total: int | None) -> bool:
        """Insert a page fetched from ``offset``; False (and nothing changes) when it is stale.

        ``total`` None keeps the known total (later keyset pages skip counting)."""
        if offset != len(self._rows) or self._requested_offset != offset:
            return False
        self._requested_offset = None
        if rows:
            first = len(self._rows)
            # ``last`` is inclusive.
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        # A shorter page than asked for means the source shrank meanwhile: stop asking.
        known = self._total if total is None else total
        self._total = len(self._rows) if not rows else max(len(self._rows), known)
        if self._sort is not None and len(self._rows) >= self._total:
            self._apply_sort()
        return True

    def page_failed(self, offset: int) -> None:
        """The page did not arrive; the view may ask again later (Retry or scrolling)."""
        if self._requested_offset == offset:
            self._requested_offset = None

    # ------------------------------------------------------------- sorting
    def _sort_rows(self) -> None:
        assert self._sort is not None
        column, order = self._sort
        spec = self._columns[column]
        key = spec.sort_key or spec.text

        def safe(record: T) -> tuple[int, Any]:
            value = key(record)
            if value is None:
                return (1, 0)  # blanks last either way
            if isinstance(value, str):
                value = value.casefold()
            return (0, value)

        reverse = order == Qt.SortOrder.DescendingOrder
        filled = [r for r in self._rows if safe(r)[0] == 0]
        blank = [r for r in self._rows if safe(r)[0] == 1]
        filled.sort(key=lambda r: safe(r)[1], reverse=reverse)
        self._rows = filled + blank

    def _apply_sort(self) -> None:
        self.layoutAboutToBeChanged.emit()
        before = list(self._rows)
        self._sort_rows()
        position = {id(record): row for row, record in enumerate(self._rows)}
        old = self.persistentIndexList()
        new = [
            self.index(position[id(before[index.row()])], index.column())
            if index.row() < len(before)
            else QModelIndex()
            for index in old
        ]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()


# ------------------------------------------------------------------ formatting helpers
def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def local_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def score_text(score: float | None) -> str:
    return "" if score is None else f"{score:.0f}"

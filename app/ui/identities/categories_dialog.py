"""«دسته‌بندی‌ها»: the administrator edits the tree identities are filed in (add, rename, move, delete)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.errors import show_error
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services


class CategoriesDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self.setWindowTitle("دسته‌بندی هویت‌ها")
        self.tree = QTreeWidget()
        self.tree.setObjectName("categoriesTree")
        self.tree.setHeaderHidden(True)
        self.add_button = QPushButton("+ دسته‌بندی")
        self.add_child_button = QPushButton("+ زیرمجموعه")
        self.edit_button = QPushButton("ویرایش…")
        self.delete_button = QPushButton("حذف")
        self.add_button.clicked.connect(lambda: self._add(None))
        self.add_child_button.clicked.connect(lambda: self._add(self._current()))
        self.edit_button.clicked.connect(self._edit)
        self.delete_button.clicked.connect(self._delete)
        row = QHBoxLayout()
        for button in (self.add_button, self.add_child_button, self.edit_button, self.delete_button):
            row.addWidget(button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.resize(420, 420)
        self.reload()

    def reload(self) -> None:
        self.tree.clear()
        self.nodes = self._services.categories.tree(self._actor)
        items: dict = {}
        for node in self.nodes:
            parent = items.get(node.parent_id)
            item = QTreeWidgetItem([node.name])
            item.setData(0, Qt.ItemDataRole.UserRole, str(node.id))
            (parent.addChild(item) if parent else self.tree.addTopLevelItem(item))
            items[node.id] = item
        self.tree.expandAll()

    def _current(self) -> uuid.UUID | None:
        item = self.tree.currentItem()
        return uuid.UUID(item.data(0, Qt.ItemDataRole.UserRole)) if item else None

    def _add(self, parent_id: uuid.UUID | None) -> None:
        name, ok = QInputDialog.getText(self, "دسته‌بندی جدید", "نام:")
        if ok:
            self._save(name, parent_id, None)

    def _edit(self) -> None:
        current = self._current()
        node = next((n for n in self.nodes if n.id == current), None)
        if node is None:
            return
        dialog = QDialog(self)
        dialog.setWindowTitle("ویرایش دسته‌بندی")
        name = QLineEdit(node.name)
        parent = QComboBox()
        parent.addItem("— (بالاترین سطح)", None)
        for other in self.nodes:
            if other.id != node.id:
                parent.addItem("    " * other.depth + other.name, str(other.id))
        parent.setCurrentIndex(max(parent.findData(str(node.parent_id)) if node.parent_id else 0, 0))
        form = QFormLayout(dialog)
        form.addRow("نام", name)
        form.addRow("زیرمجموعه", parent)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)
        if dialog.exec():
            chosen = parent.currentData()
            self._save(name.text(), uuid.UUID(chosen) if chosen else None, node.id)

    def _save(self, name: str, parent_id, category_id) -> None:
        saving = op(self, lambda: self._services.categories.save(self._actor, name, parent_id, category_id))
        saving.validation(lambda errors: show_error(self, "؛ ".join(errors.values()))).run()
        if saving.succeeded:
            self.reload()

    def _delete(self) -> None:
        current = self._current()
        if current is None:
            return
        deleting = op(self, lambda: self._services.categories.delete(self._actor, current))
        deleting.run()
        if deleting.succeeded:
            self.reload()

"""Qt's `clicked(bool)`, `triggered(bool)` and `toggled(bool)` pass the checked state to their slot:
a slot whose first parameter is optional and not a bool receives False there (the note that never
asked for its text, the merge that failed on `False.hex`). An AST scan of app/ui finds such
connections, including the (text, slot) pairs given to `buttons_row`, which connects `clicked`; a
lambda, a slot without parameters or one taking a bool is fine."""

from __future__ import annotations

import ast
from pathlib import Path

import app.ui

SIGNALS = {"clicked", "triggered", "toggled"}
CLICKED_PAIRS = {"buttons_row"}  # helpers connecting `clicked` of a button per (text, slot) pair
UI_ROOT = Path(app.ui.__file__).parent


def _first_parameter_is_a_trap(fn: ast.FunctionDef, is_method: bool) -> bool:
    args = fn.args
    positional = [*args.posonlyargs, *args.args][1 if is_method else 0 :]
    if not positional:
        return False
    defaults_from = len(positional) - len(args.defaults)
    first = positional[0]
    has_default = defaults_from <= 0
    is_bool = isinstance(first.annotation, ast.Name) and first.annotation.id == "bool"
    return has_default and not is_bool


class _Scanner(ast.NodeVisitor):
    def __init__(self, tree: ast.Module, filename: str) -> None:
        self.filename = filename
        self.classes = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}
        self.functions: dict[str, ast.FunctionDef] = {}  # module-level and nested defs, by name
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.FunctionDef) and not isinstance(node, ast.ClassDef):
                    self.functions.setdefault(child.name, child)
        self.class_stack: list[ast.ClassDef] = []
        self.problems: list[str] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.class_stack.append(node)
        self.generic_visit(node)
        self.class_stack.pop()

    def _method(self, cls: ast.ClassDef | None, name: str, seen: frozenset = frozenset()) -> ast.FunctionDef | None:
        """`name` defined in `cls` or in one of its bases from the same module."""
        if cls is None or cls.name in seen:
            return None
        for item in cls.body:
            if isinstance(item, ast.FunctionDef) and item.name == name:
                return item
        for base in cls.bases:
            if isinstance(base, ast.Name):
                found = self._method(self.classes.get(base.id), name, seen | {cls.name})
                if found is not None:
                    return found
        return None

    def visit_Call(self, node: ast.Call) -> None:
        self.generic_visit(node)
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name in CLICKED_PAIRS:
            for pair in node.args:
                if isinstance(pair, ast.Tuple) and len(pair.elts) == 2:
                    self._check(pair.elts[1], "clicked", node.lineno)
        elif name == "connect" and isinstance(func.value, ast.Attribute) and func.value.attr in SIGNALS and node.args:
            self._check(node.args[0], func.value.attr, node.lineno)

    def _check(self, target: ast.expr, signal: str, lineno: int) -> None:
        slot, is_method = None, False
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
            slot, is_method = self._method(self.class_stack[-1] if self.class_stack else None, target.attr), True
        elif isinstance(target, ast.Name):
            slot = self.functions.get(target.id)
        if slot is not None and _first_parameter_is_a_trap(slot, is_method):
            self.problems.append(f"{self.filename}:{lineno} {signal} → {slot.name}")


def trapped_connections(source: str, filename: str = "<sample>") -> list[str]:
    tree = ast.parse(source, filename)
    scanner = _Scanner(tree, filename)
    scanner.visit(tree)
    return scanner.problems


SAMPLE = """
from PySide6.QtWidgets import QPushButton, QWidget

def ask(text: str | None = None) -> None: ...

class Base(QWidget):
    def merge_other(self, merged_id=None) -> bool: ...

class Panel(Base):
    def __init__(self) -> None:
        self.note_button.clicked.connect(self.add_note)
        self.merge_button.clicked.connect(self.merge_other)
        save.triggered.connect(self.save_favourite)
        self.other.toggled.connect(ask)
        self.fine_1.clicked.connect(self.plan)
        self.fine_2.toggled.connect(self.set_following)
        self.fine_3.clicked.connect(lambda: self.add_note())
        self.fine_4.clicked.connect(self.with_required)
        self.fine_5.textChanged.connect(self.add_note)
        buttons_row(("ورود از اکسل…", self.import_file), ("ویرایش…", self.plan), ("حذف", lambda: self.plan()))

    def add_note(self, text: str | None = None) -> bool: ...
    def save_favourite(self, name: str | None = None) -> None: ...
    def plan(self) -> None: ...
    def import_file(self, path: str | None = None) -> None: ...
    def set_following(self, checked: bool = False) -> None: ...
    def with_required(self, checked, extra=None) -> None: ...
"""


def test_the_scan_finds_the_three_broken_shapes_and_nothing_else() -> None:
    found = trapped_connections(SAMPLE)
    assert [p.split(" ", 1)[1] for p in found] == [
        "clicked → add_note",
        "clicked → merge_other",
        "triggered → save_favourite",
        "toggled → ask",
        "clicked → import_file",
    ]


def test_no_button_or_action_in_the_ui_passes_its_checked_state_into_an_optional_parameter() -> None:
    problems = []
    for path in sorted(UI_ROOT.rglob("*.py")):
        problems += trapped_connections(path.read_text(encoding="utf-8"), str(path.relative_to(UI_ROOT)))
    assert problems == []

"""A guard against PySide6 6.12.0's signal bug on CPython 3.11.

In PySide6 6.12.0 every `signal.emit(...)` made from Python (ours and Qt's own, like `clicked.emit()`)
returns `True` without taking a reference to it, so each emit takes one reference from `True` away. On
CPython 3.11 `True` is an ordinary object: after some tens of thousands of emits (a long working day)
its count reaches zero and the interpreter aborts with "Fatal Python error: bool_dealloc", at exit or in
the middle of work. CPython 3.12 made True and False immortal, which is what this guard does on 3.11:
it gives them a reference count no program can use up. Nothing else changes.
"""

from __future__ import annotations

import ctypes
import sys

# Far beyond any number of emits, and far below the 64-bit limit.
_RESERVE = 1 << 48
_given = False


def make_bools_immortal() -> bool:
    """Adds the reserve to True's and False's counts once; says whether it did (only before 3.12)."""
    global _given
    if sys.version_info >= (3, 12) or _given:
        return False
    for value in (True, False):
        # ob_refcnt is the first field of every CPython object.
        ctypes.c_ssize_t.from_address(id(value)).value += _RESERVE
    _given = True
    return True

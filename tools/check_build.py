"""Builds the shipped program from build.spec and starts it, so that a module, font or migration file
missing from the bundle fails CI rather than a customer's first start (.ci/run calls it last).

    .venv/bin/python tools/check_build.py   (needs the [build] extra: PyInstaller)

The built program makes a small demo database itself (migrations and the demo data from the bundle), then saves
a screenshot of its main window. The same window from the source tree, on the same database, is the
reference: a picture of the same size with nearly every pixel equal means the bundle drew the same
Persian text, icons and lists. The built program's log must hold no warning (a font or Qt's Persian
translations not found). The pictures stay in test-output/build/ to be looked at.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "test-output" / "build"
BUILT = ROOT / "dist" / "Peyvand" / ("Peyvand.exe" if os.name == "nt" else "Peyvand")
RUN_TIMEOUT = 120  # seconds; a modal error dialog offscreen would otherwise wait for ever
MIN_COLOURS = 200  # a blank or single-colour window has a handful; anti-aliased text has hundreds
MAX_CHANGED = 0.05  # share of pixels allowed to differ from the reference: a cursor or a clock may move between
# the two pictures (a due time passing); a missing font or translation changes far more (39% measured)


class BuildCheckFailed(Exception):
    pass


def run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        raise BuildCheckFailed(f"{what}: no exit after {RUN_TIMEOUT} s (a dialog waiting offscreen?)") from exc
    if done.returncode != 0:
        raise BuildCheckFailed(f"{what}: exit code {done.returncode}\n{done.stdout}\n{done.stderr}")


def build() -> float:
    started = time.monotonic()
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "build.spec"]
    done = subprocess.run(command, cwd=ROOT)
    if done.returncode != 0 or not BUILT.is_file():
        raise BuildCheckFailed(f"PyInstaller failed (exit code {done.returncode})")
    return time.monotonic() - started


def program_env(home: Path) -> dict[str, str]:
    """A fresh home per start: no saved window layout or user data of this machine changes the picture."""
    return {**os.environ, "PEYVAND_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}


def pixels(path: Path):
    """(width, height, one 32-bit value per pixel) of a PNG, read with Qt."""
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    if image.isNull():
        raise BuildCheckFailed(f"{path}: not a readable picture")
    image = image.convertToFormat(QImage.Format.Format_RGB32)  # 4 bytes a pixel: rows have no padding
    data = bytes(image.constBits())  # a copy: the image's own buffer goes with the image
    return image.width(), image.height(), memoryview(data).cast("I")


def compare(built: Path, reference: Path) -> str:
    width, height, shot = pixels(built)
    ref_width, ref_height, ref = pixels(reference)
    if (width, height) != (ref_width, ref_height):
        raise BuildCheckFailed(f"built window is {width}×{height}, the source's {ref_width}×{ref_height}")
    colours = len(set(shot))
    if colours < MIN_COLOURS:
        raise BuildCheckFailed(f"built window looks blank: {colours} colours")
    changed = sum(1 for a, b in zip(shot, ref, strict=True) if a != b) / len(shot)
    if changed > MAX_CHANGED:
        raise BuildCheckFailed(
            f"built window differs from the source's in {changed:.1%} of its pixels (a font, icon or "
            f"translation missing from the bundle?): compare {built} with {reference}"
        )
    return f"{width}×{height}, {colours} colours, {changed:.3%} of pixels differ from the source's"


def log_warnings(home: Path) -> list[str]:
    log = home / "logs" / "peyvand.log"
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return [line for line in lines if " WARNING " in line or " ERROR " in line or "Traceback" in line]


def check(work: Path) -> str:
    seconds = build()
    database = f"sqlite:///{(work / 'demo.db').as_posix()}"
    built_home, source_home = work / "built-home", work / "source-home"
    OUTPUT.mkdir(parents=True, exist_ok=True)
    built_png, source_png = OUTPUT / "built.png", OUTPUT / "source.png"
    for stale in (built_png, source_png):
        stale.unlink(missing_ok=True)
    demo = [str(BUILT), "demo", "--db", database, "--identities", "50", "--opportunities", "10"]
    run(demo, program_env(built_home), "built program's demo command")
    run([str(BUILT), "--db", database, "--screenshot", str(built_png)], program_env(built_home), "built program")
    source = [sys.executable, "-m", "app", "--db", database, "--screenshot", str(source_png)]
    run(source, program_env(source_home), "program from the source tree")
    warnings = log_warnings(built_home)
    if warnings:
        raise BuildCheckFailed("built program's log:\n" + "\n".join(warnings))
    return f"built in {seconds:.0f} s; screenshot {built_png.relative_to(ROOT)}: {compare(built_png, source_png)}"


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="peyvand-build-") as work:
        try:
            print(f"check_build: {check(Path(work))}")
        except BuildCheckFailed as exc:
            print(f"check_build FAILED: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

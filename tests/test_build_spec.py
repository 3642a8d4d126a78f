"""build.spec names what PyInstaller's analysis cannot see: the areas the window imports by module name
and the files read from disk (Alembic's migration scripts, fonts). Checked here in a second, without
building; tools/check_build.py builds and starts the program in CI."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path, PurePosixPath

from app.ui.areas import AREAS

ROOT = Path(__file__).resolve().parent.parent


class _Analysis:
    """Stands in for PyInstaller's Analysis: keeps what the spec asked for."""

    def __init__(self, scripts, **options):
        self.scripts, self.options = scripts, options
        self.pure = self.binaries = self.datas = ()


def _spec() -> _Analysis:
    names = {"SPECPATH": str(ROOT), "Analysis": _Analysis}
    names |= dict.fromkeys(("PYZ", "EXE", "COLLECT"), lambda *args, **kwargs: None)
    exec(compile((ROOT / "build.spec").read_text(encoding="utf-8"), "build.spec", "exec"), names)
    return names["a"]


def _bundled_files(datas) -> set[PurePosixPath]:
    """Where the spec's data files land in the bundle, as PyInstaller places them (a folder keeps its tree)."""
    files = set()
    for source, dest in datas:
        for match in ROOT.glob(source):
            if match.is_dir():
                files |= {PurePosixPath(dest, f.relative_to(match).as_posix()) for f in match.rglob("*") if f.is_file()}
            else:
                files.add(PurePosixPath(dest, match.name))
    return files


def _sources(folder: str) -> set[PurePosixPath]:
    tree = ROOT / folder
    return {
        PurePosixPath(p.relative_to(ROOT).as_posix())
        for p in tree.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_every_area_is_a_hidden_import():
    hidden = set(_spec().options["hiddenimports"])
    area_files = {".".join(p.relative_to(ROOT).with_suffix("").parts) for p in (ROOT / "app" / "ui").glob("*/area.py")}
    assert area_files, "no area modules found"
    assert set(AREAS) <= area_files  # the window's list names real files
    assert area_files - hidden == set()


def test_every_app_module_is_a_hidden_import():
    """Modules imported only by name (importlib) or only by migration scripts are found too."""
    hidden = set(_spec().options["hiddenimports"])
    modules = {".".join(p.relative_to(ROOT).with_suffix("").parts) for p in (ROOT / "app").rglob("*.py")}
    modules = {m.removesuffix(".__init__") for m in modules if ".versions." not in m}  # scripts, not modules
    assert modules - hidden == set()


def test_migrations_and_resources_travel_as_files():
    """Alembic reads app/migrations from disk and resources_dir() looks in the bundle's resources/."""
    bundled = _bundled_files(_spec().options["datas"])
    migrations = {p for p in _sources("app/migrations") if p.suffix == ".py"}
    assert PurePosixPath("app/migrations/versions/0001_initial_schema.py") in migrations
    assert migrations - bundled == set()
    resources = _sources("resources")
    assert PurePosixPath("resources/fonts/Vazirmatn-Regular.ttf") in resources
    assert resources - bundled == set()


def test_the_installer_ships_the_built_folder_at_the_projects_version():
    iss = (ROOT / "installer" / "peyvand.iss").read_bytes()
    assert iss.startswith(b"\xef\xbb\xbf")  # Inno Setup reads a script without the UTF-8 mark as ANSI
    text = iss.decode("utf-8-sig")
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert re.search(rf'^#define AppVersion "{re.escape(version)}"$', text, re.MULTILINE)
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert 'name="Peyvand"' in spec and r"..\dist\Peyvand\*" in text and '#define AppExe "Peyvand.exe"' in text

"""Development only, until the first release: rebuild the single initial migration from the models.

    python tools/regenerate_schema.py

Deletes app/migrations/versions/0001_initial_schema.py, autogenerates it again against an empty
database and adds the raw DDL (app/migrations/raw_ddl.py). Once a release has shipped, schema
changes get new revisions instead (then this script must not be used).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.services.core.database import Database  # noqa: E402
from app.services.core.migrations import MIGRATIONS_DIR, make_revision  # noqa: E402

TARGET = MIGRATIONS_DIR / "versions" / "0001_initial_schema.py"
END = "    # ### end Alembic commands ###"


def main() -> None:
    TARGET.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{(Path(tmp) / 'empty.db').as_posix()}")
        make_revision(db, "initial schema", "0001")
        db.dispose()
    text = TARGET.read_text(encoding="utf-8")
    upgrade, downgrade = text.split("def downgrade() -> None:\n", 1)
    raw = (
        "\n    raw_ddl.create_deferred_foreign_keys(op)\n    raw_ddl.create_identity_search(op)"
        "\n    raw_ddl.notify_changes(op)"
    )
    upgrade = upgrade.replace(END, END + raw, 1)
    downgrade = (
        "def downgrade() -> None:\n    raw_ddl.drop_identity_search(op)\n    raw_ddl.drop_deferred_foreign_keys(op)\n"
        + downgrade
    )
    header = "import app.models.base\n"
    text = (upgrade + downgrade).replace(header, header + "from app.migrations import raw_ddl\n", 1)
    TARGET.write_text(text, encoding="utf-8")
    print(f"regenerated {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

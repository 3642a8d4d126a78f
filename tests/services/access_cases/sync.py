"""Access cases of offline sync: a rep's conflicts are their records; devices are the administrator's;
a laptop's own sync acts as its user at the office (there, their access applies)."""

from __future__ import annotations

import secrets

from app.models import Identity, IdentityKind, SyncConflict, SyncDevice, new_id
from app.persian import search_key
from app.services.core.actor import SYSTEM


def extend(world) -> None:
    """rep_b's conflicts of every kind a person resolves (the duplicate's other identity the office's, so that
    each rep still owns one identity) and their laptop."""
    rep_b, records = world.rep_b, world.records
    identity_b = str(records["identity_b"])
    with world.services.db.write(SYSTEM) as s:
        twin = Identity(
            kind=IdentityKind.PERSON,
            display_name="همنام دوم",
            name_key=search_key("همنام دوم"),
            owner_id=world.admin.user_id,
        )
        s.add(twin)
        s.flush()
        common = {"user_id": rep_b.user_id, "table_name": "identities", "row_id": identity_b, "status": "open"}
        made = {
            "conflict_b": SyncConflict(
                kind="update_update", field="website", server_value="office.ir", device_value="laptop.ir", **common
            ),
            "conflict_deleted_b": SyncConflict(kind="delete_update", device_value={"website": "laptop.ir"}, **common),
            "conflict_rejected_b": SyncConflict(kind="rejected", device_value={"entries": []}, **common),
            "conflict_duplicate_b": SyncConflict(kind="duplicate", other_row_id=str(twin.id), **common),
        }
        device = SyncDevice(id=new_id(), user_id=rep_b.user_id, name="لپ‌تاپ b", code="LB", secret=secrets.token_hex(32))
        s.add_all([*made.values(), device])
        s.flush()
        records |= {key: row.id for key, row in made.items()} | {"device_b": device.id}


def _conflicts(w, a) -> set:
    return {c.id for c in w.services.conflicts.list(a, include_settled=True)}


CASES = {
    "conflicts.list": lambda w, a: w.records["conflict_b"] in _conflicts(w, a),
    "conflicts.count_open": lambda w, a: w.services.conflicts.count_open(a) > 0,
    "conflicts.keep_server": lambda w, a: w.services.conflicts.keep_server(a, w.records["conflict_b"]) is not None,
    "conflicts.keep_device": lambda w, a: w.services.conflicts.keep_device(a, w.records["conflict_b"]) is not None,
    "conflicts.merge": lambda w, a: w.services.conflicts.merge(a, w.records["conflict_b"], "both.ir") is not None,
    "conflicts.restore": lambda w, a: w.services.conflicts.restore(a, w.records["conflict_deleted_b"]) is not None,
    "conflicts.discard": lambda w, a: w.services.conflicts.discard(a, w.records["conflict_rejected_b"]) is not None,
    "conflicts.merge_duplicate": lambda w, a: (
        w.services.conflicts.merge_duplicate(a, w.records["conflict_duplicate_b"], str(w.records["identity_b"]))
        is not None
    ),
    "devices.list": lambda w, a: w.records["device_b"] in {d.id for d in w.services.devices.list(a)},
    "devices.register": lambda w, a: w.services.devices.register(a, w.rep_b.user_id, "لپ‌تاپ دوم") is not None,
    "devices.rename": lambda w, a: w.services.devices.rename(a, w.records["device_b"], "لپ‌تاپ") is not None,
    "devices.revoke": lambda w, a: w.services.devices.revoke(a, w.records["device_b"]) is not None,
}
# The laptop's own state and sync: the same for whoever is logged in on it (at the office the user's
# own access decides, tests/sync); on an office database they have nothing to show.
NOT_RECORD_SCOPED = {"conflicts.on_laptop", "sync.status", "sync.sync", "sync.push_pending"}
ADMIN_ONLY = {"devices.list", "devices.register", "devices.rename", "devices.revoke"}

"""`python -m app sync devices|register|rename|revoke|export|import|prune`: offline sync's laptops, managed on the
office server, and the sync files a laptop without the office's network carries (app.services.sync.bundle).

The commands run as the system (whoever may run them reaches the database as its owner). `register`
writes the laptop's registration file (`.peyvand-device`): it holds the device's secret, so it is made
readable by its owner alone and never written over an existing file.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app.commands.common import emit, open_services


def register(sub, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("sync", parents=[common], help="همگام‌سازی لپ‌تاپ‌ها با سرور دفتر")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("devices", parents=[common], help="فهرست دستگاه‌های ثبت‌شده")
    listing.set_defaults(func=run)
    adding = actions.add_parser("register", parents=[common], help="ثبت لپ‌تاپ تازه برای یک کاربر")
    adding.add_argument("--user", required=True, metavar="LOGIN", help="نام کاربری صاحب لپ‌تاپ")
    adding.add_argument("--name", required=True, help="نام دستگاه، مثلاً «لپ‌تاپ سارا»")
    adding.add_argument("--out", required=True, type=Path, metavar="FILE", help="فایل ثبت دستگاه (.peyvand-device)")
    adding.set_defaults(func=run)
    renaming = actions.add_parser("rename", parents=[common], help="تغییر نام دستگاه")
    renaming.add_argument("code", metavar="DEVICE_CODE", help="کد دستگاه، مثلاً L1")
    renaming.add_argument("name", help="نام تازه")
    renaming.set_defaults(func=run)
    revoking = actions.add_parser("revoke", parents=[common], help="باطل کردن دستگاه (دیگر همگام نمی‌شود)")
    revoking.add_argument("code", metavar="DEVICE_CODE", help="کد دستگاه، مثلاً L1")
    revoking.set_defaults(func=run)
    exporting = actions.add_parser("export", parents=[common], help="ساختن فایل همگام‌سازی این لپ‌تاپ برای دفتر")
    exporting.add_argument("--out", required=True, type=Path, metavar="FILE", help="فایل همگام‌سازی")
    exporting.set_defaults(func=run)
    importing = actions.add_parser(
        "import", parents=[common], help="خواندن فایل همگام‌سازی: در دفتر فایل لپ‌تاپ، روی لپ‌تاپ فایل بازگشتی دفتر"
    )
    importing.add_argument("file", type=Path, metavar="FILE", help="فایل همگام‌سازی")
    importing.add_argument("--out", type=Path, metavar="FILE", help="در دفتر: فایل بازگشتی برای لپ‌تاپ (الزامی)")
    importing.set_defaults(func=run)
    pruning = actions.add_parser(
        "prune", parents=[common], help="پاک کردن تغییرهای کهنهٔ دفتر که هیچ لپ‌تاپ فعالی لازم ندارد"
    )
    pruning.add_argument("--days", type=int, default=90, help="نگه‌داشتن تغییرهای این چند روز اخیر (پیش‌فرض ۹۰)")
    pruning.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Runs the action; a refusal prints its Persian message(s) on stderr and gives exit code 1."""
    from app.services.core.errors import ServiceError, ValidationFailed

    actions = {
        "devices": _devices,
        "register": _register,
        "rename": _rename,
        "revoke": _revoke,
        "export": _export,
        "import": _import,
        "prune": _prune,
    }
    try:
        actions[args.action](args)
    except ValidationFailed as exc:
        print("\n".join(exc.errors.values()), file=sys.stderr)
        return 1
    except ServiceError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    return 0


def _services(args: argparse.Namespace):
    from app.services.core import migrations

    services = open_services(args)
    migrations.upgrade(services.db)
    return services


def _devices(args: argparse.Namespace) -> None:
    from app.persian import format_datetime
    from app.services.core.actor import SYSTEM

    rows = _services(args).devices.list(SYSTEM)
    payload = [
        {
            "code": d.code,
            "name": d.name,
            "user": d.user_name,
            "id": str(d.id),
            "registered_at": d.registered_at,
            "revoked_at": d.revoked_at,
            "last_seen_at": d.last_seen_at,
            "last_batch_no": d.last_batch_no,
        }
        for d in rows
    ]
    lines = [
        f"{d.code}\t{d.name}\t{d.user_name}\t{format_datetime(d.registered_at)}\t"
        f"{'باطل‌شده' if d.revoked_at else 'فعال'}\t"
        f"{format_datetime(d.last_seen_at) if d.last_seen_at else 'هنوز همگام نشده'}"
        for d in rows
    ]
    emit(args, payload, "\n".join(lines) or "هیچ دستگاهی ثبت نشده است.")


def _register(args: argparse.Namespace) -> None:
    from app.services.core.actor import SYSTEM
    from app.services.core.errors import ServiceError
    from app.services.sync.devices import SUFFIX

    out: Path = args.out if args.out.name.endswith(SUFFIX) else args.out.with_name(args.out.name + SUFFIX)
    if out.exists():
        raise ServiceError(f"فایل «{out}» از پیش وجود دارد؛ نام دیگری برگزینید.")
    if not out.parent.is_dir():
        raise ServiceError(f"پوشه «{out.parent}» وجود ندارد.")
    services = _services(args)
    user = services.users.get_by_login(SYSTEM, args.user)
    registration = services.devices.register(SYSTEM, user.id, args.name)
    # Created readable by its owner alone: the file carries the device's secret.
    with os.fdopen(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="utf-8") as file:
        file.write(registration.to_json())
    emit(
        args,
        {"code": registration.device_code, "id": str(registration.device_id), "file": str(out)},
        f"دستگاه «{registration.device_name}» با کد {registration.device_code} برای «{user.login}» ثبت شد؛"
        f" فایل ثبت: {out}",
    )


def _device(services, code: str):
    from app.services.core.actor import SYSTEM
    from app.services.core.errors import NotFound

    for device in services.devices.list(SYSTEM):
        if device.code.upper() == code.strip().upper():
            return device
    raise NotFound(f"دستگاه با کد «{code}»")


def _rename(args: argparse.Namespace) -> None:
    from app.services.core.actor import SYSTEM

    services = _services(args)
    device = _device(services, args.code)
    services.devices.rename(SYSTEM, device.id, args.name)
    emit(args, {"code": device.code, "name": args.name}, f"نام دستگاه {device.code} تغییر کرد.")


def _revoke(args: argparse.Namespace) -> None:
    from app.services.core.actor import SYSTEM

    services = _services(args)
    device = _device(services, args.code)
    services.devices.revoke(SYSTEM, device.id)
    emit(args, {"code": device.code}, f"دستگاه {device.code} («{device.name}») باطل شد و دیگر همگام نمی‌شود.")


def _new_file(path: Path) -> None:
    from app.services.core.errors import ServiceError

    if path.exists():
        raise ServiceError(f"فایل «{path}» از پیش وجود دارد؛ نام دیگری برگزینید.")
    if not path.parent.is_dir():
        raise ServiceError(f"پوشه «{path.parent}» وجود ندارد.")


def _export(args: argparse.Namespace) -> None:
    """On a laptop copy, not migrated first: a laptop sends its outbox before its schema moves."""
    from app.persian import format_number as n
    from app.services.core.actor import SYSTEM
    from app.services.sync import bundle

    _new_file(args.out)
    count = bundle.export_bundle(open_services(args).db, SYSTEM, args.out)
    emit(args, {"batches": count, "file": str(args.out)}, f"فایل همگام‌سازی با {n(count)} تغییر ساخته شد: {args.out}")


def _import(args: argparse.Namespace) -> None:
    """The file's kind says where it is read: a laptop's file at the office, the office's return file on the laptop."""
    from app.persian import format_number as n
    from app.services.core.actor import SYSTEM
    from app.services.core.errors import ServiceError
    from app.services.sync import bundle
    from app.services.sync.bundle_file import read_header

    if read_header(args.file)["kind"] == "return":
        report = bundle.import_return(open_services(args).db, SYSTEM, args.file)
        payload = {"acknowledged": report.pushed, "rows": report.pulled, "conflicts": report.conflicts}
        text = f"فایل بازگشتی خوانده شد: {n(report.pushed)} تغییر تأیید شد، {n(report.pulled)} ردیف از دفتر رسید"
        emit(args, payload, text + (f"، {n(report.conflicts)} تعارض." if report.conflicts else "."))
        return
    if args.out is None:
        raise ServiceError("جای فایل بازگشتی را با --out بدهید.")
    _new_file(args.out)
    report = bundle.import_bundle(_services(args).db, SYSTEM, args.file, args.out)
    payload = {
        "device": report.device_name,
        "user": report.user_name,
        "applied": report.applied,
        "repeated": report.repeated,
        "rejected": report.rejected,
        "conflicts": report.conflicts,
        "rows": report.rows,
        "file": str(args.out),
    }
    text = (
        f"فایل «{report.device_name}» ({report.user_name}) خوانده شد: {n(report.applied)} تغییر ثبت شد، "
        f"{n(report.repeated)} پیش‌تر رسیده بود، {n(report.rejected)} پذیرفته نشد، {n(report.conflicts)} تعارض. "
        f"فایل بازگشتی: {args.out}"
    )
    emit(args, payload, text)


def _prune(args: argparse.Namespace) -> None:
    from app.persian import format_number
    from app.services.core.errors import ValidationFailed
    from app.services.sync import retention

    if args.days < 1:
        raise ValidationFailed({"days": "مدت نگه‌داری دست‌کم یک روز است."})
    report = retention.prune(_services(args).db, args.days)
    payload = {"deleted": report.deleted, "retention_seq": report.retention_seq}
    emit(args, payload, f"{format_number(report.deleted)} تغییر کهنه پاک شد.")

"""The sync file a laptop without the LAN carries to the office and back (shared/design/sync.md §2.5).

Layout: magic, 4-byte big-endian header length, header (UTF-8 JSON), 12-byte nonce, ciphertext, 32-byte MAC.
The header stays readable without the key (the office finds the device by it) but is authenticated: it is
the AES-GCM associated data and is covered by the MAC. The payload is JSON, zlib-compressed, then
AES-256-GCM encrypted. Both keys come from the device secret by HKDF-SHA256 with distinct infos, so the
MAC key never doubles as the cipher key. The MAC covers every byte before it, so a changed byte anywhere is
caught before decryption is even tried.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import struct
import tempfile
import zlib
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.services.core.errors import ServiceError

FORMAT = "peyvand-sync/1"
KINDS = ("outbound", "return")
MAGIC = b"PVSYNC1\n"
_LENGTH = struct.Struct(">I")
NONCE_SIZE = 12
MAC_SIZE = 32
# A header is a few hundred bytes; a bigger length means a damaged file, not a reason to read gigabytes.
MAX_HEADER = 1 << 20

NOT_A_BUNDLE = "این فایل، فایل همگام‌سازی پیوند نیست."
DAMAGED = (
    "فایل همگام‌سازی آسیب دیده یا دست‌کاری شده است، یا برای این دستگاه ساخته نشده است. فایل را دوباره از مبدأ بگیرید."
)
UNKNOWN_FORMAT = "قالب این فایل همگام‌سازی شناخته نیست؛ ممکن است با نسخهٔ دیگری از برنامه ساخته شده باشد."


def _key(secret: str, info: bytes) -> bytes:
    try:
        material = bytes.fromhex(secret)
    except (TypeError, ValueError):
        material = b""
    if len(material) != 32:
        raise ValueError("a device secret is 32 bytes in hex")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(material)


def _cipher_key(secret: str) -> bytes:
    return _key(secret, b"peyvand bundle")


def _sign_key(secret: str) -> bytes:
    return _key(secret, b"peyvand sign")


def _encode_header(header: dict) -> bytes:
    return json.dumps(header, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def write_bundle(path, header: dict, payload: dict, secret: str) -> None:
    """Writes the bundle atomically (a reader never sees half a file); `format` is stamped here."""
    header = {**header, "format": FORMAT}
    if header.get("kind") not in KINDS:
        raise ValueError(f"bundle kind must be one of {KINDS}")
    head = _encode_header(header)
    if len(head) > MAX_HEADER:
        raise ValueError("bundle header too large")
    body = zlib.compress(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())
    nonce = os.urandom(NONCE_SIZE)
    ciphertext = AESGCM(_cipher_key(secret)).encrypt(nonce, body, head)
    signed = MAGIC + _LENGTH.pack(len(head)) + head + nonce + ciphertext
    mac = hmac.new(_sign_key(secret), signed, hashlib.sha256).digest()
    _write_atomic(Path(path), signed + mac)


def _write_atomic(path: Path, data: bytes) -> None:
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _split(data: bytes) -> tuple[dict, bytes, int]:
    """(header, its raw bytes, offset just after it); refuses what is not a readable bundle header."""
    if not data.startswith(MAGIC):
        raise ServiceError(NOT_A_BUNDLE)
    start = len(MAGIC) + _LENGTH.size
    if len(data) < start:
        raise ServiceError(DAMAGED)
    (length,) = _LENGTH.unpack_from(data, len(MAGIC))
    end = start + length
    if length > MAX_HEADER or len(data) < end:
        raise ServiceError(DAMAGED)
    head = data[start:end]
    try:
        header = json.loads(head.decode())
    except (UnicodeDecodeError, ValueError):
        raise ServiceError(DAMAGED) from None
    if not isinstance(header, dict):
        raise ServiceError(DAMAGED)
    if header.get("format") != FORMAT or header.get("kind") not in KINDS:
        raise ServiceError(UNKNOWN_FORMAT)
    return header, head, end


def _read(path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise ServiceError(f"فایل همگام‌سازی خوانده نشد: {exc.strerror or exc}") from None


def read_header(path) -> dict:
    """The header, without the key: unauthenticated until read_bundle checks the MAC."""
    path = Path(path)
    try:
        with path.open("rb") as src:
            data = src.read(len(MAGIC) + _LENGTH.size)
            if data.startswith(MAGIC) and len(data) == len(MAGIC) + _LENGTH.size:
                (length,) = _LENGTH.unpack_from(data, len(MAGIC))
                data += src.read(min(length, MAX_HEADER + 1))
    except OSError as exc:
        raise ServiceError(f"فایل همگام‌سازی خوانده نشد: {exc.strerror or exc}") from None
    return _split(data)[0]


def read_bundle(path, secret: str) -> tuple[dict, dict]:
    """(header, payload) once the MAC and the GCM tag both hold under this device's secret."""
    data = _read(path)
    header, head, end = _split(data)
    if len(data) < end + NONCE_SIZE + MAC_SIZE:
        raise ServiceError(DAMAGED)
    signed, mac = data[:-MAC_SIZE], data[-MAC_SIZE:]
    expected = hmac.new(_sign_key(secret), signed, hashlib.sha256).digest()
    if not hmac.compare_digest(mac, expected):
        raise ServiceError(DAMAGED)
    nonce, ciphertext = data[end : end + NONCE_SIZE], data[end + NONCE_SIZE : -MAC_SIZE]
    try:
        body = AESGCM(_cipher_key(secret)).decrypt(nonce, ciphertext, head)
        payload = json.loads(zlib.decompress(body).decode())
    except (InvalidTag, zlib.error, UnicodeDecodeError, ValueError):
        raise ServiceError(DAMAGED) from None
    if not isinstance(payload, dict):
        raise ServiceError(DAMAGED)
    return header, payload

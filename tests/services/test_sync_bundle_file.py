"""The sync file format: what it carries back intact, and every way a wrong file is refused."""

from __future__ import annotations

import secrets

import pytest

from app.services.core.errors import ServiceError
from app.services.sync import bundle_file
from app.services.sync.bundle_file import MAC_SIZE, MAGIC, read_bundle, read_header, write_bundle

SECRET = secrets.token_hex(32)
HEADER = {
    "kind": "outbound",
    "hub_id": "hub-1",
    "device_id": "0191d2a4-0000-7000-8000-000000000001",
    "schema": "0015_sync",
    "created": "2026-12-04T10:00:00+00:00",
    "pull_cursor": 17,
}
PAYLOAD = {"batches": [{"batch_id": "b1", "changes": [{"table": "identities", "fields": {"name": "علی رضایی"}}]}]}


@pytest.fixture
def bundle(tmp_path):
    path = tmp_path / "out.pvsync"
    write_bundle(path, HEADER, PAYLOAD, SECRET)
    return path


def _flip(path, offset):
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def _refused(path, secret, message):
    with pytest.raises(ServiceError) as caught:
        read_bundle(path, secret)
    assert caught.value.message == message


def test_round_trip(bundle, tmp_path):
    header, payload = read_bundle(bundle, SECRET)
    assert header == {**HEADER, "format": "peyvand-sync/1"}
    assert payload == PAYLOAD
    assert [p.name for p in tmp_path.iterdir()] == ["out.pvsync"]  # no temp file left behind


def test_payload_is_encrypted(bundle):
    assert "رضایی".encode() not in bundle.read_bytes()
    assert b"identities" not in bundle.read_bytes()


def test_header_readable_without_key(bundle):
    assert read_header(bundle)["device_id"] == HEADER["device_id"]
    assert read_header(bundle)["kind"] == "outbound"


def test_tampered_header_byte(bundle):
    data = bundle.read_bytes()
    at = data.index(b"hub-1")
    bundle.write_bytes(data[:at] + b"hub-2" + data[at + 5 :])
    assert read_header(bundle)["hub_id"] == "hub-2"  # readable, but no longer authentic
    _refused(bundle, SECRET, bundle_file.DAMAGED)


def test_tampered_body(bundle):
    _flip(bundle, len(bundle.read_bytes()) - MAC_SIZE - 5)
    _refused(bundle, SECRET, bundle_file.DAMAGED)


def test_tampered_mac(bundle):
    _flip(bundle, len(bundle.read_bytes()) - 1)
    _refused(bundle, SECRET, bundle_file.DAMAGED)


def test_wrong_secret(bundle):
    _refused(bundle, secrets.token_hex(32), bundle_file.DAMAGED)


@pytest.mark.parametrize("keep", [len(MAGIC) + 2, len(MAGIC) + 10, -MAC_SIZE, -1])
def test_truncated_file(bundle, keep):
    bundle.write_bytes(bundle.read_bytes()[:keep])
    _refused(bundle, SECRET, bundle_file.DAMAGED)


def test_truncated_header_refused_without_key(bundle):
    bundle.write_bytes(bundle.read_bytes()[: len(MAGIC) + 10])
    with pytest.raises(ServiceError) as caught:
        read_header(bundle)
    assert caught.value.message == bundle_file.DAMAGED


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 a zip file", "سلام".encode()])
def test_not_a_bundle(tmp_path, content):
    path = tmp_path / "other.bin"
    path.write_bytes(content)
    with pytest.raises(ServiceError) as caught:
        read_header(path)
    assert caught.value.message == bundle_file.NOT_A_BUNDLE
    _refused(path, SECRET, bundle_file.NOT_A_BUNDLE)


def test_unknown_format(tmp_path):
    path = tmp_path / "future.pvsync"
    write_bundle(path, HEADER, PAYLOAD, SECRET)
    data = path.read_bytes()
    path.write_bytes(data.replace(b"peyvand-sync/1", b"peyvand-sync/9"))
    with pytest.raises(ServiceError) as caught:
        read_header(path)
    assert caught.value.message == bundle_file.UNKNOWN_FORMAT
    _refused(path, SECRET, bundle_file.UNKNOWN_FORMAT)


def test_missing_file(tmp_path):
    with pytest.raises(ServiceError):
        read_bundle(tmp_path / "nowhere.pvsync", SECRET)


def test_rewrite_replaces_whole_file(bundle):
    write_bundle(bundle, {**HEADER, "pull_cursor": 18}, {"batches": []}, SECRET)
    header, payload = read_bundle(bundle, SECRET)
    assert header["pull_cursor"] == 18 and payload == {"batches": []}


def test_kind_is_required(tmp_path):
    with pytest.raises(ValueError):
        write_bundle(tmp_path / "x.pvsync", {**HEADER, "kind": "sideways"}, PAYLOAD, SECRET)

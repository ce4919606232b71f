"""Snapshot stage: the last good raw payload of each gateway, kept on disk.

`<dir>/<gateway>.json` holds the payload exactly as received; `<dir>/<gateway>.meta.json` holds
its sha256 so a truncated or hand-edited file is noticed and ignored rather than trusted. Both
are written atomically (temp file in the same folder, then `os.replace`), payload first, so a
crash leaves either the old pair or the new one. Never touches the network.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Snapshot", "canonical_hash", "load_snapshot", "save_snapshot", "snapshot_paths"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class Snapshot:
    """A stored payload and the hash recorded beside it."""

    raw: bytes
    sha256: str


def canonical_hash(raw: bytes) -> str:
    """sha256 of the payload's canonical JSON (sorted keys, no whitespace), first 16 hex digits.

    Canonical so that reformatting by a server or a proxy does not look like new data. A
    payload that is not JSON is hashed as is.
    """
    try:
        canonical = json.dumps(
            json.loads(raw), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    except (ValueError, UnicodeDecodeError):
        canonical = raw
    return hashlib.sha256(canonical).hexdigest()[:16]


def snapshot_paths(snapshot_dir: Path, gateway_id: str) -> tuple[Path, Path]:
    """Payload and sidecar paths for a gateway (ids are made filename-safe)."""
    # Escape rather than drop unsafe characters so two ids never share a file.
    stem = _UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", gateway_id) or "%"
    return snapshot_dir / f"{stem}.json", snapshot_dir / f"{stem}.meta.json"


def _write_atomic(path: Path, data: bytes) -> None:
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def save_snapshot(snapshot_dir: Path, gateway_id: str, raw: bytes) -> None:
    """Store `raw` as the gateway's last good payload (call only after it validated).

    Raises:
        OSError: the folder could not be created or written.
    """
    snapshot_dir.mkdir(parents=True, exist_ok=True)
    payload, meta = snapshot_paths(snapshot_dir, gateway_id)
    digest = hashlib.sha256(raw).hexdigest()
    sidecar = {"gateway": gateway_id, "sha256": digest, "bytes": len(raw)}
    _write_atomic(payload, raw)
    _write_atomic(meta, json.dumps(sidecar, sort_keys=True).encode() + b"\n")


def load_snapshot(snapshot_dir: Path, gateway_id: str) -> Snapshot | None:
    """The gateway's last good payload, or None if absent, unreadable or not matching its hash."""
    payload, meta = snapshot_paths(snapshot_dir, gateway_id)
    try:
        raw = payload.read_bytes()
        recorded = json.loads(meta.read_bytes()).get("sha256")
    except (OSError, ValueError, AttributeError):
        return None
    digest = hashlib.sha256(raw).hexdigest()
    return Snapshot(raw, digest) if recorded == digest else None

"""Hostile bodies, built cheaply: a gzip bomb without compressing a gigabyte, a huge SSE line."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator

MIB = 1 << 20


def gzip_bomb(prefix: bytes, fill: bytes, mib: int) -> bytes:
    """A valid gzip member inflating to `prefix` + `mib` MiB of `fill` (one byte).

    After a full flush deflate starts afresh, so one compressed MiB repeated is the whole
    stream: ~1 KiB per MiB, ~1 MB for a gigabyte, built in about a second (the CRC).
    """
    chunk = fill * MIB
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = deflate.compress(prefix) + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    tail = deflate.flush()
    crc = zlib.crc32(prefix)
    for _ in range(mib):
        crc = zlib.crc32(chunk, crc)
    size = (len(prefix) + mib * MIB) & 0xFFFFFFFF
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    return header + head + block * mib + tail + struct.pack("<II", crc, size)


def long_line(mib: int) -> Iterator[bytes]:
    """An SSE body whose first line is `mib` MiB long, sent a MiB at a time."""
    yield b"data: "
    piece = b"a" * MIB
    for _ in range(mib):
        yield piece
    yield b"\n\n"

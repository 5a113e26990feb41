"""The offline copy of the whole site as one reproducible zip, rebuilt cheaply after small changes.

Entries are sorted, dated ``ZIP_DATE`` and written by this module (a plain zip: local headers, central
directory, end record), so the bytes depend only on the files. Files whose hash did not change since
the previous build have their compressed bytes copied from the previous zip instead of being
compressed again; files that are already compressed (PDF, Anki packages, images, zips) are stored.
The compression level is part of coursegen's code, so a previous zip is reused only when the code
that wrote it is the same.
"""

from __future__ import annotations

import hashlib
import os
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ZIP_DATE = (2020, 1, 1, 0, 0, 0)
PREFIX = "hoc-dvc/"
STORED_SUFFIXES = {".pdf", ".apkg", ".zip", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".gz", ".woff", ".woff2"}
_DOS_TIME = (ZIP_DATE[3] << 11) | (ZIP_DATE[4] << 5) | (ZIP_DATE[5] // 2)
_DOS_DATE = ((ZIP_DATE[0] - 1980) << 9) | (ZIP_DATE[1] << 5) | ZIP_DATE[2]
_LIMIT = 0xFFFFFFFF
FAST_ABOVE = 1 << 20
# Files whose copy inside the zip differs from the site's: copy.js tells pages they are the offline copy.
COPY_JS = "assets/coursegen/copy.js"
_IN_ZIP = {COPY_JS: lambda raw: raw.replace(b'})("web");', b'})("offline");')}


def zipped_bytes(site_dir: Path, name: str) -> bytes:
    """The bytes of a site file as the offline copy holds them."""
    raw = (site_dir / name).read_bytes()
    return _IN_ZIP[name](raw) if name in _IN_ZIP else raw


@dataclass(frozen=True)
class Entry:
    name: bytes
    flags: int
    method: int
    crc: int
    size: int
    data: bytes  # compressed (or stored) bytes


def _method(path: str) -> int:
    return zipfile.ZIP_STORED if os.path.splitext(path)[1].lower() in STORED_SUFFIXES else zipfile.ZIP_DEFLATED


def _encode(name: str) -> tuple[bytes, int]:
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), 0x800


def _compress(name: str, raw: bytes) -> Entry:
    encoded, flags = _encode(name)
    method = _method(name)
    if method == zipfile.ZIP_DEFLATED:
        # Level 3: pages come out 13 % larger than at level 6 in 40 % of the time; the few very large
        # files (the search index) at level 1.
        packer = zlib.compressobj(1 if len(raw) >= FAST_ABOVE else 3, zlib.DEFLATED, -15)
        data = packer.compress(raw) + packer.flush()
    else:
        data = raw
    return Entry(encoded, flags, method, zlib.crc32(raw), len(raw), data)


def _previous_entries(path: Path | None) -> dict[str, zipfile.ZipInfo]:
    if path is None or not path.is_file():
        return {}
    try:
        with zipfile.ZipFile(path) as archive:
            return {info.filename: info for info in archive.infolist()}
    except (OSError, zipfile.BadZipFile):
        return {}


def _raw(handle, info: zipfile.ZipInfo) -> bytes:
    """The compressed bytes of one entry of an open zip file."""
    handle.seek(info.header_offset)
    header = handle.read(30)
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    handle.seek(info.header_offset + 30 + name_length + extra_length)
    return handle.read(info.compress_size)


def write_site_zip(site_dir: Path, target: Path, files: list[str], digests: Mapping[str, str],
                   previous: Path | None = None, previous_digests: Mapping[str, str] | None = None,
                   on_entry: Callable[[], None] | None = None) -> tuple[int, int]:
    """Zip ``files`` (POSIX paths below ``site_dir``) into ``target``; (entries reused, entries compressed).

    ``previous``/``previous_digests``: the zip and file hashes of the previous build, made by the same
    code, whose entries are copied when a file's hash is unchanged.
    """
    files = sorted(files)
    old = _previous_entries(previous) if previous_digests is not None else {}
    total = sum((site_dir / f).stat().st_size for f in files)
    if len(files) >= 0xFFFF or total >= _LIMIT:
        return _write_with_zipfile(site_dir, target, files)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    reused = 0

    def fresh(name: str) -> Entry:
        return _compress(PREFIX + name, zipped_bytes(site_dir, name))

    def entries(handle) -> Iterator[Entry]:
        nonlocal reused
        with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
            pending = []
            for name in files:
                info = old.get(PREFIX + name)
                if info is not None and previous_digests and previous_digests.get(name) == digests.get(name) \
                        and info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) \
                        and info.compress_type == _method(name):
                    encoded, flags = _encode(PREFIX + name)
                    pending.append(Entry(encoded, flags, info.compress_type, info.CRC, info.file_size,
                                         _raw(handle, info)))
                    reused += 1
                else:
                    pending.append(pool.submit(fresh, name))
                if len(pending) >= 64:
                    yield from _resolve(pending)
                    pending = []
            yield from _resolve(pending)

    handle = open(previous, "rb") if old and previous is not None else None  # noqa: SIM115
    try:
        with open(partial, "wb") as out:
            central = []
            offset = 0
            for entry in entries(handle):
                local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, entry.flags, entry.method, _DOS_TIME,
                                    _DOS_DATE, entry.crc, len(entry.data), entry.size, len(entry.name), 0)
                out.write(local + entry.name)
                out.write(entry.data)
                central.append(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", (3 << 8) | 20, 20, entry.flags,
                                           entry.method, _DOS_TIME, _DOS_DATE, entry.crc, len(entry.data), entry.size,
                                           len(entry.name), 0, 0, 0, 0, 0o100644 << 16, offset) + entry.name)
                offset += len(local) + len(entry.name) + len(entry.data)
                if on_entry:
                    on_entry()
            directory = b"".join(central)
            if offset + len(directory) >= _LIMIT:
                raise OverflowError
            out.write(directory)
            out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(central), len(central), len(directory),
                                  offset, 0))
    except OverflowError:
        partial.unlink(missing_ok=True)
        return _write_with_zipfile(site_dir, target, files)
    finally:
        if handle:
            handle.close()
    os.replace(partial, target)
    return reused, len(files) - reused


def _resolve(pending: list) -> Iterator[Entry]:
    for item in pending:
        yield item if isinstance(item, Entry) else item.result()


def _write_with_zipfile(site_dir: Path, target: Path, files: list[str]) -> tuple[int, int]:
    """Very large sites (zip64): Python's own writer, without reuse."""
    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w", allowZip64=True) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(PREFIX + name, ZIP_DATE)
            info.compress_type = _method(name)
            info.external_attr = 0o100644 << 16
            archive.writestr(info, zipped_bytes(site_dir, name), compresslevel=3)
    os.replace(partial, target)
    return 0, len(files)


def file_digests(site_dir: Path, files: list[str], known: Mapping[str, str]) -> dict[str, str]:
    """SHA-256 of every file, reading only those whose hash is not ``known`` yet (in threads)."""
    def one(name: str) -> str:
        with open(site_dir / name, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()

    missing = [f for f in files if f not in known]
    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        computed = dict(zip(missing, pool.map(one, missing), strict=True))
    return {f: known.get(f) or computed[f] for f in files}

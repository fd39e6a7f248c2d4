"""Find a text file's encoding by checking every byte of it, and hash the file on the way."""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from syncguard.errors import InputError

_CHUNK = 1 << 20
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# A complete UTF-8 multi-byte sequence: text in Windows-1252 hardly ever contains one.
_UTF8_SEQUENCE = re.compile(
    rb"(?:[\xc2-\xdf]|[\xe0-\xef][\x80-\xbf]|[\xf0-\xf4][\x80-\xbf]{2})[\x80-\xbf]"
)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\x1a") + b"\x7f"
_ENCODING_HINT = "pass --encoding with the file's encoding, e.g. utf-8, utf-16 or cp1252"


@dataclass(frozen=True, slots=True)
class DecodedFile:
    """The codec to open the file with, its sha256, and its decoded start (for sniffing)."""

    encoding: str
    sha256: str
    head: str


@dataclass(slots=True)
class _Scan:
    sha256: str = ""
    head: str = ""
    bad_offset: int | None = None
    bad_line: int = 0
    nul_line: int | None = None
    saw_utf8: bool = False


def decode_file(path: Path, encoding: str | None) -> DecodedFile:
    """Detect (BOM, strict UTF-8, UTF-16 by its NULs, Windows-1252) or check ``encoding``."""
    with path.open("rb") as stream:
        start = stream.read(4096)
    chosen = _codec(encoding, start, path.name) if encoding else _guess(start)
    if not chosen.startswith("utf-16") and _looks_binary(start):
        raise InputError(
            f"{path.name}: not a CSV or XLSX file (it holds binary data)",
            hint="export the list again as CSV or XLSX",
        )
    scan = _scan(path, chosen, watch_utf8=False)
    if scan.bad_offset is not None and encoding is None and chosen == "utf-8":
        first_bad = scan.bad_offset, scan.bad_line
        scan = _scan(path, "cp1252", watch_utf8=True)
        if scan.saw_utf8:
            raise InputError(
                f"{path.name}: mixes UTF-8 with another encoding "
                f"(byte {first_bad[0]}, line {first_bad[1]} is not UTF-8)",
                hint="re-save it as 'CSV UTF-8', or pass --encoding cp1252 to read it all "
                "as Windows-1252",
            )
        chosen = "cp1252"
    if scan.bad_offset is not None:
        raise InputError(
            f"{path.name}: byte {scan.bad_offset} (line {scan.bad_line}) cannot be read as "
            f"{chosen}",
            hint=_ENCODING_HINT,
        )
    if scan.nul_line is not None:
        raise InputError(
            f"{path.name}: NUL bytes on line {scan.nul_line}: this is not a text (CSV) export",
            hint="export the list again as CSV or XLSX; for UTF-16 text without a BOM, pass "
            "--encoding utf-16-le",
        )
    return DecodedFile(chosen, scan.sha256, scan.head)


def _codec(name: str, start: bytes, file_name: str) -> str:
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise InputError(f"{file_name}: unknown encoding '{name}'", hint=_ENCODING_HINT) from None
    if codec == "utf-8" and start.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"  # the BOM is not part of the first header
    return codec


def _guess(start: bytes) -> str:
    for bom, codec in _BOMS:
        if start.startswith(bom):
            return codec
    sample = start[:400]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    # ASCII text in UTF-16 has a NUL in every other byte: after the letter (LE) or before (BE).
    if odd > len(sample) // 4 and even == 0:
        return "utf-16-le"
    if even > len(sample) // 4 and odd == 0:
        return "utf-16-be"
    return "utf-8"


def _looks_binary(start: bytes) -> bool:
    """Text has few control characters; random or compressed bytes have one in ten."""
    controls = len(start) - len(start.translate(None, _CONTROL_BYTES))
    return controls * 20 > len(start)


def _scan(path: Path, codec: str, *, watch_utf8: bool) -> _Scan:
    """Decode the whole file strictly; note the first undecodable byte and the first NUL."""
    result, digest = _Scan(), hashlib.sha256()
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    offset, lines = 0, 1
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
            pending = len(decoder.getstate()[0])
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                data_start = offset - pending
                result.bad_offset = data_start + exc.start
                result.bad_line = lines + exc.object[: exc.start].count(b"\n")
                return result
            except UnicodeError:
                # Python's utf-16 codec refuses a start without a byte-order mark outright.
                result.bad_offset, result.bad_line = offset, lines
                return result
            if not result.head:
                result.head = text
            if watch_utf8 and not result.saw_utf8 and not chunk.isascii():
                result.saw_utf8 = _UTF8_SEQUENCE.search(chunk) is not None
            if result.nul_line is None and "\x00" in text:
                result.nul_line = lines + text[: text.index("\x00")].count("\n")
            lines += text.count("\n")
            offset += len(chunk)
    result.sha256 = digest.hexdigest()
    return result

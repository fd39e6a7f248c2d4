"""Waivers as a file under version control: TOML (``[[waiver]]`` tables) or JSON, by suffix.

::

    [[waiver]]
    code = "PAY201"
    key = "10023344"
    reason = "name differs by contract"
    by = "J. Doe"
    until = 2027-01-31
"""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from syncguard.errors import InputError
from syncguard.ledger.waivers import WaiverSpec, validated

HEADER = "# syncguard waivers: import with `syncguard waivers import FILE`\n"
FIELDS = ("code", "key", "reason", "by", "until")


def render_waivers(waivers: list[WaiverSpec], fmt: str) -> str:
    """The export text, ``fmt`` being ``toml`` or ``json``."""
    items = [_as_dict(w) for w in waivers]
    if fmt == "json":
        return json.dumps({"schema_version": 1, "waivers": items}, indent=2) + "\n"
    return HEADER + "".join(_toml_table(item) for item in items)


def file_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise InputError(f"{path.name}: waivers are kept in a .toml or .json file")
    return suffix[1:]


def read_waivers(path: Path) -> list[WaiverSpec]:
    """Every waiver in ``path``; InputError naming the file and entry when one is not valid."""
    file_format(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"{path.name}: cannot read: {error.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(
            f"{path.name}: not a text file (it holds bytes that are not UTF-8)",
            hint="give the file `syncguard waivers export` wrote",
        ) from None
    entries = _parse(path, text)
    return [
        _spec(entry, f"{path.name}: waiver {number}") for number, entry in enumerate(entries, 1)
    ]


def _parse(path: Path, text: str) -> list[Any]:
    try:
        if file_format(path) == "json":
            data = json.loads(text)
            entries = data.get("waivers") if isinstance(data, dict) else None
        else:
            data = tomllib.loads(text)
            # Anything but [[waiver]] tables means another file: refuse it (think of --replace).
            entries = data.get("waiver", []) if set(data) <= {"waiver"} else None
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as error:
        raise InputError(f"{path.name}: not valid: {error}") from None
    if not isinstance(entries, list):
        raise InputError(f"{path.name}: no list of waivers", hint="see `syncguard waivers export`")
    return entries


def _spec(entry: Any, where: str) -> WaiverSpec:
    if not isinstance(entry, dict):
        raise InputError(f"{where}: not a table of code, key, reason, by, until")
    unknown = set(entry) - set(FIELDS)
    if unknown:
        raise InputError(f"{where}: unknown field '{sorted(unknown)[0]}'", hint=", ".join(FIELDS))
    until = entry.get("until")
    if isinstance(until, str):
        try:
            until = date.fromisoformat(until)
        except ValueError:
            raise InputError(f"{where}: until '{until}' is not a date (YYYY-MM-DD)") from None
    if until is not None and not isinstance(until, date):
        raise InputError(f"{where}: until is not a date (YYYY-MM-DD)")
    texts = {name: entry.get(name, "") for name in ("code", "key", "reason", "by")}
    if not all(isinstance(value, str) for value in texts.values()):
        raise InputError(f"{where}: code, key, reason and by must be text (quote numbers)")
    return validated(WaiverSpec(until=until, **texts), where=where)


def _as_dict(waiver: WaiverSpec) -> dict[str, str]:
    item = {"code": waiver.code, "key": waiver.key, "reason": waiver.reason, "by": waiver.by}
    if waiver.until is not None:
        item["until"] = waiver.until.isoformat()
    return item


def _toml_table(item: dict[str, str]) -> str:
    # A JSON string is a valid TOML basic string (same escapes); a date is a bare TOML date.
    lines = [
        f"{name} = {value}" if name == "until" else f"{name} = {_toml_string(value)}"
        for name, value in item.items()
    ]
    return "\n[[waiver]]\n" + "\n".join(lines) + "\n"


def _toml_string(value: str) -> str:
    # JSON's escapes are TOML's, except that TOML also forbids a raw DEL character.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")

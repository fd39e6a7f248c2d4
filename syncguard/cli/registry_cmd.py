"""``syncguard init`` and ``syncguard registry ...``: thin layers over ``syncguard.registry``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from syncguard.cli.common import require_format

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from syncguard.config import Settings

KIND_HELP = "payers, facilities, providers, referring or procedures (singular works too)."
PRACTICE_HELP = "Practice the records belong to (default: registry.practice, 'default')."
registry = typer.Typer(
    help="The registry of CMD master data: import exports, list, show, edit, back up.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the registry commands to ``app``."""
    app.command("init")(init)
    app.add_typer(registry, name="registry")


def _settings(ctx: typer.Context, practice: str | None) -> Settings:
    ctx.obj.add_overrides(registry={"practice": practice})
    settings: Settings = ctx.obj.settings
    return settings


@contextmanager
def _registry(settings: Settings, *, create: bool = False) -> Iterator[Engine]:
    from syncguard.registry.schema import open_registry

    engine = open_registry(settings.registry.database_url, create=create)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def _listing_invalid_rows() -> Iterator[None]:
    """The error line names the first invalid rows; when there are more, list them all first."""
    from syncguard.errors import InvalidRowsError
    from syncguard.registry.importer import SHOWN_PROBLEMS

    try:
        yield
    except InvalidRowsError as error:
        if len(error.problems) > SHOWN_PROBLEMS:
            for row, reason in error.problems:
                typer.echo(f"row {row}: {reason}", err=True)
        raise


def _write(chunks: Iterable[str]) -> None:
    for chunk in chunks:
        sys.stdout.write(chunk)


def init(ctx: typer.Context) -> None:
    """Create the registry database, or upgrade its schema to this syncguard's."""
    from syncguard.redaction import redact_url
    from syncguard.registry.schema import HEAD_REVISION

    settings = ctx.obj.settings
    with _registry(settings, create=True):
        url = redact_url(settings.registry.database_url)
        typer.echo(f"registry {url} is ready (schema revision {HEAD_REVISION})")


@registry.command("import")
def import_command(
    ctx: typer.Context,
    kind: str = typer.Argument(..., help=KIND_HELP),
    file: Path = typer.Argument(..., help="CMD export: CSV, tab-delimited, .DAT or XLSX."),
    practice: str | None = typer.Option(None, "--practice", help=PRACTICE_HELP),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would change; write nothing."),
    prune: bool = typer.Option(
        False, "--prune", help="The file is the full list: deactivate records it does not hold."
    ),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Import the valid rows and list the invalid ones."
    ),
    encoding: str | None = typer.Option(None, "--encoding", help="Encoding of a text file."),
    sheet: str | None = typer.Option(None, "--sheet", help="Worksheet of an XLSX file."),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Import a CMD export: one transaction, all of it or nothing. Exit 2 on invalid rows."""
    from syncguard.registry import render
    from syncguard.registry.importer import import_file

    require_format(fmt, ("text", "json"))
    settings = _settings(ctx, practice)
    with _registry(settings) as engine, _listing_invalid_rows():
        result = import_file(
            engine,
            kind,
            file,
            practice=settings.registry.practice,
            settings=settings,
            dry_run=dry_run,
            prune=prune,
            skip_invalid=skip_invalid,
            encoding=encoding,
            sheet=sheet,
        )
    text = render.to_json(result.to_dict()) if fmt == "json" else render.import_summary(result)
    typer.echo(text)


@registry.command("list")
def list_command(
    ctx: typer.Context,
    kind: str = typer.Argument(..., help=KIND_HELP),
    practice: str | None = typer.Option(None, "--practice", help=PRACTICE_HELP),
    fmt: str = typer.Option("text", "--format", "-f", help="text, json or csv."),
    include_inactive: bool = typer.Option(
        False, "--include-inactive", help="List inactive records too."
    ),
) -> None:
    """List the records of one kind."""
    from syncguard.registry import render
    from syncguard.registry.importer import resolve_kind
    from syncguard.registry.queries import iter_records, record_columns
    from syncguard.registry.shapes import shape_for

    require_format(fmt, ("text", "json", "csv"))
    settings = _settings(ctx, practice)
    columns = record_columns(shape_for(resolve_kind(kind).name))
    with _registry(settings) as engine:
        records = iter_records(
            engine, kind, practice=settings.registry.practice, include_inactive=include_inactive
        )
        if fmt == "json":
            _write(render.records_json(records))
        elif fmt == "csv":
            _write(render.records_csv(columns, records))
        else:
            typer.echo(render.records_text(columns, records))


@registry.command("show")
def show_command(
    ctx: typer.Context,
    kind: str = typer.Argument(..., help=KIND_HELP),
    key: str = typer.Argument(
        ..., help="Sequence number (NPI for referring, code for procedures)."
    ),
    practice: str | None = typer.Option(None, "--practice", help=PRACTICE_HELP),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Show one record, active or not."""
    from syncguard.registry import render
    from syncguard.registry.queries import get_record

    _show_one(ctx, kind, key, practice, fmt, get_record, render.record_text)


@registry.command("history")
def history_command(
    ctx: typer.Context,
    kind: str = typer.Argument(..., help=KIND_HELP),
    key: str = typer.Argument(
        ..., help="Sequence number (NPI for referring, code for procedures)."
    ),
    practice: str | None = typer.Option(None, "--practice", help=PRACTICE_HELP),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Show every change made to one record: when, what, and from which file."""
    from syncguard.registry import render
    from syncguard.registry.queries import record_history

    _show_one(ctx, kind, key, practice, fmt, record_history, render.history_text)


def _show_one(
    ctx: typer.Context,
    kind: str,
    key: str,
    practice: str | None,
    fmt: str,
    fetch: Callable[..., Any],
    as_text: Callable[[Any], str],
) -> None:
    """What ``show`` and ``history`` share: look one record's data up, print it as text or JSON."""
    from syncguard.registry import render

    require_format(fmt, ("text", "json"))
    settings = _settings(ctx, practice)
    with _registry(settings) as engine:
        data = fetch(engine, kind, key, practice=settings.registry.practice, settings=settings)
    typer.echo(render.to_json(data) if fmt == "json" else as_text(data))


@registry.command("add")
def add_command(
    ctx: typer.Context,
    kind: str = typer.Argument(..., help=KIND_HELP),
    sequence: str | None = typer.Option(None, "--sequence", help="CMD sequence number."),
    name: str | None = typer.Option(None, "--name", help="Payer or facility name."),
    npi: str | None = typer.Option(None, "--npi", help="NPI."),
    last: str | None = typer.Option(None, "--last", help="Last name."),
    first: str | None = typer.Option(None, "--first", help="First name."),
    credentials: str | None = typer.Option(None, "--credentials", help="Credentials (PT, DPT)."),
    cpid: str | None = typer.Option(None, "--cpid", help="Electronic payer ID (CPID)."),
    pos: str | None = typer.Option(None, "--pos", help="Place-of-service code."),
    taxonomy: str | None = typer.Option(None, "--taxonomy", help="Taxonomy code."),
    code: str | None = typer.Option(None, "--code", help="CPT/HCPCS code."),
    rev_code: str | None = typer.Option(None, "--rev-code", help="Default revenue code."),
    description: str | None = typer.Option(None, "--description", help="Code description."),
    practice: str | None = typer.Option(None, "--practice", help=PRACTICE_HELP),
) -> None:
    """Add one record by hand (validated like an imported row; logged as "manual")."""
    from syncguard.registry.edits import add_record

    given = {
        "sequence": sequence, "name": name, "npi": npi, "last_name": last, "first_name": first,
        "credentials": credentials, "cpid": cpid, "pos": pos, "taxonomy": taxonomy,
        "code": code, "rev_code": rev_code, "description": description,
    }  # fmt: skip
    values = {field: value for field, value in given.items() if value is not None}
    _require_add_options(kind, values)
    settings = _settings(ctx, practice)
    if rev_code is not None:
        _require_leading_zeros(rev_code, settings.ids.revenue_code_width, option="--rev-code ")
    with _registry(settings) as engine:
        added = add_record(
            engine, kind, values, practice=settings.registry.practice, settings=settings
        )
    for repair in added.repaired:
        typer.echo(f"repaired {repair.field}: {repair.reason}", err=True)
    typer.echo(f"added {kind} {added.key} to practice '{settings.registry.practice}'")


# The option of `registry add` that gives each field of a record.
ADD_OPTIONS = {
    "sequence": "--sequence", "name": "--name", "npi": "--npi", "last_name": "--last",
    "first_name": "--first", "credentials": "--credentials", "cpid": "--cpid", "pos": "--pos",
    "taxonomy": "--taxonomy", "code": "--code", "rev_code": "--rev-code",
    "description": "--description",
}  # fmt: skip


def _require_add_options(kind: str, values: dict[str, str]) -> None:
    """Name the option, not the field, when one is missing or does not apply to ``kind``."""
    from syncguard.errors import InputError
    from syncguard.registry.importer import resolve_kind

    spec = resolve_kind(kind)
    taken = [ADD_OPTIONS[field.name] for field in spec.fields if field.name in ADD_OPTIONS]
    for name, option in ADD_OPTIONS.items():
        if name in values and option not in taken:
            raise InputError(
                f"{option} does not apply to {spec.name}", hint=f"they take {', '.join(taken)}"
            )
    for field in spec.fields:
        required = ADD_OPTIONS.get(field.name)
        if field.required and required and not values.get(field.name, "").strip():
            raise InputError(f"a {spec.entity} needs its {field.label}", hint=f"give {required}")


def _require_leading_zeros(code: str, width: int, *, option: str = "") -> None:
    """A typed revenue code short of digits: say to type its leading zeros (the library's advice
    is for a spreadsheet cell that lost them, not for a value typed on the command line)."""
    from syncguard.errors import InputError

    typed = code.strip()
    if typed.isdigit() and len(typed) < width:
        raise InputError(
            f"{option}'{code}' is not a revenue code: it has {len(typed)} digits where {width} "
            "are expected",
            hint=f"type it with its leading zeros: {typed.zfill(width)}",
        )


@registry.command("deactivate")
def deactivate_command(
    ctx: typer.Context,
    kind: str = typer.Argument(..., help=KIND_HELP),
    key: str = typer.Argument(
        ..., help="Sequence number (NPI for referring, code for procedures)."
    ),
    practice: str | None = typer.Option(None, "--practice", help=PRACTICE_HELP),
) -> None:
    """Mark one record inactive (records are never deleted; the change is logged)."""
    from syncguard.registry.edits import deactivate_record

    settings = _settings(ctx, practice)
    with _registry(settings) as engine:
        changed = deactivate_record(
            engine, kind, key, practice=settings.registry.practice, settings=settings
        )
    typer.echo(f"deactivated {kind} {key}" if changed else f"{kind} {key} was already inactive")


@registry.command("default-rev-code")
def default_rev_code_command(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="Revenue code, 4 digits with a leading zero (0420)."),
    practice: str | None = typer.Option(None, "--practice", help=PRACTICE_HELP),
) -> None:
    """Set the practice's system-wide default revenue code (for UB-04 claims)."""
    from syncguard.registry.edits import set_default_rev_code

    settings = _settings(ctx, practice)
    _require_leading_zeros(code, settings.ids.revenue_code_width)
    with _registry(settings) as engine:
        value = set_default_rev_code(
            engine, code, practice=settings.registry.practice, settings=settings
        )
    typer.echo(f"default revenue code of practice '{settings.registry.practice}': {value}")


@registry.command("export")
def export_command(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="JSON file to write."),
    practice: str | None = typer.Option(None, "--practice", help=PRACTICE_HELP),
    all_practices: bool = typer.Option(False, "--all-practices", help="Export every practice."),
) -> None:
    """Back up every kind of record of a practice (or all) to a versioned JSON document."""
    from syncguard.registry.backup import export_registry

    settings = _settings(ctx, practice)
    chosen = None if all_practices else settings.registry.practice
    with _registry(settings) as engine:
        counts = export_registry(engine, file, practice=chosen)
    held = ", ".join(f"'{name}' ({count} records)" for name, count in counts.items())
    typer.echo(f"wrote {file.name}: {held or 'no practice'}")


@registry.command("restore")
def restore_command(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="A backup written by `syncguard registry export`."),
    practice: str | None = typer.Option(
        None, "--practice", help="Restore only this practice (default: every one in the file)."
    ),
) -> None:
    """Make the registry match a backup, in one transaction (extra records are deactivated)."""
    from syncguard.registry.restore import restore_registry

    _require_json(file)
    settings = ctx.obj.settings
    with _registry(settings) as engine:
        results = restore_registry(engine, file, practice=practice, settings=settings)
    for result in results:
        typer.echo(
            f"{result.practice} {result.kind}: added {result.added.count}, changed "
            f"{result.changed.count}, reactivated {result.reactivated.count}, deactivated "
            f"{result.deactivated.count}, unchanged {result.unchanged}"
        )


def _require_json(file: Path) -> None:
    """A file that cannot be a backup at all (a CSV, a workbook, an empty file) is named as such
    before the restore; a damaged backup still gets the JSON parser's position from it."""
    import json

    from syncguard.errors import InputError

    try:
        with file.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return  # the restore says why the file cannot be read
    text = head.decode(json.detect_encoding(head), errors="ignore").lstrip("\ufeff \t\r\n")
    if text.startswith("{") or (not text and len(head) == 4096):
        return
    raise InputError(
        f"{file.name} is not a syncguard backup, which is a JSON file",
        hint="give a file written by `syncguard registry export`",
    )

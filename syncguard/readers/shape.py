"""Check a header row and fit data rows to its width, the same way for every file format."""

from __future__ import annotations

from collections.abc import Sequence

from syncguard.errors import InputError


def check_header(cells: Sequence[str], file_name: str, number: int) -> tuple[str, ...]:
    """The header without its trailing empty cells; duplicate names are an InputError."""
    width = len(cells)
    while width and not cells[width - 1].strip():
        width -= 1
    header = tuple(cells[:width])
    seen: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = cell.strip().casefold()
        if not key:
            continue
        if key in seen:
            raise InputError(
                f'{file_name} row {number}: duplicate column header "{cell.strip()}" '
                f"(columns {seen[key] + 1} and {index + 1})",
                hint="rename or remove one of them so that each column can be told apart",
            )
        seen[key] = index
    return header


def blank_header_columns(header: Sequence[str]) -> tuple[int, ...]:
    """Indexes of columns without a header name (data in them cannot be attributed)."""
    return tuple(index for index, cell in enumerate(header) if not cell.strip())


def fit_row(
    cells: Sequence[str], width: int, file_name: str, number: int
) -> tuple[str, ...] | None:
    """Pad or trim ``cells`` to ``width``; None for a blank row.

    Cells beyond the header are dropped when empty; a value there means the columns shifted
    (typically an unquoted delimiter inside a name), so it is an error rather than a guess.
    """
    if not any(cells):
        return None
    if len(cells) <= width:
        return (*cells, *([""] * (width - len(cells))))
    extra = [index for index in range(width, len(cells)) if cells[index].strip()]
    if extra:
        raise InputError(
            f"{file_name} row {number}: a value in column {extra[0] + 1}, beyond the "
            f"{width} columns of the header",
            hint="a value that contains the delimiter must be quoted; check that row",
        )
    row = tuple(cells[:width])
    return row if any(row) else None


def check_blank_columns(
    values: Sequence[str], blanks: Sequence[int], header: Sequence[str], file_name: str, number: int
) -> None:
    """Reject a value in a column that has no header name."""
    for index in blanks:
        if values[index].strip():
            before = next((h for h in reversed(header[:index]) if h.strip()), None)
            where = f'after "{before.strip()}"' if before else "first"
            raise InputError(
                f"{file_name} row {number}: a value in column {index + 1} ({where}), whose "
                "header cell is empty",
                hint="give that column a header name in the file, or delete it",
            )

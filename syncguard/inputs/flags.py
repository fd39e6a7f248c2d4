"""Read an inactive / active / status cell as a yes-or-no answer, refusing to guess at anything
else."""

from __future__ import annotations

from syncguard.normalize import clean_text

# Words are absolute ("Inactive" means inactive in any column, "Active" active); marks like
# Y/N/X/1 answer the column's question: "inactive?" for an inactive column, "active?" for an
# active one. An empty cell means active in either column.
_INACTIVE_WORDS = frozenset({"inactive", "deactivated", "disabled"})
_ACTIVE_WORDS = frozenset({"", "active", "enabled"})
_YES = frozenset({"y", "yes", "true", "t", "1", "1.0", "x"})
_NO = frozenset({"n", "no", "false", "f", "0", "0.0"})
_TRUE = _YES | _INACTIVE_WORDS
_FALSE = _NO | _ACTIVE_WORDS
# The same answers for a column that asks "active?": a mark's meaning is turned around.
_TRUE_WHEN_ACTIVE = _NO | _INACTIVE_WORDS
_FALSE_WHEN_ACTIVE = _YES | _ACTIVE_WORDS


def parse_flag(text: str, *, asks_active: bool = False) -> bool | None:
    """Whether the cell says *inactive*: for an inactive column (the default), True for
    Y/Yes/True/1/X/Inactive, False for N/No/False/0/""/Active; for an active column
    (``asks_active``), True for N/No/False/0/Inactive, False for Y/Yes/True/1/X/""/Active.
    None for anything else."""
    key = clean_text(text).casefold()
    if key in (_TRUE_WHEN_ACTIVE if asks_active else _TRUE):
        return True
    if key in (_FALSE_WHEN_ACTIVE if asks_active else _FALSE):
        return False
    return None

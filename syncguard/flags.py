"""Read an inactive / status cell as a yes-or-no answer, refusing to guess at anything else."""

from __future__ import annotations

from syncguard.normalize import clean_text

# Words are absolute ("Inactive" means inactive in any column); marks like Y/N/X/1 answer the
# column's question, which is "inactive?" for every column syncguard reads as a flag.
_TRUE = frozenset({"y", "yes", "true", "t", "1", "1.0", "x", "inactive", "deactivated", "disabled"})
_FALSE = frozenset({"n", "no", "false", "f", "0", "0.0", "", "active", "enabled"})


def parse_flag(text: str) -> bool | None:
    """True for Y/Yes/True/1/X/Inactive, False for N/No/False/0/""/Active, None otherwise."""
    key = clean_text(text).casefold()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return None

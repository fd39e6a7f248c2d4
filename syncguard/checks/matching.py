"""Name normalisation and similarity, so that names differing only in form are not reported.

A name becomes a *key*: lower case, accents, punctuation and extra spaces gone, tokens sorted.
Person keys also drop credentials (PT, DPT, CCC-SLP, MD, ...), suffixes (Jr, III), titles and
middle initials; organisation keys read '&' as 'and' and drop company suffixes (Inc, LLC).
Similarity is rapidfuzz's ratio between two keys (0-100), i.e. a token-sort ratio.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from syncguard import names

if TYPE_CHECKING:
    import polars as pl

_JOINED = re.compile(r"['\u2019.`]")  # O'Brien = OBrien, M.D. = MD
_SEPARATORS = re.compile(r"[^0-9a-z]+")


def _ascii_table() -> dict[int, str | None]:
    """Lower-cases ASCII letters, joins on apostrophes and dots, splits on everything else."""
    table: dict[int, str | None] = {code: " " for code in range(128)}
    table.update({ord(c): c for c in "abcdefghijklmnopqrstuvwxyz0123456789"})
    table.update({ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
    table.update({ord("'"): None, ord("."): None, ord("`"): None, ord("&"): " and "})
    return table


_ASCII = _ascii_table()


def _tokens(text: str) -> list[str]:
    if text.isascii():  # the common case, kept fast: one translate, one split
        return text.translate(_ASCII).split()
    text = text.casefold()
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    text = _JOINED.sub("", text.replace("&", " and "))
    return _SEPARATORS.sub(" ", text).split()


def _token_set(*texts: str) -> frozenset[str]:
    return frozenset(token for text in texts for token in _tokens(text))


# The words that follow or precede a clinician's name without being part of it, as tokens:
# "PA-C" gives "pa" and "c", "OTR/L" gives "otr" and "l" (single letters are dropped anyway).
CREDENTIALS = _token_set(
    *names.CREDENTIALS, "SPT OTA SLPA DDS DMD OD PSYD MED BA WCS CERT MTC FAAOS FACP FACS EDD CMA"
)
SUFFIXES = _token_set(*names.SUFFIXES, "V 2ND 3RD")
TITLES = _token_set(*names.PREFIXES)
COMPANY_SUFFIXES = _token_set("INC INCORPORATED LLC LLP LP LTD CORP CORPORATION CO PC PLLC THE")
_PERSON_NOISE = CREDENTIALS | SUFFIXES | TITLES


def person_key(last: str, first: str) -> str:
    """The comparable form of a person's name given as last and first name.

    The first token of the last name is always kept, so that a surname that looks like a
    credential ('Do', 'Ma') survives; everything else that is a credential, a suffix, a title or
    a single letter (a middle initial) is dropped.
    """
    return " ".join(sorted(_last_tokens(last) + _first_tokens(first)))


_MAPPED = "\x1emapped"  # the result's column: a name no input column has


def person_keys(last: pl.Series, first: pl.Series) -> pl.Series:
    """``person_key`` of every (last, first) pair of two columns, computed once per distinct
    pair (the per-part token caches make each new pair cheap)."""
    import polars as pl

    return map_distinct(pl.DataFrame({"last": last, "first": first}), person_key, pl.String())


def map_distinct(
    columns: pl.DataFrame, function: Callable[..., object], dtype: pl.DataType
) -> pl.Series:
    """``function(*row)`` for every row of ``columns``, in row order, computed once per
    distinct row: a list's names repeat a lot."""
    import polars as pl

    distinct = columns.unique()
    mapped = [function(*row) for row in distinct.iter_rows()]
    distinct = distinct.with_columns(pl.Series(_MAPPED, mapped, dtype=dtype))
    joined = columns.join(distinct, on=columns.columns, how="left", maintain_order="left")
    return joined.get_column(_MAPPED)


# Last and first names repeat a lot in a practice's lists, so each part's tokens are cached.
@lru_cache(maxsize=1 << 16)
def _last_tokens(last: str) -> tuple[str, ...]:
    tokens = _tokens(last)
    while len(tokens) > 1 and tokens[0] in TITLES:
        del tokens[0]  # "Dr. Smith"
    return (*tokens[:1], *(t for t in tokens[1:] if _is_name_token(t)))


@lru_cache(maxsize=1 << 16)
def _first_tokens(first: str) -> tuple[str, ...]:
    return tuple(t for t in _tokens(first) if _is_name_token(t))


def _is_name_token(token: str) -> bool:
    return len(token) > 1 and token not in _PERSON_NOISE


def org_key(name: str) -> str:
    """The comparable form of a payer or facility name."""
    tokens = _tokens(name)
    kept = [t for t in tokens if t not in COMPANY_SUFFIXES]
    return " ".join(sorted(kept or tokens))


def similarity(key_a: str, key_b: str) -> float:
    """How alike two keys are, 0-100 (100: the same name in another form)."""
    if key_a == key_b:
        return 100.0
    return float(fuzz.ratio(key_a, key_b))


def same_person(last_a: str, first_a: str, last_b: str, first_b: str) -> bool:
    """Whether two names are exactly the same name in another form (no fuzziness)."""
    if last_a == last_b and first_a == first_b:
        return True
    return person_key(last_a, first_a) == person_key(last_b, first_b)


class NameIndex:
    """The names of a set of records, searchable for the best match above a cut-off.

    Built only when a suggestion is needed: most checks never need one.
    """

    def __init__(self, keys: Sequence[str], names: Sequence[str]) -> None:
        self._keys = list(keys)
        self._names = list(names)

    def best(self, name_key: str, cutoff: float) -> tuple[str, float] | None:
        """The key of the record whose name matches ``name_key`` best, with its score."""
        if not name_key or not self._names:
            return None
        match = process.extractOne(
            name_key, self._names, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff
        )
        if match is None:
            return None
        _name, score, index = match
        return self._keys[index], float(score)

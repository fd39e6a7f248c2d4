"""Split a person's name written in one cell into (last, first), and show a person's name."""

from __future__ import annotations

from functools import lru_cache

from syncguard.normalize import clean_text

# Professional credentials that follow a clinician's name; they are not part of it.
_CREDENTIAL_LIST = """
    PT DPT MPT MSPT PTA OT OTR OTR/L OTD COTA COTA/L SLP CCC CCC-SLP SLP-CCC MD DO DC DPM NP PA
    PA-C FNP FNP-C APRN ARNP CRNP CNP RN DNP PHD ATC LAT CSCS OCS SCS NCS GCS PCS CHT LMT MS MA
    MBA MPH MSW LCSW MSC BS BSC FAAOMPT ESQ
"""
CREDENTIALS = frozenset(_CREDENTIAL_LIST.split())
# Generational suffixes stay with the last name ("Smith Jr"), as CMD's "Last, First" writes them.
SUFFIXES = frozenset({"JR", "SR", "II", "III", "IV"})
PREFIXES = frozenset({"DR", "MR", "MRS", "MS", "MISS", "PROF"})
# Lower-case particles that belong to the last name: "Ana de la Cruz" -> "de la Cruz".
PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le"}
)


def split_full_name(text: str) -> tuple[str, str]:
    """(last, first) of "Smith, Jane A" or "Jane Smith"; credentials and titles dropped."""
    head, comma, tail = text.partition(", ")
    if comma and head.isalpha() and tail.isalpha():
        return head, tail  # "Smith, Jane", the usual shape: nothing to tidy or drop
    parts = [part.strip() for part in clean_text(text).split(",")]
    parts = [part for part in parts if part]
    # "Smith, Jane, PT" / "Jane Smith, PT, DPT"; but in "Smith, Do", "Do" is the first name.
    while _trailing_credentials(parts):
        parts.pop()
    if len(parts) > 1:
        first = _strip_words(" ".join(parts[1:]).split(), keep=1)
        last = parts[0]
        if all(_token(word) in SUFFIXES for word in first[-1:]) and len(first) > 1:
            last, first = f"{last} {first[-1]}", first[:-1]  # "Smith, Jane, Jr"
        return last, " ".join(first)
    if not parts:
        return "", ""
    return _split_words(parts[0].split())


@lru_cache(maxsize=1 << 16)  # a large list repeats names; reports ask for each several times
def person_display(last: str, first: str) -> str:
    """A person as reports show one, "Smith, Jane"; just one part when the other is empty."""
    last, first = clean_text(last), clean_text(first)
    if last and first:
        return f"{last}, {first}"
    return last or first


def _split_words(words: list[str]) -> tuple[str, str]:
    """(last, first) of a name written first-name first: "Dr. Jane A. Smith Jr PT"."""
    while len(words) > 2 and _token(words[0]) in PREFIXES:
        words = words[1:]
    words = _strip_words(words, keep=2)
    if len(words) == 1:
        return words[0], ""
    end = len(words) - 1
    if _token(words[end]) in SUFFIXES and end > 1:
        end -= 1
    start = end
    while start > 1 and words[start - 1].islower() and words[start - 1] in PARTICLES:
        start -= 1
    return " ".join(words[start:]), " ".join(words[:start])


def _strip_words(words: list[str], *, keep: int) -> list[str]:
    """Drop trailing credentials, keeping at least ``keep`` words ("Jane Do" keeps "Do")."""
    while len(words) > keep and _token(words[-1]) in CREDENTIALS:
        words = words[:-1]
    return words


def _trailing_credentials(parts: list[str]) -> bool:
    if len(parts) < 2 or (len(parts) == 2 and " " not in parts[0]):
        return False
    return all(_token(word) in CREDENTIALS for word in parts[-1].split())


def _token(word: str) -> str:
    return word.replace(".", "").strip("()").upper()

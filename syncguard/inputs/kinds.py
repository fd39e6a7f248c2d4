"""The kinds of record syncguard knows, and the fields each source has for them.

This module is deliberately free of database imports: the CLI's ``--help`` and the config
validator use it, and they must start fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class IdKind(StrEnum):
    """How a field's cell is normalised (see ``syncguard.normalize``)."""

    SEQUENCE = "sequence"  # CMD Sequence Number: fixed width digits (8 by default)
    NPI = "npi"  # 10 digits, Luhn check over 80840 + first 9
    REV_CODE = "rev_code"  # UB-04 revenue code: 4 digits with a leading zero
    CODE = "code"  # other codes kept as text (CPID, POS, taxonomy, CPT)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of a record as a source file provides it."""

    name: str
    label: str
    id_kind: IdKind | None = None
    required: bool = False


@dataclass(frozen=True, slots=True)
class KindSpec:
    """A kind of registry record: its key field and the fields a CMD export provides."""

    name: str  # plural, as on the command line: "payers"
    entity: str  # singular, as in findings: "payer"
    model_name: str  # class in syncguard.models
    key: str
    fields: tuple[FieldSpec, ...]

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)


# A record's flag comes from an inactive column (Y = inactive) or an active one (Y = active),
# never both: ``FLAG_FIELDS`` are the two fields that may hold it.
FLAG_FIELDS = ("inactive", "active")

# Names may come as "last_name" + "first_name" or as one "full_name" column ("Last, First").
_NAME_FIELDS = (
    FieldSpec("last_name", "last name"),
    FieldSpec("first_name", "first name"),
    FieldSpec("full_name", "name (Last, First)"),
)

CMD_KINDS: dict[str, KindSpec] = {
    "payers": KindSpec(
        "payers",
        "payer",
        "Payer",
        "sequence",
        (
            FieldSpec("sequence", "sequence number", IdKind.SEQUENCE, required=True),
            FieldSpec("name", "payer name", required=True),
            FieldSpec("cpid", "electronic payer ID (CPID)", IdKind.CODE),
            FieldSpec("inactive", "inactive flag"),
            FieldSpec("active", "active flag"),
        ),
    ),
    "facilities": KindSpec(
        "facilities",
        "facility",
        "Facility",
        "sequence",
        (
            FieldSpec("sequence", "sequence number", IdKind.SEQUENCE, required=True),
            FieldSpec("name", "facility name", required=True),
            FieldSpec("npi", "NPI", IdKind.NPI),
            FieldSpec("pos", "place of service", IdKind.CODE),
            FieldSpec("inactive", "inactive flag"),
            FieldSpec("active", "active flag"),
        ),
    ),
    "providers": KindSpec(
        "providers",
        "provider",
        "RenderingProvider",
        "sequence",
        (
            FieldSpec("sequence", "sequence number", IdKind.SEQUENCE, required=True),
            *_NAME_FIELDS,
            FieldSpec("credentials", "credentials"),
            FieldSpec("npi", "NPI", IdKind.NPI),
            FieldSpec("taxonomy", "taxonomy code", IdKind.CODE),
            FieldSpec("inactive", "inactive flag"),
            FieldSpec("active", "active flag"),
        ),
    ),
    "referring": KindSpec(
        "referring",
        "referring",
        "ReferringProvider",
        "npi",
        (
            FieldSpec("npi", "NPI", IdKind.NPI, required=True),
            *_NAME_FIELDS,
            FieldSpec("sequence", "sequence number", IdKind.SEQUENCE),
            FieldSpec("inactive", "inactive flag"),
            FieldSpec("active", "active flag"),
        ),
    ),
    "procedures": KindSpec(
        "procedures",
        "procedure",
        "ProcedureCode",
        "code",
        (
            FieldSpec("code", "CPT/HCPCS code", IdKind.CODE, required=True),
            FieldSpec("rev_code", "revenue code", IdKind.REV_CODE),
            FieldSpec("description", "description"),
            FieldSpec("inactive", "inactive flag"),
            FieldSpec("active", "active flag"),
        ),
    ),
}

# What WebPT's reference lists provide. "Payer ID" in WebPT is the electronic payer ID, and the
# CMD sequence number lives in "Alternate ID".
WEBPT_KINDS: dict[str, tuple[FieldSpec, ...]] = {
    "payers": (
        FieldSpec("name", "payer name", required=True),
        FieldSpec("alternate_id", "Alternate ID", IdKind.SEQUENCE, required=True),
        FieldSpec("payer_id", "electronic payer ID", IdKind.CODE),
    ),
    "facilities": (
        FieldSpec("name", "facility name", required=True),
        FieldSpec("alternate_id", "Alternate ID", IdKind.SEQUENCE, required=True),
        FieldSpec("npi", "NPI", IdKind.NPI),
    ),
    "providers": (
        *_NAME_FIELDS,
        FieldSpec("credentials", "credentials"),
        FieldSpec("alternate_id", "Alternate ID", IdKind.SEQUENCE, required=True),
        FieldSpec("npi", "NPI", IdKind.NPI, required=True),
    ),
    "referring": (
        *_NAME_FIELDS,
        FieldSpec("npi", "NPI", IdKind.NPI, required=True),
    ),
}

KIND_NAMES = tuple(CMD_KINDS)
WEBPT_KIND_NAMES = tuple(WEBPT_KINDS)


def cmd_kind(name: str) -> KindSpec:
    """The CMD kind called ``name`` (plural or singular), or a ValueError listing the kinds."""
    for spec in CMD_KINDS.values():
        if name in (spec.name, spec.entity):
            return spec
    raise ValueError(f"unknown kind '{name}' (known: {', '.join(KIND_NAMES)})")

"""The header names each source is known to use for each field, most specific first.

Matching ignores case, spaces and punctuation (see ``columns.header_key``), so "Seq. #" covers
"SEQ #" and "seq#". Order matters: when a file has several candidate columns, the first alias
wins. A header name may serve two fields only where the kind makes it unambiguous: "Payer ID" is
the sequence number in a CMD payer report but the electronic payer ID in a WebPT payer list.
"""

from __future__ import annotations

_SEQUENCE = (
    "Sequence#",
    "Sequence #",
    "Seq. #",
    "Seq #",
    "Sequence Number",
    "Sequence No",
    "Sequence No.",
    "Seq No",
    "Seq Number",
    "SEQNO",
    "Sequence",
    "Seq",
    "CMD Sequence#",
    "CMD Sequence Number",
)
_ALTERNATE_ID = (
    "Alternate ID",
    "Alt ID",
    "AlternateID",
    "Alt. ID",
    "Alternate Identifier",
    "Alternate #",
    "Alt #",
    "CMD Sequence#",
    "CMD Sequence Number",
    "CMD ID",
)
# "Status" holds words ("Active" / "Inactive") that syncguard.inputs.flags reads in either polarity.
# An "Active" column is the ``active`` field: its Yes/No mean the opposite of "Inactive".
_INACTIVE = ("Inactive", "Is Inactive", "Inactive?", "Inactive Flag", "Deactivated", "Status")
_ACTIVE = ("Active", "Is Active", "Active?", "Active Flag", "Enabled")
_LAST = ("Last Name", "Last", "LastName", "Surname", "Family Name", "Provider Last Name")
_FIRST = ("First Name", "First", "FirstName", "Given Name", "Provider First Name")
_CREDENTIALS = ("Credentials", "Credential", "Degree", "Title", "Suffix/Credentials")
_INDIVIDUAL_NPI = ("NPI", "Individual NPI", "NPI Number", "NPI #", "Provider NPI")

_CMD = {
    "payers": {
        "sequence": (*_SEQUENCE, "Payer ID", "Payer Sequence#", "Payer Seq #"),
        "name": ("Payer Name", "Name", "Payer", "Insurance Name", "Insurance"),
        "cpid": ("CPID", "Electronic Payer ID", "Electronic ID", "EDI Payer ID", "Payer EDI ID"),
        "inactive": _INACTIVE,
        "active": _ACTIVE,
    },
    "facilities": {
        "sequence": (*_SEQUENCE, "Facility ID", "Facility Sequence#"),
        "name": ("Facility Name", "Name", "Facility", "Location", "Location Name"),
        "npi": ("NPI", "Facility NPI", "NPI Number", "Organization NPI", "Group NPI"),
        "pos": ("Place of Service", "POS", "POS Code", "Place of Service Code"),
        "inactive": _INACTIVE,
        "active": _ACTIVE,
    },
    "providers": {
        "sequence": (*_SEQUENCE, "Provider ID", "Provider Sequence#"),
        "last_name": _LAST,
        "first_name": _FIRST,
        "full_name": ("Name", "Provider Name", "Provider", "Rendering Provider", "Full Name"),
        "credentials": _CREDENTIALS,
        "npi": (*_INDIVIDUAL_NPI, "Rendering NPI", "Rendering Provider NPI"),
        "taxonomy": ("Taxonomy", "Taxonomy Code", "Specialty Taxonomy", "Provider Taxonomy"),
        "inactive": _INACTIVE,
        "active": _ACTIVE,
    },
    "referring": {
        "npi": (*_INDIVIDUAL_NPI, "Referring NPI", "Referring Provider NPI"),
        "last_name": _LAST,
        "first_name": _FIRST,
        "full_name": (
            "Name",
            "Referring Provider",
            "Referring Physician",
            "Referring Provider Name",
            "Physician Name",
            "Provider Name",
            "Full Name",
        ),
        "sequence": (*_SEQUENCE, "Referring Provider ID"),
        "inactive": _INACTIVE,
        "active": _ACTIVE,
    },
    "procedures": {
        "code": ("CPT Code", "CPT", "Procedure Code", "HCPCS", "CPT/HCPCS", "Code", "Procedure"),
        "rev_code": ("Rev Code", "Revenue Code", "Rev. Code", "Default Rev Code", "RevCode"),
        "description": ("Description", "Procedure Description", "Short Description", "Desc"),
        "inactive": _INACTIVE,
        "active": _ACTIVE,
    },
}

_WEBPT = {
    "payers": {
        "name": ("Payer Name", "Name", "Payer", "Insurance Name", "Insurance"),
        "alternate_id": _ALTERNATE_ID,
        "payer_id": ("Payer ID", "Electronic Payer ID", "Payer ID #", "EDI Payer ID", "CPID"),
    },
    "facilities": {
        "name": ("Facility Name", "Name", "Facility", "Clinic Name", "Clinic", "Location"),
        "alternate_id": _ALTERNATE_ID,
        "npi": ("NPI", "Facility NPI", "NPI Number", "Organization NPI", "Group NPI"),
    },
    "providers": {
        "last_name": _LAST,
        "first_name": _FIRST,
        "full_name": ("Name", "Provider Name", "Therapist Name", "Therapist", "Full Name"),
        "credentials": _CREDENTIALS,
        "alternate_id": _ALTERNATE_ID,
        "npi": (*_INDIVIDUAL_NPI, "Rendering NPI", "Therapist NPI"),
    },
    "referring": {
        "last_name": _LAST,
        "first_name": _FIRST,
        "full_name": (
            "Name",
            "Referring Physician",
            "Referring Provider",
            "Physician Name",
            "Physician",
            "Doctor",
            "Full Name",
        ),
        "npi": (*_INDIVIDUAL_NPI, "Referring NPI", "Physician NPI"),
    },
}

ALIASES: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {"cmd": _CMD, "webpt": _WEBPT}

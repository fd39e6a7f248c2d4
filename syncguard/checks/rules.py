"""Every rule ``syncguard check`` applies, registered once in ``RULES`` (the contract of issue 3).

Payers, facilities and rendering providers share one family of Alternate ID rules (001 missing,
002 malformed, 101 unknown, 102 inactive, 201 name mismatch, 202 shared, 301 not in WebPT), so
the family is written once and filled in per entity: what differs is what breaks downstream.
"""

from __future__ import annotations

from dataclasses import dataclass

from syncguard.checks.catalogue import Catalogue, Rule
from syncguard.findings import Severity

ANY_ENTITY = "any"
CHECK_AREAS = ("EXP", "NPI", "PAY", "FAC", "REN", "REF")
# The one catalogue every command registers into (``syncguard balance`` adds its VIS rules when
# its module is imported); codes are never reused across commands.
RULES = Catalogue()

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def _rule(code: str, name: str, severity: Severity, entity: str, **docs: str) -> None:
    RULES.register(Rule(code, name, severity, entity, **docs))


# --- Export-level rules: the cells themselves, whatever the list --------------------------------

_rule(
    "EXP101",
    "damaged-value",
    ERROR,
    ANY_ENTITY,
    summary="An Alternate ID or NPI cell is damaged beyond safe repair; the reason is given.",
    why="A spreadsheet round trip turned the identifier into something else: E-notation "
    "(1.00233E+07), more than 15 significant digits, or a number cell that lost its leading "
    "zeros. The digits that were lost cannot be recovered, and guessing them would point the "
    "interface at the wrong CMD record. The export must be fixed, not the comparison.",
    example="WebPT payer 'Aetna PPO' has Alternate ID `1.00233E+07`.",
    fix="Re-export the list from WebPT with the column formatted as Text (or open the CSV "
    "without letting the spreadsheet convert it), then check again. If WebPT itself holds the "
    "damaged value, type the CMD Sequence Number (or NPI) into WebPT again.",
)
_rule(
    "EXP102",
    "repaired-value",
    WARNING,
    ANY_ENTITY,
    summary="An Alternate ID or NPI cell needed repair; the check used the repaired value.",
    why="Stray spaces, non-breaking or zero-width spaces, a leading apostrophe, a trailing '.0' "
    "or dashes inside an NPI are harmless to a person but not to an interface that matches "
    "exact text. If WebPT stores the decorated value, the interface may fail to find the record.",
    example="WebPT referring provider 'Smith, Jane' has NPI `1234-567-893`.",
    fix="Open the record in WebPT and retype the value without the decoration (the finding "
    "shows the repaired value). If only the exported file was decorated, no change is needed.",
)
_rule(
    "EXP201",
    "duplicate-row",
    WARNING,
    ANY_ENTITY,
    summary="The same record (same name and same ID) appears more than once in one export.",
    why="Two identical entries make the admins pick either when they enter visits; a later "
    "correction to one leaves the other wrong, and the export no longer tells which is in use.",
    example="'Aetna PPO' with Alternate ID 10023344 appears on rows 2 and 9.",
    fix="In WebPT, merge or inactivate the duplicate entry so one record remains.",
)

# --- NPI validity (CMS: ten digits, Luhn check over 80840 + the first nine) ---------------------

_rule(
    "NPI001",
    "npi-malformed",
    ERROR,
    ANY_ENTITY,
    summary="An NPI that is not ten digits.",
    why="Every NPI is exactly ten digits. A shorter, longer or non-numeric value cannot identify "
    "a provider: claims carrying it are rejected by the clearinghouse, and the interface cannot "
    "match the provider to CMD.",
    example="WebPT provider 'Lee, Ann' has NPI `123456789` (nine digits).",
    fix="Look the provider up in the NPPES NPI Registry and enter the ten-digit NPI in WebPT.",
)
_rule(
    "NPI002",
    "npi-check-digit",
    ERROR,
    ANY_ENTITY,
    summary="An NPI whose check digit is wrong (a typo in one of its digits).",
    why="The last digit of an NPI is a Luhn check digit computed over 80840 plus the first nine "
    "digits. A wrong check digit means a digit was mistyped or swapped, so the number names no "
    "provider (or another one); payers reject the claim.",
    example="WebPT referring provider 'Smith, Jane' has NPI `1234567890` (1234567893 is valid).",
    fix="Look the provider up in the NPPES NPI Registry and correct the NPI in WebPT.",
)


# --- The Alternate ID family: payers (PAY), facilities (FAC), rendering providers (REN) ---------


@dataclass(frozen=True, slots=True)
class _Entity:
    area: str
    entity: str  # as in findings: payer, facility, provider
    word: str  # as in rule names: payer, facility, provider
    menu: str  # where the record lives in WebPT
    example_name: str
    cmd_example_name: str
    other_name: str  # another record of the same kind, for the mismatch and shared examples
    breaks: str  # what the interface does with a wrong or missing Alternate ID
    shared_severity: Severity
    shared_why: str


_ENTITIES = (
    _Entity(
        "PAY",
        "payer",
        "payer",
        "Payers",
        "Aetna PPO",
        "AETNA PPO",
        "Aetna Open Access",
        breaks="the interface cannot tell which CMD payer a patient's insurance belongs to: the "
        "charge lands in the interface's Error list and no claim is created, or the claim is "
        "billed to the wrong payer",
        shared_severity=INFO,
        shared_why="Several WebPT payers can legitimately bill through one CMD payer (plans of "
        "one insurer, for example), so this is information: confirm it is intended, because "
        "when it is not, one of the WebPT payers bills the wrong insurer.",
    ),
    _Entity(
        "FAC",
        "facility",
        "facility",
        "Facilities",
        "Northside Clinic",
        "NORTHSIDE CLINIC",
        "Eastside Clinic",
        breaks="the interface cannot tell which CMD facility (service location) a visit "
        "happened at: the claim carries the wrong location, place of service or facility NPI, "
        "or none",
        shared_severity=INFO,
        shared_why="Two WebPT facilities can share one CMD service location, so this is "
        "information: confirm it is intended, because when it is not, the visits of one "
        "facility are billed under the other's address and NPI.",
    ),
    _Entity(
        "REN",
        "provider",
        "provider",
        "Providers",
        "Lee, Ann",
        "LEE, ANN",
        "Park, David",
        breaks="the interface cannot locate the rendering provider ('Unable to locate "
        "provider'): the charge stays in Error and creates no claim until it is fixed and "
        "resubmitted, and resubmitting risks a duplicate claim",
        shared_severity=WARNING,
        shared_why="Each therapist must be one CMD rendering provider. When two WebPT providers "
        "point at one CMD provider, the visits of one are billed under the other's name and "
        "NPI, which is a billing compliance problem.",
    ),
)


def _register_family(e: _Entity) -> None:
    seq = "the CMD Sequence Number"
    where = f"In WebPT > {e.menu} > '{e.example_name}'"
    _rule(
        f"{e.area}001",
        f"{e.word}-alternate-id-missing",
        ERROR,
        e.entity,
        summary=f"A WebPT {e.entity} has no Alternate ID.",
        why=f"The interface finds CMD records by {seq} that WebPT keeps in the Alternate ID. "
        f"Without it, {e.breaks}.",
        example=f"WebPT {e.entity} '{e.example_name}' has an empty Alternate ID; CMD has "
        f"{e.entity} 10023344 '{e.cmd_example_name}'.",
        fix=f"{where}, set Alternate ID to {seq} of the matching CMD {e.entity} (syncguard "
        "proposes one when a CMD name matches well). Create it in CMD first if it is missing.",
    )
    _rule(
        f"{e.area}002",
        f"{e.word}-alternate-id-malformed",
        ERROR,
        e.entity,
        summary="The Alternate ID is not a CMD Sequence Number (default: 8 digits; configurable "
        "with [ids] sequence_width / sequence_pattern).",
        why=f"A value of the wrong shape cannot be a CMD Sequence Number, typically the "
        f"electronic payer ID, an old system's code or a typo was entered. Then {e.breaks}.",
        example=f"WebPT {e.entity} '{e.example_name}' has Alternate ID `60054` (five digits).",
        fix=f'{where}, replace the Alternate ID with {seq} shown in CMD ("Sequence#").',
    )
    _rule(
        f"{e.area}101",
        f"{e.word}-alternate-id-unknown",
        ERROR,
        e.entity,
        summary=f"No CMD {e.entity} has that Sequence Number. If a record of another kind has "
        "it, the finding says so: the wrong number was copied.",
        why=f"The Alternate ID points at nothing in CMD, so {e.breaks}. A number that belongs "
        "to another kind of CMD record was copied from the wrong screen.",
        example=f"WebPT {e.entity} '{e.example_name}' has Alternate ID 10099999; no CMD "
        f"{e.entity} has it.",
        fix=f"{where}, set Alternate ID to {seq} of the matching CMD {e.entity} (proposed when "
        "a CMD name matches well), or create the record in CMD and copy its number.",
    )
    _rule(
        f"{e.area}102",
        f"{e.word}-inactive-in-cmd",
        WARNING,
        e.entity,
        summary=f"The Alternate ID points at a CMD {e.entity} marked inactive.",
        why=f"CMD keeps inactive records for history, but new charges should not use them: "
        f"WebPT still sends visits against a {e.entity} the billing team has retired.",
        example=f"WebPT {e.entity} '{e.example_name}' has Alternate ID 10023344; CMD "
        f"{e.entity} 10023344 is inactive.",
        fix=f"{where}, point the Alternate ID at the active CMD {e.entity} that replaced it, or "
        f"reactivate the {e.entity} in CMD if it is still in use.",
    )
    _rule(
        f"{e.area}201",
        f"{e.word}-name-mismatch",
        WARNING,
        e.entity,
        summary=f"The WebPT name and the name of the CMD {e.entity} its Alternate ID points at "
        "are not similar enough (threshold: [check] name_threshold).",
        why="Case, punctuation, spacing, '&' / 'and', company suffixes, credentials and middle "
        "initials are ignored, so a remaining difference usually means the Alternate ID was "
        f"copied from another {e.entity}: {e.breaks}.",
        example=f"WebPT {e.entity} '{e.example_name}' has Alternate ID 10023344, which is CMD "
        f"{e.entity} '{e.other_name.upper()}'.",
        fix=f"{where}, check the Alternate ID: correct it if it names another {e.entity}, or "
        "rename the record in one system so both names agree.",
    )
    _rule(
        f"{e.area}202",
        f"{e.word}-alternate-id-shared",
        e.shared_severity,
        e.entity,
        summary=f"Several WebPT {e.menu.lower()} whose names agree with one CMD {e.entity} "
        "point at it (a row with another name is a name mismatch instead).",
        why=e.shared_why,
        example=f"WebPT {e.menu.lower()} '{e.example_name}' and '{e.other_name}' both have "
        "Alternate ID 10023344.",
        fix=f"In WebPT > {e.menu}, give each {e.entity} the Sequence Number of its own CMD "
        f"{e.entity}, or merge the WebPT entries if they are the same.",
    )
    _rule(
        f"{e.area}301",
        f"{e.word}-missing-in-webpt",
        INFO,
        e.entity,
        summary=f"An active CMD {e.entity} that no WebPT {e.entity} points at.",
        why=f"Either WebPT lacks the {e.entity}, so visits for it cannot be entered correctly, "
        f"or CMD keeps a {e.entity} active that is no longer used. Coverage findings carry the "
        "CMD Sequence Number instead of a row.",
        example=f"CMD {e.entity} 10023344 '{e.cmd_example_name}' is active; no WebPT "
        f"{e.entity} has Alternate ID 10023344.",
        fix=f"Add the {e.entity} in WebPT > {e.menu} with its Sequence Number as Alternate ID, "
        f"or mark it inactive in CMD if it is no longer used.",
    )


for _entity in _ENTITIES:
    _register_family(_entity)

_rule(
    "FAC401",
    "facility-npi-mismatch",
    ERROR,
    "facility",
    summary="Both systems have an NPI for the facility and they differ.",
    why="The facility NPI goes on the claim as the service location (box 32a / loop 2310C). If "
    "WebPT and CMD disagree, one of them is wrong, and payers deny claims whose location NPI does "
    "not match their enrollment.",
    example="WebPT facility 'Northside Clinic' has NPI 1245319599; CMD facility 10000001 has "
    "1184763013.",
    fix="Find the facility's organisation NPI in NPPES and correct the wrong system (WebPT > "
    "Facilities, or the facility in CMD).",
)
_rule(
    "REN401",
    "provider-npi-mismatch",
    ERROR,
    "provider",
    summary="The WebPT provider's NPI differs from the NPI of the CMD provider its Alternate ID "
    "points at.",
    why="CMD's interface rules require a rendering provider's NPI to match in both systems. "
    "When it does not, the Alternate ID points at the wrong therapist or an NPI was mistyped: "
    "claims go out under the wrong rendering NPI or are rejected.",
    example="WebPT provider 'Lee, Ann' has NPI 1234567893 and Alternate ID 10000042; CMD "
    "provider 10000042 has NPI 1245319599.",
    fix="Check the therapist in NPPES, then correct the NPI (or the Alternate ID) in WebPT > "
    "Providers, or the NPI of the provider in CMD.",
)
_rule(
    "REN402",
    "provider-npi-missing",
    ERROR,
    "provider",
    summary="A WebPT rendering provider has no NPI.",
    why="The interface requires the rendering provider's NPI to match CMD's; an empty NPI can "
    "never match, and claims need the rendering NPI.",
    example="WebPT provider 'Lee, Ann' has an empty NPI.",
    fix="In WebPT > Providers > the provider, enter the therapist's NPI (the one CMD has).",
)

# --- Referring providers: matched by NPI -------------------------------------------------------

_rule(
    "REF001",
    "referring-npi-missing",
    ERROR,
    "referring",
    summary="A WebPT referring provider has no NPI.",
    why="The interface matches referring providers by NPI only. Without one, the referral on "
    "the claim cannot be matched and payers that require a referring NPI deny the claim.",
    example="WebPT referring provider 'Smith, Jane' has an empty NPI.",
    fix="Look the physician up in the NPPES NPI Registry and enter the NPI in WebPT > Referring "
    "Providers; add the provider in CMD with the same NPI if it is not there.",
)
_rule(
    "REF101",
    "referring-npi-not-in-cmd",
    ERROR,
    "referring",
    summary="No CMD referring provider has that NPI. If CMD has the same name under another NPI, "
    "the finding says which.",
    why="Referring providers must exist in both systems with the same NPI. Charges referencing "
    "an NPI CMD does not know stop in the interface, or go out without the referral.",
    example="WebPT referring provider 'Smith, Jane' has NPI 1234567893; CMD has no such NPI but "
    "has 'SMITH, JANE' under 1245319599.",
    fix="Add the provider in CMD with this NPI (CMD can add it straight from NPPES), or correct "
    "the NPI in WebPT > Referring Providers if CMD's is the right one.",
)
_rule(
    "REF102",
    "referring-inactive-in-cmd",
    WARNING,
    "referring",
    summary="The NPI belongs to a CMD referring provider marked inactive.",
    why="WebPT still refers patients from a provider the billing team retired in CMD, so the "
    "referral on new claims uses an inactive record.",
    example="WebPT referring provider 'Smith, Jane' has NPI 1234567893; CMD's provider with that "
    "NPI is inactive.",
    fix="Reactivate the referring provider in CMD if the physician still refers, or inactivate "
    "the provider in WebPT.",
)
_rule(
    "REF201",
    "referring-name-mismatch",
    WARNING,
    "referring",
    summary="Same NPI in both systems, but the names are not similar enough.",
    why="Case, punctuation, 'Last, First' against separate columns, middle initials, credentials "
    "and suffixes are ignored, so a remaining difference usually means the NPI was typed on the "
    "wrong provider: referrals are billed under another physician.",
    example="WebPT 'Smith, Jane' and CMD 'DOE, JOHN' both carry NPI 1234567893.",
    fix="Check the NPI in NPPES, then correct it on the wrong record (WebPT > Referring "
    "Providers, or CMD).",
)
_rule(
    "REF202",
    "referring-npi-shared",
    WARNING,
    "referring",
    summary="Different WebPT referring providers carry one NPI.",
    why="An NPI identifies one person. When two WebPT referring providers share it, at least one "
    "of them carries someone else's NPI, and its referrals are billed under the wrong physician.",
    example="WebPT 'Smith, Jane' (row 4) and 'Doe, John' (row 9) both have NPI 1234567893.",
    fix="Look both up in NPPES and correct the wrong NPI in WebPT > Referring Providers.",
)
_rule(
    "REF301",
    "referring-missing-in-webpt",
    INFO,
    "referring",
    summary="An active CMD referring provider absent from the WebPT list.",
    why="Referring providers must exist in both systems. A physician CMD knows but WebPT does not "
    "cannot be chosen on a WebPT case, or CMD keeps someone active who no longer refers.",
    example="CMD referring provider 1234567893 'SMITH, JANE' is active; no WebPT referring "
    "provider has that NPI.",
    fix="Add the provider in WebPT > Referring Providers with this NPI, or inactivate it in CMD "
    "if the physician no longer refers.",
)


def check_rules() -> Catalogue:
    """The rules ``syncguard check`` applies (the catalogue may also hold other commands')."""
    catalogue = Catalogue()
    for rule in RULES:
        if rule.area in CHECK_AREAS:
            catalogue.register(rule)
    return catalogue


def all_rules() -> Catalogue:
    """The whole catalogue, with the rules of every command registered."""
    import syncguard.balance.rules  # noqa: F401  (registers the VIS rules on import)

    return RULES

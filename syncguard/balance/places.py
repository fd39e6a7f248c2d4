"""Join WebPT locations to RevFlow places of service through ``[balance.locations]``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from syncguard.balance.values import identifier
from syncguard.errors import InputError

_SHOWN = 5


def location_key(name: str) -> str:
    """A location as typed in the config or the report: case and spacing do not matter."""
    return " ".join(name.split()).casefold()


def place_of_service_map(
    locations: Iterable[str],
    configured: Mapping[str, str],
    known_places: Iterable[str],
    *,
    file_name: str,
) -> dict[str, str]:
    """Each WebPT location -> its place of service; an unmapped location is an InputError.

    A location that already is a place of service (the same text as one in the billing
    file) needs no entry in the config.
    """
    table = {location_key(name): identifier(place) for name, place in configured.items()}
    known = set(known_places) | set(table.values())
    mapped: dict[str, str] = {}
    unmapped: list[str] = []
    for location in sorted(set(locations)):
        place = table.get(location_key(location))
        if place is None and identifier(location) in known:
            place = identifier(location)
        if place is None:
            unmapped.append(location)
        else:
            mapped[location] = place
    if unmapped:
        raise _unmapped(unmapped, sorted(known), file_name)
    return mapped


def _unmapped(unmapped: list[str], known: list[str], file_name: str) -> InputError:
    names = ", ".join(f'"{name}"' for name in unmapped[:_SHOWN])
    more = f" and {len(unmapped) - _SHOWN} more" if len(unmapped) > _SHOWN else ""
    noun = "location has" if len(unmapped) == 1 else "locations have"
    places = ", ".join(known[:10]) if known else "none found"
    example = f'"{unmapped[0]}" = "{known[0] if known else "11"}"'
    return InputError(
        f"{file_name}: WebPT {noun} no place of service: {names}{more}",
        hint=f"map each under [balance.locations] in the config, e.g. {example}; "
        f"places of service in the billing inputs: {places}",
    )

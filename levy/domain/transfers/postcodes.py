"""The county's districts and the (approximate) postcode districts that fall in them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from levy.domain.transfers.errors import TransferError

WORCESTER = "Worcester"
WYCHAVON = "Wychavon"
MALVERN_HILLS = "Malvern Hills"
WYRE_FOREST = "Wyre Forest"
BROMSGROVE = "Bromsgrove"
REDDITCH = "Redditch"
COUNTY_DISTRICTS = (WORCESTER, WYCHAVON, MALVERN_HILLS, WYRE_FOREST, BROMSGROVE, REDDITCH)


@dataclass(frozen=True)
class PostcodeArea:
    district: str
    partial: bool = False  # the postcode district also reaches outside the county


# APPROXIMATE mapping, compiled from public knowledge of Royal Mail postcode districts
# and Worcestershire's six local authority districts; each outward code goes to the
# county district holding most of it. ``partial`` marks codes that straddle the county
# boundary, where an officer should confirm the address (and may override with a reason).
# This is configuration: the council can replace it.
DEFAULT_POSTCODE_AREAS: Mapping[str, PostcodeArea] = {
    # Worcester city and surroundings
    "WR1": PostcodeArea(WORCESTER),
    "WR2": PostcodeArea(WORCESTER),
    "WR3": PostcodeArea(WORCESTER),
    "WR4": PostcodeArea(WORCESTER),
    "WR5": PostcodeArea(WORCESTER),
    # Malvern Hills: Martley, Upton-upon-Severn, Colwall side, Malvern, Tenbury
    "WR6": PostcodeArea(MALVERN_HILLS),
    "WR8": PostcodeArea(MALVERN_HILLS),
    "WR13": PostcodeArea(MALVERN_HILLS, partial=True),
    "WR14": PostcodeArea(MALVERN_HILLS),
    "WR15": PostcodeArea(MALVERN_HILLS, partial=True),
    # Wychavon: Inkberrow, Droitwich, Pershore, Evesham, Broadway
    "WR7": PostcodeArea(WYCHAVON),
    "WR9": PostcodeArea(WYCHAVON),
    "WR10": PostcodeArea(WYCHAVON),
    "WR11": PostcodeArea(WYCHAVON, partial=True),
    "WR12": PostcodeArea(WYCHAVON, partial=True),
    "GL20": PostcodeArea(WYCHAVON, partial=True),
    # Wyre Forest: Kidderminster, Bewdley, Stourport
    "DY10": PostcodeArea(WYRE_FOREST),
    "DY11": PostcodeArea(WYRE_FOREST),
    "DY12": PostcodeArea(WYRE_FOREST, partial=True),
    "DY13": PostcodeArea(WYRE_FOREST),
    "DY14": PostcodeArea(WYRE_FOREST, partial=True),
    # Bromsgrove: Bromsgrove town, Catshill, Wythall, Alvechurch, Hagley, Rubery
    "B60": PostcodeArea(BROMSGROVE),
    "B61": PostcodeArea(BROMSGROVE),
    "B45": PostcodeArea(BROMSGROVE, partial=True),
    "B47": PostcodeArea(BROMSGROVE, partial=True),
    "B48": PostcodeArea(BROMSGROVE),
    "DY9": PostcodeArea(BROMSGROVE, partial=True),
    # Redditch
    "B97": PostcodeArea(REDDITCH),
    "B98": PostcodeArea(REDDITCH),
    "B96": PostcodeArea(REDDITCH, partial=True),
}

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)\s*([0-9][A-Z]{2})$")


class PostcodeError(TransferError):
    """Text that is not a UK postcode."""


def normalise_postcode(text: str) -> str:
    """``wr1 2ab`` to ``WR1 2AB``; raises ``PostcodeError`` for anything else."""
    cleaned = re.sub(r"\s+", "", str(text or "")).upper()
    match = _POSTCODE.match(cleaned)
    if not match:
        raise PostcodeError(f"'{text}' is not a UK postcode, like WR5 2NP")
    return f"{match.group(1)} {match.group(2)}"


@dataclass(frozen=True)
class DistrictMatch:
    postcode: str
    outward: str
    district: str | None  # None: outside the county
    partial: bool = False

    @property
    def in_county(self) -> bool:
        return self.district is not None


def postcode_district(
    postcode: str, areas: Mapping[str, PostcodeArea] = DEFAULT_POSTCODE_AREAS
) -> DistrictMatch:
    """Which of the county's districts a postcode falls in (or none)."""
    full = normalise_postcode(postcode)
    outward = full.split(" ")[0]
    area = areas.get(outward)
    if area is None:
        return DistrictMatch(full, outward, None)
    return DistrictMatch(full, outward, area.district, area.partial)

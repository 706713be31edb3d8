"""The shared directory: places, organisations, people, networks and memberships.

- places: `Country` (ISO 3166, UN M49 regions), `LocalGovernment` and the `LocalGovernmentName`s it is
  known by in every language (what name search looks in), and the `LocalisedPlaceName` a reader
  of each interface language is shown;
- people: `Organisation`, `Person`, the `Position`s they hold, their `Expertise`, and the `Consent`
  they gave to be listed as experts or to have their contact details shown;
- networks: `Network` and sub-networks, `Membership` with its `MembershipStatusChange` log, and the
  `Mentoring` of a new member by a mentor city;
- imports: a `MemberImport` of a member list, its `MemberImportRow`s, and the `ImportColumns` a
  network's lists use.
"""

from municipia.directory.models.imports import (
    ImportColumns,
    MemberField,
    MemberImport,
    MemberImportRow,
)
from municipia.directory.models.networks import (
    Membership,
    MembershipQuerySet,
    MembershipStatusChange,
    Mentoring,
    Network,
    NetworkQuerySet,
)
from municipia.directory.models.people import (
    Consent,
    Expertise,
    Organisation,
    Person,
    PersonQuerySet,
    Position,
)
from municipia.directory.models.places import (
    Country,
    LocalGovernment,
    LocalGovernmentName,
    LocalGovernmentQuerySet,
    LocalisedPlaceName,
    normalise_name,
    places_named,
    region_name,
)

__all__ = [
    "Consent",
    "Country",
    "Expertise",
    "ImportColumns",
    "LocalGovernment",
    "LocalGovernmentName",
    "LocalGovernmentQuerySet",
    "LocalisedPlaceName",
    "MemberField",
    "MemberImport",
    "MemberImportRow",
    "Membership",
    "MembershipQuerySet",
    "MembershipStatusChange",
    "Mentoring",
    "Network",
    "NetworkQuerySet",
    "Organisation",
    "Person",
    "PersonQuerySet",
    "Position",
    "normalise_name",
    "places_named",
    "region_name",
]

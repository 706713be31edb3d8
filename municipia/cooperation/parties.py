"""Rows that name one party of the directory: a project's partner or co-funder, a party to an
agreement."""

from django.db import models
from django.db.models import Q

# A row that names one party (a partner, a co-funder, a party to an agreement) names either a local
# government or an organisation of the directory, never both.
ONE_PARTY = (Q(local_government__isnull=False) & Q(organisation__isnull=True)) | (
    Q(local_government__isnull=True) & Q(organisation__isnull=False)
)


def party_constraints(owner: str, *, one: str, city_once: str, organisation_once: str) -> list:
    """One party per row, and each local government or organisation once per `owner`."""
    return [
        models.CheckConstraint(condition=ONE_PARTY, name=one),
        models.UniqueConstraint(
            fields=[owner, "local_government"],
            condition=Q(local_government__isnull=False),
            name=city_once,
        ),
        models.UniqueConstraint(
            fields=[owner, "organisation"],
            condition=Q(organisation__isnull=False),
            name=organisation_once,
        ),
    ]


class PartyMixin:
    """`party` and its `country` for a row with a `local_government` or an `organisation`."""

    @property
    def party(self):
        return self.local_government or self.organisation

    @property
    def country(self):
        party = self.party
        return party.country if party and party.country_id else None

"""Who may see and do what with questionnaires, asked alike by pages, the API and the admin.

- A questionnaire is built, sent and read (its results) by the staff of its network and by
  superusers; results never reach another network's staff.
- Individual answers of a non-anonymous questionnaire reach only its network's staff. Those of an
  anonymous one reach no one: they are not tied to anyone.
- Anyone holding a personal link may answer once; anyone with the public link, when staff allow it.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from municipia.accounts.models import Role
from municipia.accounts.permissions import (
    can_manage_network,
    is_network_staff,
    is_superuser,
    network_ids_with_role,
)
from municipia.surveys.models import Questionnaire


def can_manage_questionnaire(user, questionnaire: Questionnaire) -> bool:
    return user.is_authenticated and can_manage_network(user, questionnaire.network)


def can_see_individual_answers(user, questionnaire: Questionnaire) -> bool:
    return (
        not questionnaire.anonymous
        and user.is_authenticated
        and is_network_staff(user, questionnaire.network)
    )


def managed_questionnaires(user):
    if is_superuser(user):
        return Questionnaire.objects.all()
    return Questionnaire.objects.for_networks(network_ids_with_role(user, Role.Kind.NETWORK_STAFF))


def networks_managed(user):
    from municipia.directory.models import Network

    if is_superuser(user):
        return Network.objects.all()
    return Network.objects.filter(pk__in=network_ids_with_role(user, Role.Kind.NETWORK_STAFF))


def get_questionnaire_for_management(user, pk: int) -> Questionnaire:
    questionnaire = get_object_or_404(Questionnaire.objects.select_related("network"), pk=pk)
    if not can_manage_questionnaire(user, questionnaire):
        raise Http404
    return questionnaire


def get_public_questionnaire(key: str) -> Questionnaire:
    questionnaire = get_object_or_404(
        Questionnaire.objects.select_related("network"), public_key=key
    )
    if not questionnaire.public or questionnaire.is_template:
        raise Http404
    return questionnaire

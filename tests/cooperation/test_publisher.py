"""The network's IATI publisher setting, set by its staff and read by the open-data files."""

import pytest
from django.test import Client
from django.urls import reverse

from municipia.cooperation.models import IatiPublisher
from municipia.cooperation.services import CooperationError, set_iati_publisher

pytestmark = pytest.mark.django_db


def _xml(network) -> str:
    response = Client().get(reverse("cooperation:iati", args=[network.slug, "xml"]))
    return b"".join(response.streaming_content).decode()


def test_staff_set_the_reporting_organisation_and_the_files_name_it(
    project, network, network_staff
):
    client = Client()
    client.force_login(network_staff)
    before = _xml(network)

    response = client.post(
        reverse("cooperation:iati-publisher", args=[network.slug]),
        {"reporting_org_ref": "XM-DAC-41114", "reporting_org_type": "40"},
    )
    after = _xml(network)

    assert response.status_code == 302
    assert f'ref="XM-MUNICIPIA-{network.slug}" type="21"' in before
    assert '<reporting-org ref="XM-DAC-41114" type="40">' in after
    assert f"<iati-identifier>XM-DAC-41114-{project.code}</iati-identifier>" in after


@pytest.mark.parametrize("ref", ["", "41114", "XM DAC 41114", "xm-dac-41114", "XM-DAC-411/14"])
def test_an_identifier_of_the_wrong_shape_is_refused_and_nothing_written(
    network, network_staff, ref
):
    client = Client()
    client.force_login(network_staff)

    response = client.post(
        reverse("cooperation:iati-publisher", args=[network.slug]),
        {"reporting_org_ref": ref, "reporting_org_type": "21"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not IatiPublisher.objects.exists()


def test_two_networks_cannot_publish_as_the_same_organisation(network, other_network):
    set_iati_publisher(network, reporting_org_ref="XI-IATI-EXAMPLE", reporting_org_type="21")

    with pytest.raises(CooperationError, match="already publishes"):
        set_iati_publisher(
            other_network, reporting_org_ref="XI-IATI-EXAMPLE", reporting_org_type="21"
        )

    assert IatiPublisher.objects.get().network == network


def test_the_service_refuses_a_bad_identifier_from_any_interface(network):
    with pytest.raises(CooperationError, match="not an IATI organisation identifier"):
        set_iati_publisher(network, reporting_org_ref="GB COH", reporting_org_type="21")

    assert not IatiPublisher.objects.exists()

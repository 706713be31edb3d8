"""The agreements API refuses an absurd year with a 400 rather than failing in the database."""

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/cooperation/agreements/"


@pytest.mark.parametrize("year", ["-5.366913842563369e+212", "99999999999", "2020.5", "1800"])
def test_a_year_out_of_range_or_not_whole_is_refused(client, year):
    response = client.get(URL, {"year": year})
    assert response.status_code == 400, response.content


def test_a_plain_year_filters(client):
    assert client.get(URL, {"year": "2024"}).status_code == 200

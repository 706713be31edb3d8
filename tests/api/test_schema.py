import re

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_schema_is_a_valid_openapi_3_document(client, tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    document = response.json()
    assert response.status_code == 200
    assert document["openapi"].startswith("3.")
    assert "/api/v1/networks/" in document["paths"]
    assert (
        yaml.safe_load((tmp_path / "schema.yaml").read_text())["info"]["title"] == "Municipia API"
    )


def test_swagger_ui_loads_only_local_assets(client):
    response = client.get("/api/docs/")

    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert response.status_code == 200
    assert assets, "the page should load Swagger UI's scripts and styles"
    assert [a for a in assets if a.startswith(("http:", "https:", "//"))] == []


def test_api_root_redirects_to_the_documentation(client):
    response = client.get("/api/")

    assert (response.status_code, response["Location"]) == (302, "/api/docs/")

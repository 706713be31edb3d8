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


@pytest.fixture(scope="module")
def document(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def _component(document, ref):
    return document["components"]["schemas"][ref["$ref"].rsplit("/", 1)[-1]]


def _operations(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_search_is_documented_as_a_page_whose_facets_are_an_object(document):
    from municipia.search.services import FACETS

    answer = document["paths"]["/api/v1/search/"]["get"]["responses"]["200"]
    page = _component(document, answer["content"]["application/json"]["schema"])
    facets = _component(document, page["properties"]["facets"])

    assert page["type"] == "object"
    assert {"query", "total", "page", "pages", "results", "facets"} <= set(page["properties"])
    assert facets["type"] == "object"
    assert set(facets["properties"]) == set(FACETS)
    assert {f["type"] for f in facets["properties"].values()} == {"array"}


def test_search_answers_what_is_documented(client):
    from municipia.search.services import FACETS

    body = client.get("/api/v1/search/", {"q": "water"}).json()

    assert isinstance(body["facets"], dict)
    assert set(body["facets"]) == set(FACETS)
    assert isinstance(body["results"], list)


@pytest.mark.parametrize(
    ("component", "field"),
    [
        ("Network", "parent"),  # read-only slug of a nullable foreign key
        ("LocalGovernment", "parent"),
        ("Position", "local_government"),
        ("Position", "network"),
        ("Membership", "organisation"),
        ("Application", "organisation"),
        ("Plan", "local_government"),
        ("Activity", "responsible_network"),
        ("Role", "network"),
        ("Review", "review_status"),  # a method field annotated `-> str | None`
    ],
)
def test_fields_that_may_be_null_are_documented_as_nullable(document, component, field):
    assert document["components"]["schemas"][component]["properties"][field]["nullable"] is True


def test_every_operation_documents_its_error_answers(document):
    undocumented = []
    for path, method, operation in _operations(document):
        expected = {"401", "403", "429"}
        if "{" in path:
            expected.add("404")
        if method in ("post", "put", "patch", "delete"):
            expected.add("400")
        missing = expected - set(operation["responses"])
        if missing:
            undocumented.append(f"{method.upper()} {path}: {sorted(missing)}")

    assert undocumented == []


def test_error_answers_share_one_schema(document):
    schemas = set()
    for _path, _method, operation in _operations(document):
        for code, answer in operation["responses"].items():
            if code >= "400":
                schemas.add(answer["content"]["application/json"]["schema"]["$ref"])

    assert schemas == {"#/components/schemas/Error", "#/components/schemas/ValidationError"}
    assert document["components"]["schemas"]["Error"]["required"] == ["detail"]


def test_actions_that_create_document_201(document):
    paths = document["paths"]

    assert "201" in paths["/api/v1/plan-activities/{id}/links/"]["post"]["responses"]
    assert "201" in paths["/api/v1/plan-indicators/{id}/values/"]["post"]["responses"]
    assert "201" in paths["/api/v1/experiences/{id}/translations/"]["post"]["responses"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/plans/a.b/adopt/"),  # an identifier the route refuses
        ("post", "/api/v1/dues/invoices/1.5/payments/"),
        ("get", "/api/v1/no-such-thing/"),
        ("post", "/api/v1/books/a%0Ab/null/versions/"),  # a line break in the path
    ],
)
def test_an_api_path_that_names_nothing_answers_json(client, method, path):
    response = getattr(client, method)(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_an_api_path_without_its_slash_still_redirects(client):
    response = client.get("/api/v1/networks")

    assert (response.status_code, response["Location"]) == (301, "/api/v1/networks/")

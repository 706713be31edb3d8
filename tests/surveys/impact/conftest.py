import pytest

from municipia.accounts.models import Role
from municipia.surveys.impact import services
from tests.factories.accounts import RoleFactory
from tests.factories.knowledge import PublishedExperienceFactory

LEVELS = [
    (1, {"en": "Not considered"}),
    (2, {"en": "Emerging"}),
    (3, {"en": "Established"}),
    (4, {"en": "Transformative", "es": "Transformador"}),
]
CRITERIA = [
    {"code": "participation", "name": {"en": "Participation"}, "weight": 2, "levels": LEVELS},
    {"code": "values", "name": {"en": "Shared values"}, "levels": LEVELS},
    {"code": "transversality", "name": {"en": "Transversality"}, "levels": LEVELS},
]


@pytest.fixture
def rubric(network):
    return services.create_rubric(network, title={"en": "Educational impact"}, criteria=CRITERIA)


@pytest.fixture
def baseline(rubric):
    return services.open_round(rubric, name={"en": "2026 baseline"})


@pytest.fixture
def experience(network, city):
    return PublishedExperienceFactory(city=city, network=network)


@pytest.fixture
def assessor(db):
    """A peer from another city of the network, staff will assign."""
    return RoleFactory(kind=Role.Kind.EXPERT, network=None).user


def levels(participation=3, values=2, transversality=4):
    return {"participation": participation, "values": values, "transversality": transversality}


def submitted(round_, experience, kind, by, **scores):
    assessment = services.start_assessment(round_, experience, kind, by=by)
    return services.save_assessment(assessment, levels(**scores), submit=True, by=by)

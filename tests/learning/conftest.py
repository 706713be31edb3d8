import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from municipia.accounts.models import Role
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.learning import (
    AssignmentFactory,
    CourseFactory,
    CourseRunFactory,
    EnrolmentFactory,
    ModuleFactory,
)

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def pdf_upload(name="work.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png_bytes(size=(60, 30), colour=(200, 30, 60)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def course(network):
    return CourseFactory(network=network, title="Youth participation in educating cities")


@pytest.fixture
def run(course):
    return CourseRunFactory(course=course, capacity=3)


@pytest.fixture
def modules(course):
    return [ModuleFactory(course=course, position=1), ModuleFactory(course=course, position=2)]


@pytest.fixture
def assignment(modules):
    return AssignmentFactory(module=modules[0])


@pytest.fixture
def tutor(run):
    user = RoleFactory(kind=Role.Kind.EXPERT, network=None).user
    run.tutors.add(user)
    return user


@pytest.fixture
def other_tutor(course):
    """A tutor of another run of the same course."""
    user = UserFactory()
    CourseRunFactory(course=course).tutors.add(user)
    return user


@pytest.fixture
def participant(db):
    return UserFactory(full_name="Ana Participant", language="es")


@pytest.fixture
def enrolment(run, participant):
    return EnrolmentFactory(run=run, user=participant, language="es")

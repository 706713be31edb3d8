import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_lists_open_and_certificates_are_never_added_there(client, superuser, enrolment):
    client.force_login(superuser)
    session = client.session
    session["mfa_ok"] = True
    session.save()
    models = [m for m in admin.site._registry if m._meta.app_label == "learning"]

    codes = {
        m.__name__: client.get(
            reverse(f"admin:learning_{m._meta.model_name}_changelist")
        ).status_code
        for m in models
    }
    add = client.get(reverse("admin:learning_coursecertificate_add"))

    assert set(codes.values()) == {200}
    assert len(codes) == 8
    assert add.status_code == 403

"""Every model has a working admin list, search and change page for a coordinator."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROJECT_APPS = ["strategy", "indicators", "actions", "reports"]


def registered_models():
    return [
        m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS and not m.__name__.startswith("Historical")
    ]


def test_it_registers_every_model():
    missing = [m.__name__ for m in registered_models() if m not in admin.site._registry]
    assert missing == []


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m.__name__)
def test_it_lists_searches_and_opens_each_model(admin_client, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": "våld"}).status_code == 200
    obj = model.objects.first()
    if obj is not None:
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert admin_client.get(change).status_code == 200


def test_it_labels_the_admin_in_swedish(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert 'lang="sv"' in html
    assert "Indikatorer" in html and "Lägesrapporter" in html

"""Staff find every model of the platform in the Django admin, and its pages open."""

import pytest
from django.apps import apps
from django.contrib import admin

from tests.admin.conftest import admin_path

DOMAIN_APPS = ["core", "merchants", "orders", "disputes", "penalties"]


def test_the_admin_lists_every_model_of_the_platform():
    models = [m for app in DOMAIN_APPS for m in apps.get_app_config(app).get_models()]
    missing = [m.__name__ for m in models if m not in admin.site._registry]
    assert missing == []


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_each_admin_list_opens_for_a_superuser(admin_client, app, wf):
    wf.intervention("ruled")
    for model in apps.get_app_config(app).get_models():
        url = admin_path(f"{app}/{model._meta.model_name}/")
        assert admin_client.get(url).status_code == 200, url
        first = model.objects.order_by("pk").first()
        if first is not None:
            assert admin_client.get(f"{url}{first.pk}/change/").status_code == 200, url

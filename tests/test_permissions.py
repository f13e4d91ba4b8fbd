"""The permission matrix: a reporter sees and changes only its own organisation's items."""

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from import_export.admin import ExportMixin
from actions.models import Commitment, StatusReport
from indicators.models import Indicator, Value
from reporting.models import State

from . import reporting
from reporting import workflow

pytestmark = pytest.mark.django_db

REPORTER_ORGS = ["kriminalvarden", "region-stockholm", "aklagarmyndigheten"]


@pytest.fixture
def reporter_factory(make_user, client):
    def login(org_slug):
        user = make_user(f"rapportor-{org_slug}", org_slug, "rapportor")
        client.force_login(user)
        return user

    return login


@pytest.fixture
def foreign():
    """One item of each kind that belongs to an organisation none of REPORTER_ORGS reports for."""
    reporting.open_round()
    return {
        "statusreport": reporting.status_report(number="1.1", org_slug="lansstyrelsen", state=State.SUBMITTED),
        "value": reporting.value(code="2.I1", state=State.SUBMITTED),
        "commitment": Commitment.objects.get(number="1.1"),
    }


def admin_url(obj, view, *args):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk, *args])


def changelist_ids(client, model):
    opts = model._meta
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert response.status_code == 200
    return {obj.pk for obj in response.context["cl"].queryset}


KINDS = ["statusreport", "value", "commitment"]


@pytest.mark.parametrize("org_slug", REPORTER_ORGS)
@pytest.mark.parametrize("kind", KINDS)
def test_it_does_not_list_another_organisations_item(client, reporter_factory, foreign, org_slug, kind):
    reporter_factory(org_slug)
    obj = foreign[kind]
    assert obj.pk not in changelist_ids(client, type(obj))


@pytest.mark.parametrize("org_slug", REPORTER_ORGS)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_it_answers_404_on_direct_urls_to_another_organisations_item(
    client, reporter_factory, foreign, org_slug, kind, view
):
    reporter_factory(org_slug)
    assert client.get(admin_url(foreign[kind], view)).status_code == 404


@pytest.mark.parametrize("org_slug", REPORTER_ORGS)
@pytest.mark.parametrize("kind", ["statusreport", "value"])
def test_it_refuses_to_change_delete_or_approve_another_organisations_item(
    client, reporter_factory, foreign, org_slug, kind
):
    reporter_factory(org_slug)
    obj = foreign[kind]
    before = type(obj).objects.get(pk=obj.pk)
    assert client.post(admin_url(obj, "change"), {"text": "kapat", "expected_version": obj.version}).status_code == 404
    assert client.post(admin_url(obj, "delete"), {"post": "yes"}).status_code == 404
    assert client.post(admin_url(obj, "review"), {"transition": "approve"}).status_code == 404
    first_history = obj.history.earliest("history_date").history_id
    assert client.get(admin_url(obj, "simple_history", first_history)).status_code == 404
    after = type(obj).objects.get(pk=obj.pk)
    assert (after.state, after.version) == (before.state, before.version)


@pytest.mark.parametrize("org_slug", REPORTER_ORGS)
def test_it_refuses_review_services_on_another_organisations_item(make_user, foreign, org_slug):
    user = make_user(f"rapportor-{org_slug}", org_slug, "rapportor")
    report, value = foreign["statusreport"], foreign["value"]
    with pytest.raises(PermissionDenied):
        workflow.approve(item=report, user=user)
    with pytest.raises(PermissionDenied):
        workflow.return_(item=report, user=user, comment="nej")
    with pytest.raises(PermissionDenied):
        workflow.approve(item=value, user=user)
    report.state = value.state = State.DRAFT
    with pytest.raises(PermissionDenied):
        workflow.submit(item=report, user=user)
    with pytest.raises(PermissionDenied):
        workflow.submit(item=value, user=user)


def test_it_lets_a_reporter_view_change_and_submit_its_own_report(client, reporter_factory):
    reporting.open_round()
    reporter_factory("kriminalvarden")
    own = reporting.status_report()
    assert own.pk in changelist_ids(client, StatusReport)
    assert client.get(admin_url(own, "change")).status_code == 200
    assert client.get(admin_url(own, "history")).status_code == 200
    data = {
        "commitment": own.commitment_id,
        "organisation": own.organisation_id,
        "year": own.year,
        "category": "ongoing",
        "text": "Nytt utbildningsprogram startat.",
        "expected_version": own.version,
    }
    assert client.post(admin_url(own, "change"), data).status_code == 302
    assert client.post(admin_url(own, "review"), {"transition": "submit"}).status_code == 302
    own.refresh_from_db()
    assert (own.text, own.state) == ("Nytt utbildningsprogram startat.", State.SUBMITTED)
    # Submitted: no longer the reporter's to change.
    data["expected_version"] = own.version
    assert client.post(admin_url(own, "change"), {**data, "text": "Ändrat efteråt"}).status_code == 403


def test_it_lets_a_reporter_add_a_report_only_for_its_own_commitments(client, reporter_factory):
    reporting.open_round()
    reporter_factory("kriminalvarden")
    add_url = reverse("admin:actions_statusreport_add")
    kriminalvarden = reporting.status_report().organisation
    foreign_commitment = Commitment.objects.get(number="1.1")
    response = client.post(
        add_url,
        {"commitment": foreign_commitment.pk, "organisation": kriminalvarden.pk, "year": 2025, "category": "done"},
    )
    assert response.status_code == 200 and "commitment" in response.context["adminform"].form.errors
    own_commitment = Commitment.objects.get(number="5.3")
    response = client.post(
        add_url, {"commitment": own_commitment.pk, "organisation": kriminalvarden.pk, "year": 2025, "category": "done"}
    )
    assert response.status_code == 302
    assert StatusReport.objects.get(commitment=own_commitment, year=2025).state == State.DRAFT


def test_it_refuses_a_reporter_a_report_for_a_year_without_an_open_round(client, reporter_factory):
    reporting.open_round()
    reporter_factory("kriminalvarden")
    own_commitment = Commitment.objects.get(number="5.3")
    response = client.post(
        reverse("admin:actions_statusreport_add"),
        {
            "commitment": own_commitment.pk,
            "organisation": own_commitment.lead_organisations.get().pk,
            "year": 2026,
            "category": "ongoing",
        },
    )
    assert response.status_code == 200 and "year" in response.context["adminform"].form.errors


def test_it_never_lets_a_reporter_approve_its_own_item(client, reporter_factory):
    reporting.open_round()
    user = reporter_factory("kriminalvarden")
    own = reporting.status_report(state=State.SUBMITTED)
    own_value = reporting.value(state=State.SUBMITTED)
    with pytest.raises(PermissionDenied):
        workflow.approve(item=own, user=user)
    with pytest.raises(PermissionDenied):
        workflow.approve(item=own_value, user=user)
    client.post(admin_url(own, "review"), {"transition": "approve"})
    own.refresh_from_db()
    assert own.state == State.SUBMITTED
    response = client.get(reverse("admin:actions_statusreport_changelist"))
    assert "approve_selected" not in response.context["action_form"].fields["action"].choices.__str__()


def test_it_keeps_goals_organisations_and_definitions_from_reporters(client, reporter_factory):
    reporter_factory("kriminalvarden")
    for name in ["strategy_goal", "strategy_organisation", "indicators_dimension", "reports_reportedition"]:
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 403, name
    own = Indicator.objects.get(code="2.I5")
    assert client.get(admin_url(own, "change")).status_code == 200
    assert client.post(admin_url(own, "change"), {"title": "Ändrad"}).status_code == 403
    commitment = Commitment.objects.get(number="2.10")
    assert client.post(admin_url(commitment, "change"), {"text": "Ändrat"}).status_code == 403


@pytest.mark.parametrize("org_slug", REPORTER_ORGS)
def test_it_answers_404_on_the_values_grid_of_another_organisations_indicator(client, reporter_factory, org_slug):
    reporter_factory(org_slug)
    other = Indicator.objects.get(code="2.I1")
    assert client.get(reverse("admin:indicators_indicator_values", args=[other.pk])).status_code == 404


def test_it_opens_the_values_grid_of_its_own_indicator(client, reporter_factory):
    reporter_factory("kriminalvarden")
    own = Indicator.objects.get(code="2.I5")
    assert client.get(reverse("admin:indicators_indicator_values", args=[own.pk])).status_code == 200


def test_it_limits_autocomplete_to_own_commitments(client, reporter_factory):
    reporter_factory("kriminalvarden")
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "actions", "model_name": "statusreport", "field_name": "commitment", "term": ""},
    )
    assert response.status_code == 200
    numbers = sorted(r["text"].split()[0] for r in response.json()["results"])
    assert numbers == ["2.10", "5.3", "5.4", "8.6"]


@pytest.mark.parametrize("model", [StatusReport, Value], ids=["statusreport", "value"])
def test_it_scopes_exports_to_the_reporters_organisation(make_user, foreign, model):
    model_admin = admin.site._registry[model]
    if not isinstance(model_admin, ExportMixin):
        pytest.skip("Export is not on this admin yet.")
    request = RequestFactory().get("/")
    request.user = make_user("rapportor-export", "kriminalvarden", "rapportor")
    exported = model_admin.get_export_queryset(request)
    assert foreign[model._meta.model_name].pk not in {obj.pk for obj in exported}

"""Admin for reviewed items (values, status reports): review buttons, actions and optimistic locking.

Workflow fields are read-only in forms; they change only through the app's
services, which check permission, state and lock.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from . import models, workflow
from .admin_scoping import OrganisationScopedAdmin
from .scoping import sees_everything

WORKFLOW_FIELDS = [
    "state",
    "reviewer_comment",
    "submitted_at",
    "approved_at",
    "approved_by",
    "reopened_at",
    "reopened_by",
    "reopened_reason",
    "created_at",
    "updated_at",
    "version",
]
STALE_MESSAGE = (
    "Någon annan har sparat ändringar i posten sedan du öppnade den. Inget sparades. "
    "Ladda om sidan och gör om dina ändringar."
)
TRANSITION_LABELS = {
    "submit": "Skicka in för granskning",
    "return": "Skicka tillbaka med kommentar",
    "approve": "Godkänn",
    "reopen": "Lås upp posten",
}
# The free text each transition needs, as the services name it.
TRANSITION_TEXT = {"return": "comment", "reopen": "reason"}


class VersionedForm(forms.ModelForm):
    """Carries the version the form was opened with; a save on a stale version is refused."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    request_user = None  # set per request by the admin

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # Row lock until the admin's transaction commits, so that two
            # saves cannot both pass this check.
            current = (
                type(self.instance)._default_manager.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if cleaned.get("expected_version") != current:
                raise ValidationError(STALE_MESSAGE, code="stale")
        elif self.request_user is not None and not sees_everything(self.request_user):
            year = cleaned.get("year")
            if year is not None and not (models.round_is_open(year) and not models.year_is_locked(year)):
                self.add_error("year", f"Rapporteringsomgången {year} är inte öppen.")
        return cleaned


class ReviewedAdmin(OrganisationScopedAdmin):
    """Scoped admin for a Reviewed model. Subclasses name their services.

    transition_services: {"submit": f, "return": f, "approve": f, "reopen": f} taking
    `service_item_kwarg=<obj>, user=…` (and comment/reason).
    bulk_transition_services: the same for querysets, taking `bulk_item_kwarg=<list>`.
    """

    form = VersionedForm
    change_form_template = "admin/review_change_form.html"
    transition_services = {}
    service_item_kwarg = ""
    bulk_transition_services = {}
    bulk_item_kwarg = ""
    actions = ["submit_selected", "approve_selected"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *WORKFLOW_FIELDS]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"request_user": request.user})

    def may_change(self, request, obj):
        if obj.is_locked:
            return False
        return sees_everything(request.user) or workflow.reporter_may_edit(request.user, obj)

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        super().save_model(request, obj, form, change)

    # Review buttons on the change page

    def available_transitions(self, request, obj):
        coordinator = sees_everything(request.user)
        names = []
        if obj.is_locked:
            return ["reopen"] if coordinator else []
        if obj.state in models.EDITABLE_BY_REPORTER and (coordinator or workflow.reporter_may_edit(request.user, obj)):
            names.append("submit")
        if coordinator and obj.state == models.State.SUBMITTED:
            names += ["return", "approve"]
        return names

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["review_transitions"] = [
                (name, TRANSITION_LABELS[name], name in TRANSITION_TEXT)
                for name in self.available_transitions(request, obj)
            ]
            context["review_url"] = reverse(self._review_url_name(), args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _review_url_name(self):
        opts = self.model._meta
        return f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_review"

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/granskning/",
                self.admin_site.admin_view(require_POST(self.review_view)),
                name=f"{opts.app_label}_{opts.model_name}_review",
            ),
        ] + super().get_urls()

    def review_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("Finns inte.")
        name = request.POST.get("transition", "")
        if name not in self.transition_services:
            raise PermissionDenied
        kwargs = {self.service_item_kwarg: obj, "user": request.user}
        if name in TRANSITION_TEXT:
            kwargs[TRANSITION_TEXT[name]] = request.POST.get("text", "")
        try:
            self.transition_services[name](**kwargs)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _message(exc))
        else:
            messages.success(request, f"{obj}: {obj.get_state_display().lower()}.")
        opts = self.model._meta
        return redirect(reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))

    # Bulk actions on the change list

    def _run_bulk(self, request, queryset, name):
        try:
            done = self.bulk_transition_services[name](**{self.bulk_item_kwarg: list(queryset), "user": request.user})
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(request, f"Inget ändrades. {_message(exc)}", messages.ERROR)
        else:
            self.message_user(request, f"{len(done)} poster: {TRANSITION_LABELS[name].lower()} klart.", messages.SUCCESS)

    @admin.action(description="Skicka in markerade för granskning")
    def submit_selected(self, request, queryset):
        self._run_bulk(request, queryset, "submit")

    @admin.action(description="Godkänn markerade", permissions=["review"])
    def approve_selected(self, request, queryset):
        self._run_bulk(request, queryset, "approve")

    def has_review_permission(self, request):
        return sees_everything(request.user)


def _message(exc):
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else (str(exc) or "Åtgärden är inte tillåten.")

"""Admin for reviewed items (values, status reports): review buttons, actions and optimistic locking.

Workflow fields are read-only in forms; they change only through the review
services (reporting.workflow), which check permission, state and lock.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from . import policy, workflow
from .admin_scoping import OrganisationScopedAdmin
from .models import EDITABLE_BY_REPORTER
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
# Swedish str (the tests compare it), translated where it is raised.
STALE_MESSAGE = gettext_noop(
    "Någon annan har sparat ändringar i posten sedan du öppnade den. Inget sparades. "
    "Ladda om sidan och gör om dina ändringar."
)
TRANSITION_LABELS = {
    "submit": _("Skicka in för granskning"),
    "return": _("Skicka tillbaka med kommentar"),
    "approve": _("Godkänn"),
    "reopen": _("Lås upp posten"),
}
# The change form's button that saves and submits in one go.
SUBMIT_BUTTON = "_submit_for_review"
# The free text each transition needs, as the services name it.
TRANSITION_TEXT = {"return": "comment", "reopen": "reason"}


class VersionedForm(forms.ModelForm):
    """A reviewed item's form: refuses a stale version, and asks the write policy about the write.

    The policy sees the item as the form would leave it (its organisation,
    commitment or indicator, year), so moving an item out of the open round or
    into another organisation's scope is refused like any other write.
    """

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    request_user = None  # set per request by the admin
    resulting_state = None  # the state the policy leaves a changed item in

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # Row lock until the admin's transaction commits, so that two
            # saves cannot both pass this check.
            self.stored = (
                type(self.instance)._default_manager.select_for_update().filter(pk=self.instance.pk).first()
            )
            if self.stored is None or cleaned.get("expected_version") != self.stored.version:
                raise ValidationError(gettext(STALE_MESSAGE), code="stale")
        return cleaned

    def _post_clean(self):
        super()._post_clean()  # the instance now holds the form's values
        if self.errors or self.request_user is None:
            return
        checker = policy.Policy(self.request_user)
        state = self.instance.state
        if not (self.instance.pk and not self.has_changed()):
            before = policy.item_of(self.stored) if self.instance.pk else None
            action = policy.Action.CHANGE if before else policy.Action.CREATE
            decision = checker.decide(policy.Write(action, before=before, after=policy.item_of(self.instance)))
            if not self._accept(decision):
                return
            state = self.resulting_state = decision.state
        if SUBMIT_BUTTON in self.data:
            # Saved and submitted at once: the submission is judged on what the form holds.
            submitted = policy.item_of(self.instance, state=state)
            self._accept(checker.decide(policy.Write(policy.Action.SUBMIT, before=submitted)))

    def _accept(self, decision):
        if not decision.allowed:
            self.add_error(decision.field if decision.field in self.fields else None, decision.reason)
        return decision.allowed


class ReviewedAdmin(OrganisationScopedAdmin):
    """Scoped admin for a Reviewed model: its review buttons and bulk actions call reporting.workflow."""

    form = VersionedForm
    change_form_template = "admin/review_change_form.html"
    transition_services = {
        "submit": workflow.submit,
        "return": workflow.return_,
        "approve": workflow.approve,
        "reopen": workflow.reopen,
    }
    bulk_transition_services = {"submit": workflow.submit_all, "approve": workflow.approve_all}
    actions = ["submit_selected", "approve_selected"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *WORKFLOW_FIELDS]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            # Read-only, the admin shows every field as text: the stale-save guard is no field to show.
            fields = [f for f in fields if f != "expected_version"]
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"request_user": request.user})

    def policy_for(self, request):
        if not hasattr(request, "_write_policy"):
            request._write_policy = policy.Policy(request.user)
        return request._write_policy

    def change_decision(self, request, obj):
        """The policy's answer to "may this user change this item", for the item as stored.

        Asked once per request: the admin asks again after the form has put the
        posted values on the instance, and the answer must not follow them.
        """
        cache = request.__dict__.setdefault("_change_decisions", {})
        key = (self.model, obj.pk)
        if key not in cache:
            item = policy.item_of(obj)
            cache[key] = self.policy_for(request).decide(policy.Write(policy.Action.CHANGE, before=item, after=item))
        return cache[key]

    def may_change(self, request, obj):
        return self.change_decision(request, obj).allowed

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and self.in_scope(request, obj) and not self.may_change(request, obj):
                # Say why, rather than the admin's bare "403".
                raise PermissionDenied(self.change_decision(request, obj).reason)
        return super().change_view(request, object_id, form_url, extra_context)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not self.policy_for(request).may(policy.Action.DELETE, policy.item_of(obj)):
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        # The change list's bulk delete: every item by the same rule, all or nothing.
        checker = self.policy_for(request)
        for obj in queryset:
            checker.check(policy.Write(policy.Action.DELETE, before=policy.item_of(obj)))
        super().delete_queryset(request, queryset)

    def save_model(self, request, obj, form, change):
        # "Skicka in" submits what is in the form, saved in the same transaction; never the stale row.
        workflow.save_content(obj, user=request.user, state=form.resulting_state,
                              and_submit=SUBMIT_BUTTON in request.POST)

    # Review buttons on the change page

    def available_transitions(self, request, obj):
        """The review buttons the policy allows now; submitting is the form's own button."""
        checker, item = self.policy_for(request), policy.item_of(obj)
        return [name for name in ("return", "approve", "reopen") if checker.may(policy.Action(name), item)]


    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["submit_button"] = SUBMIT_BUTTON
        context["may_submit"] = add and self.has_add_permission(request)
        if obj is not None:
            context["review_transitions"] = [
                (name, TRANSITION_LABELS[name], name in TRANSITION_TEXT)
                for name in self.available_transitions(request, obj)
            ]
            context["review_url"] = reverse(self._review_url_name(), args=[obj.pk])
            context["may_submit"] = obj.state in EDITABLE_BY_REPORTER and self.may_change(request, obj)
            if not self.may_change(request, obj):
                context["read_only_reason"] = self.change_decision(request, obj).reason
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
            raise Http404(gettext("Finns inte."))
        name = request.POST.get("transition", "")
        if name not in self.transition_services:
            raise PermissionDenied
        kwargs = {"item": obj, "user": request.user,
                  "expected_version": workflow.posted_version(request.POST)}
        if name in TRANSITION_TEXT:
            kwargs[TRANSITION_TEXT[name]] = request.POST.get("text", "")
        try:
            self.transition_services[name](**kwargs)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, workflow.refusal_message(exc))
        else:
            messages.success(request, gettext("%(item)s: %(state)s.") % {"item": obj, "state": obj.get_state_display().lower()})
        opts = self.model._meta
        return redirect(reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))

    # Bulk actions on the change list

    def _run_bulk(self, request, queryset, name):
        try:
            done = self.bulk_transition_services[name](items=list(queryset), user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(
                request, gettext("Inget ändrades. %(reason)s") % {"reason": workflow.refusal_message(exc)}, messages.ERROR
            )
        else:
            self.message_user(
                request,
                ngettext("%(count)s post: %(action)s klart.", "%(count)s poster: %(action)s klart.", len(done))
                % {"count": len(done), "action": TRANSITION_LABELS[name].lower()},
                messages.SUCCESS,
            )

    @admin.action(description=_("Skicka in markerade för granskning"))
    def submit_selected(self, request, queryset):
        self._run_bulk(request, queryset, "submit")

    @admin.action(description=_("Godkänn markerade"), permissions=["review"])
    def approve_selected(self, request, queryset):
        self._run_bulk(request, queryset, "approve")

    def has_review_permission(self, request):
        return sees_everything(request.user)

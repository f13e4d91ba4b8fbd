"""Organisation scoping for the admin: a reporter sees only its own organisation's rows.

Every way into a row goes through `get_queryset`: lists, change/delete/history
pages, autocomplete, actions and exports. A row outside the scope answers 404
on its direct URL, as if it did not exist, rather than the admin's redirect.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext

from strategy.models import Organisation
from .scoping import organisation_for, sees_everything


class OrganisationScopedAdmin:
    """Mix into a ModelAdmin, before the admin base class.

    organisation_lookups: paths from the model to the organisation it belongs to;
    a row is in scope if any of them matches the user's organisation.
    reporter_read_only: reporters may look but never add, change or delete.
    """

    organisation_lookups = ()
    reporter_read_only = False

    # Scope

    def scope_queryset(self, request, queryset):
        if sees_everything(request.user):
            return queryset
        organisation = organisation_for(request.user)
        condition = self.scope_condition(organisation) if organisation else Q(pk__in=[])
        # A subquery rather than .distinct(), so that M2M lookups neither
        # duplicate rows nor get in the way of ordering and aggregates.
        return queryset.filter(pk__in=self.model._default_manager.filter(condition).values("pk"))

    def scope_condition(self, organisation):
        """The rows that belong to `organisation`; admins with another notion of ownership extend it."""
        condition = Q(pk__in=[])
        for lookup in self.organisation_lookups:
            condition |= Q(**{lookup: organisation})
        return condition

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    def in_scope(self, request, obj):
        if sees_everything(request.user):
            return True
        cache = request.__dict__.setdefault("_scope_cache", {})
        key = (self.model, obj.pk)
        if key not in cache:
            cache[key] = obj.pk is not None and self.get_queryset(request).filter(pk=obj.pk).exists()
        return cache[key]

    def get_export_queryset(self, request):
        # import-export builds its queryset from the change list, which is
        # scoped already; scoping again keeps that true if it ever changes.
        parent = getattr(super(), "get_export_queryset", None)
        if parent is None:
            return self.get_queryset(request)
        return self.scope_queryset(request, parent(request))

    def _require_in_scope(self, request, object_id):
        if object_id is None or sees_everything(request.user):
            return
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404(gettext("Finns inte."))

    # Permissions

    def is_reporter(self, request):
        return not sees_everything(request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (obj is None or self.in_scope(request, obj))

    def has_add_permission(self, request, *args):
        if self.reporter_read_only and self.is_reporter(request):
            return False
        return super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        if self.reporter_read_only and self.is_reporter(request):
            return False
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or (self.in_scope(request, obj) and self.may_change(request, obj))

    def has_delete_permission(self, request, obj=None):
        if self.reporter_read_only and self.is_reporter(request):
            return False
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or (self.in_scope(request, obj) and self.may_change(request, obj))

    def may_change(self, request, obj):
        """Whether this in-scope row may be changed now; workflow admins narrow it."""
        return True

    # Choices in forms: only rows the user may see

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._limit_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._limit_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _limit_choices(self, db_field, request, kwargs):
        if sees_everything(request.user):
            return
        related = db_field.related_model
        if related is Organisation:
            organisation = organisation_for(request.user)
            kwargs["queryset"] = Organisation.objects.filter(pk=organisation.pk if organisation else None)
            return
        related_admin = self.admin_site._registry.get(related)
        if isinstance(related_admin, OrganisationScopedAdmin):
            kwargs["queryset"] = related_admin.get_queryset(request)

    def get_autocomplete_fields(self, request):
        # A reporter's organisation is a one-item choice; it needs no search
        # (and reporters may not browse organisations).
        fields = super().get_autocomplete_fields(request)
        if self.is_reporter(request):
            return [f for f in fields if self.model._meta.get_field(f).related_model is not Organisation]
        return fields

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        organisation = organisation_for(request.user)
        if self.is_reporter(request) and organisation and "organisation" in self.organisation_lookups:
            initial.setdefault("organisation", organisation.pk)
        return initial

    # Direct URLs

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._require_in_scope(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_in_scope(request, object_id)
        if request.method == "POST" and self.revert_disabled(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        # Reverting would restore old review states past the workflow; history is for reading.
        return True

from django.contrib import admin

from reporting.admin_readonly import ReadOnlyAdminMixin
from reporting.models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who was told what, when: read-only, since a record says what was really sent."""

    list_display = ["created_at", "kind", "email", "organisation", "reporting_round", "item_label", "sent_at", "error"]
    list_filter = ["kind", "reporting_round", "organisation"]
    search_fields = ["email", "subject", "item_label", "recipient__username"]
    list_select_related = ["organisation", "reporting_round"]
    date_hierarchy = "created_at"

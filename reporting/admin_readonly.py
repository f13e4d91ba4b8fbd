"""Admin for records that only the system writes (mails sent, locks, rättelser, PDFs): read, never edited."""


class ReadOnlyAdminMixin:
    """No add, change or delete in the admin, for anyone: the record is written by a service, once."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

"""Signals the reporting layer sends, for the layers above it to act on."""

from django.dispatch import Signal

# Sent after a bulk write of reviewed items that bypassed Model.save() (and so
# sent no post_save): the public pages above must be retired all the same.
# Arguments: sender (the model class).
reviewed_items_written = Signal()

"""Signals the reporting layer sends, for the layers above it to act on."""

from django.dispatch import Signal

# Sent after a bulk write of reviewed items that bypassed Model.save() (and so
# sent no post_save): the public pages above must be retired all the same.
# Arguments: sender (the model class).
reviewed_items_written = Signal()

# Sent when a coordinator opens a reporting round. Arguments: sender
# (ReportingRound), reporting_round, user. The layers above tell the reporters.
round_opened = Signal()

# Sent after a review transition of one item has been saved (inside the
# transaction). Arguments: sender (the model class), item, transition
# ("submit", "return", "approve", "reopen"), user.
review_transition = Signal()

"""Retire the cached public pages whenever something they show changes.

Any saved or deleted row of the content apps (and any change of their
many-to-many links) bumps the page version: simpler and safer than a list of the
models each page reads, and edits are rare next to page views.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from reporting.signals import reviewed_items_written

from . import pagecache

CONTENT_APPS = {"strategy", "reporting", "indicators", "actions", "reports"}


def _bump(sender, **kwargs):
    opts = sender._meta
    if opts.app_label in CONTENT_APPS and not opts.model_name.startswith("historical"):
        # After the commit, never inside the writer's transaction: a page rendered
        # between a bump and the commit would keep the old data under the new version.
        transaction.on_commit(pagecache.bump)


def connect():
    post_save.connect(_bump, dispatch_uid="public-pages-save")
    post_delete.connect(_bump, dispatch_uid="public-pages-delete")
    m2m_changed.connect(_bump, dispatch_uid="public-pages-m2m")
    reviewed_items_written.connect(_bump, dispatch_uid="public-pages-bulk")

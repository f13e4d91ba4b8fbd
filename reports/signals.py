"""Retire the cached public pages whenever something they show changes.

Any saved or deleted row of the content apps (and any change of their
many-to-many links) bumps the page version: simpler and safer than a list of the
models each page reads, and edits are rare next to page views.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from . import pagecache

CONTENT_APPS = {"strategy", "indicators", "actions", "reports"}


def _bump(sender, **kwargs):
    opts = sender._meta
    if opts.app_label in CONTENT_APPS and not opts.model_name.startswith("historical"):
        pagecache.bump()


def connect():
    post_save.connect(_bump, dispatch_uid="public-pages-save")
    post_delete.connect(_bump, dispatch_uid="public-pages-delete")
    m2m_changed.connect(_bump, dispatch_uid="public-pages-m2m")

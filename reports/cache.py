"""The file cache of the public pages: Django's FileBasedCache, except that culling spares the page version.

When the cache holds MAX_ENTRIES files, Django deletes a random third of them. Were the page
version (reports.pagecache.VERSION_KEY) among them, a fresh version would be started and every
page rendered again; worse, during the gap another worker could bump a version that no longer
exists. Here the version's file is never culled; clear() still removes it.
"""

import random

from django.core.cache.backends.filebased import FileBasedCache

from .pagecache import VERSION_KEY


class PageFileCache(FileBasedCache):
    def _cull(self):
        filelist = self._list_cache_files()
        num_entries = len(filelist)
        if num_entries < self._max_entries:
            return
        if self._cull_frequency == 0:
            # Django would clear the whole cache; keep the version's file out of it.
            filelist = [name for name in filelist if name != self._version_file()]
            for fname in filelist:
                self._delete(fname)
            return
        protected = self._version_file()
        candidates = [name for name in filelist if name != protected]
        for fname in random.sample(candidates, min(len(candidates), int(num_entries / self._cull_frequency))):
            self._delete(fname)

    def _version_file(self):
        return self._key_to_file(VERSION_KEY)

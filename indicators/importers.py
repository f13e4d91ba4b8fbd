"""Plain entry points for value imports outside the admin (benchmarks, scripts, shell).

    from indicators.importers import import_values_csv
    result = import_values_csv(open("values.csv", "rb"), user=user)           # write
    result = import_values_csv(text, user=user, dry_run=True)                  # preview only
    result.has_validation_errors(), result.totals, result.invalid_rows

The CSV is the long format (the columns of /data/values.csv, or at least indicator_code,
year, area, breakdown, value). It runs exactly the admin's resource and rules: one bad
row writes nothing, unchanged rows are skipped, new and changed values become drafts
with a history row each.
"""

from .formats import LongCSV
from .resources import ValueResource


class FastValueResource(ValueResource):
    """The admin's resource without the per-row before/after diff, which only the preview page shows."""

    class Meta(ValueResource.Meta):
        skip_diff = True


def import_values_csv(fileobj_or_text, *, user, dry_run=False):
    """Import a long-format CSV (file object, bytes or text) as `user`; returns import_export's Result."""
    data = fileobj_or_text.read() if hasattr(fileobj_or_text, "read") else fileobj_or_text
    dataset = LongCSV().create_dataset(data)
    return FastValueResource(user=user).import_data(dataset, dry_run=dry_run, user=user)

"""Public downloads of approved data, long format: one row per value."""

import csv

from django.http import StreamingHttpResponse
from django.views.decorators.http import require_GET

from .selectors import LONG_COLUMNS, published_value_rows


class Echo:
    def write(self, value):
        return value


def csv_response(rows, filename):
    writer = csv.DictWriter(Echo(), fieldnames=LONG_COLUMNS)

    def stream():
        yield writer.writeheader()
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def values_csv(request):
    return csv_response(published_value_rows(), "values.csv")

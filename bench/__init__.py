"""Benchmarks on PostgreSQL: `make bench` (python -m bench).

Builds its own database (bench_valdsstrategi) with the real data and then a data
set of about 100 000 approved values, measures the public pages, the import and
the server, prints one figure per line as `name: value unit`, and drops the
database again. It never touches the database DATABASE_URL names.
"""

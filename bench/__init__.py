"""`make bench`: a synthetic catalogue in its own database, and server-side timings against it.

`python -m bench` builds (or reuses) the benchmark database, then times the catalogue, country
hubs, search, autocomplete and exports in-process and prints one JSON object. See bench/README.md.
"""

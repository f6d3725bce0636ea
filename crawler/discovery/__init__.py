"""The agency registry and source discovery: which agencies exist, and where they publish.

- :mod:`crawler.discovery.registry`: the US agency registry derived from PDAP's table
  (``seeds/registry/agencies.csv.gz``): reading the PDAP export, writing and reading the
  derived file, stable ids, and matching a source-list entry to its registry agency.
- :mod:`crawler.discovery.homepage`: pure functions, HTML in and findings out: a homepage's
  platform fingerprint (``fingerprints.toml``), its news listings, feeds and police page.
- :mod:`crawler.discovery.candidates`: the discovered list (``data/discovered.toml``): candidate
  ``[[source]]`` entries with their evidence, written and read back.

Scrapy only appears in the spiders (``crawler/spiders/discover.py``, ``check.py``) and commands.
"""

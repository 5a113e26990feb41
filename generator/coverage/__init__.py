"""Coverage tracker: import rosters and completion records, report coverage against the plans' targets.

The learner-level data (codes, names) stays in a local database; everything this package writes for
others to read carries aggregates only. Modules, one concern each:

- ``storage`` / ``migrations``: DB-API connection and numbered schema migrations (SQLite now,
  PostgreSQL later, same SQL).
- ``geography``: provinces and communes after the 2025 reorganisation, old-province mapping.
- ``tables``: streaming CSV/XLSX readers that find the header row under a title block.
- ``rosters`` / ``records``: the two importers (rows checked and resolved in memory, written in
  batches, one transaction); ``records`` also refreshes the stored completions.
- ``facts``: completions per learner and course, and the aggregate coverage facts (counts per
  province/commune/unit/course/period).
- ``report``: targets, gaps, statuses, projections and publication suppression.
- ``export``: terminal table, CSV and XLSX writers.
"""

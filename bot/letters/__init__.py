"""Letters: registry of official DJPK letters and known hoaxes, number parsing, document checks.

Entry points: `Verifier` (verifier.py), `render` (messages.py), `ReportLog` (reports.py).
"""

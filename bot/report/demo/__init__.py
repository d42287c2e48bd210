"""A deterministic demo dataset whose raw records reproduce the seed report (February 2023)."""

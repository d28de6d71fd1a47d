"""Scenario files: a field issue written down once and replayed (issue 18)."""

"""Shared test fixtures. The three-door fixture lives in tests/doors.py (see the wire tests)."""

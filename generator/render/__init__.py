"""Shared rendering of the course model that several builders use (owned by no builder)."""

"""Exports for users: per-town and per-agency tables, and slide images."""

"""Persistent resource classes of the portal's object tree (docs/architecture.md §2)."""

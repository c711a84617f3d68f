"""Persistent resource classes of the portal's object tree (DESIGN.md §2)."""

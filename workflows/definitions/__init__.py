"""Workflow definitions, one module per governed resource type."""

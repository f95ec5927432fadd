"""Unit tests for the uringcheck report tool (stdlib unittest only)."""

# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""Unit tests for the uringcheck report tool (stdlib unittest only)."""

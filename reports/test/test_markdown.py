# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""Tests for the report.md renderer."""

import os
import unittest

import markdown
import results

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def sample():
    """Results dict for the runner sample."""
    with open(os.path.join(DATA, "sample.ktap"), encoding="utf-8") as handle:
        return results.from_ktap_text(handle.read())


def entry(area, case, status, reason="", backend="ref", mode="default"):
    """A minimal schema-1 result entry."""
    return {"area": area, "case": case, "backend": backend, "mode": mode,
            "status": status, "reason": reason, "duration_ms": None}


def data_with(runs, **extra):
    """A minimal schema-1 results dict around ``runs``."""
    data = {"schema": 1, "kernel": "6.1.0", "arch": "x86_64", "started": "", "duration_s": 0,
            "probe": {}, "results": runs, "totals": results.totals(runs)}
    data.update(extra)
    return data


class SampleReportTest(unittest.TestCase):
    """The sample renders every section with the expected content."""

    def setUp(self):
        self.text = markdown.render(sample())

    def test_title_and_totals(self):
        self.assertTrue(self.text.startswith("# uringcheck report: 6.18.44-fc-v769 (x86_64)\n"))
        self.assertIn("2026-11-22T00:20:00Z, duration 3.21 s", self.text)
        self.assertIn("**1 passed, 3 failed, 2 skipped**", self.text)
        self.assertIn("5 distinct cases, 6 runs", self.text)

    def test_matrix(self):
        self.assertIn("| area | ref/default | liburing/no_sqarray | ref/sqpoll |", self.text)
        self.assertIn("| nop | 1 pass, 2 FAIL, 1 skip | 1 skip | - |", self.text)
        self.assertIn("| wrap | - | - | 1 FAIL |", self.text)

    def test_failures_with_log(self):
        self.assertIn("## Failures (3)", self.text)
        self.assertIn("**FAIL** `nop.unknown_opcode_fails` [ref/default]: first difference: "
                      "CQE 0 res -22 (EINVAL), expected 0\n\n```text\n", self.text)
        self.assertIn("   expected                      | seen\n```", self.text)
        self.assertIn("**TIMEOUT** `nop.hangs_forever` [ref/default]: killed after 10 s", self.text)

    def test_skips_and_probe(self):
        self.assertIn("- **kernel lacks IORING_FEAT_X (probe)** (1): `nop.needs_feature_x` "
                      "[ref/default]", self.text)
        self.assertIn("- **features** (3): SINGLE_MMAP, NODROP, SUBMIT_STABLE", self.text)
        self.assertNotIn("Truncated", self.text)


class FormattingTest(unittest.TestCase):
    """Escaping, collapsing and warnings."""

    def test_pipe_escaped_in_table_cells(self):
        text = markdown.render(data_with([entry("a|b", "c", "pass", backend="x|y")]))
        self.assertIn("| a\\|b |", text)
        self.assertIn("x\\|y/default", text)

    def test_skip_names_collapsed(self):
        runs = [entry("rw", "case%02d" % i, "skip", "no IOPOLL") for i in range(13)]
        text = markdown.render(data_with(runs))
        self.assertIn("- **no IOPOLL** (13): ", text)
        self.assertIn("`rw.case09` [ref/default], and 3 more", text)
        self.assertNotIn("case10", text)

    def test_fence_longer_than_backticks_in_log(self):
        run = entry("a", "b", "fail", "x")
        run["log"] = ["has ``` inside"]
        text = markdown.render(data_with([run]))
        self.assertIn("````text\nhas ``` inside\n````", text)

    def test_truncated_and_unavailable_notes(self):
        text = markdown.render(data_with([], truncated=True, unavailable="ENOSYS"))
        self.assertIn("> **io_uring unavailable:** ENOSYS", text)
        self.assertIn("> **Truncated run:**", text)
        self.assertIn("No results.", text)

    def test_escape_inline(self):
        self.assertEqual(markdown.escape_inline("a*b <c> `d`\nIORING_X"),
                         "a\\*b \\<c\\> \\`d\\` IORING_X")


if __name__ == "__main__":
    unittest.main()

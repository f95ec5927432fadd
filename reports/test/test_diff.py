# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""Tests for ``uringreport diff``: categories, regression rule, exit codes."""

import json
import shutil
import tempfile
import unittest

import diff
from test.fixtures import data_with, entry, run_main, write


def runs(*specs):
    """Entries from (case, status[, mode]) tuples in area ``nop``."""
    return [entry("nop", s[0], s[1], "why " + s[1], mode=s[2] if len(s) > 2 else "default")
            for s in specs]


class CategorizeTest(unittest.TestCase):
    """Every status change lands in exactly one category."""

    def test_table(self):
        cases = [(None, "fail", "newly_failing"), (None, "pass", "new"), ("pass", None, "gone"),
                 ("pass", "fail", "newly_failing"), ("skip", "timeout", "newly_failing"),
                 ("xfail", "fail", "newly_failing"), ("fail", "pass", "newly_passing"),
                 ("skip", "pass", "newly_passing"), ("pass", "skip", "newly_skipped"),
                 ("fail", "skip", "newly_skipped"), ("fail", "timeout", "changed"),
                 ("fail", "xfail", "changed"), ("pass", "xfail", "changed"),
                 ("pass", "pass", None)]
        for old, new, want in cases:
            self.assertEqual(diff.categorize(old, new), want, (old, new))


class CompareTest(unittest.TestCase):
    """Keys are (area, case, backend, mode); the regression rule."""

    def test_categories_and_keys(self):
        old = data_with(runs(("a", "pass"), ("a", "pass", "sqpoll"), ("b", "fail"), ("c", "pass"),
                             ("gone", "pass")))
        new = data_with(runs(("a", "pass"), ("a", "fail", "sqpoll"), ("b", "pass"), ("c", "skip"),
                             ("fresh", "pass")))
        result = diff.compare(old, new)
        pick = {c: [(e["case"], e["mode"], e["old"], e["new"]) for e in result[c]]
                for c in diff.CATEGORIES}
        self.assertEqual(pick["newly_failing"], [("a", "sqpoll", "pass", "fail")])
        self.assertEqual(pick["newly_passing"], [("b", "default", "fail", "pass")])
        self.assertEqual(pick["newly_skipped"], [("c", "default", "pass", "skip")])
        self.assertEqual(pick["gone"], [("gone", "default", "pass", None)])
        self.assertEqual(pick["new"], [("fresh", "default", None, "pass")])
        self.assertTrue(result["regression"])
        self.assertEqual(result["regression_reasons"], ["1 newly failing"])

    def test_skip_is_a_regression_only_when_asked(self):
        old, new = data_with(runs(("a", "pass"))), data_with(runs(("a", "skip")))
        self.assertFalse(diff.compare(old, new)["regression"])
        self.assertEqual(diff.compare(old, new, fail_on_skip=True)["regression_reasons"],
                         ["1 pass -> skip"])

    def test_new_failing_case_and_truncated_new_run_regress(self):
        base = data_with(runs(("a", "pass")))
        self.assertTrue(diff.compare(base, data_with(runs(("a", "pass"), ("b", "fail"))))["regression"])
        cut = data_with([], truncated=True)
        self.assertEqual(diff.compare(base, cut)["regression_reasons"], ["NEW run is truncated"])

    def test_text_groups_modes(self):
        old = data_with(runs(*[("a", "pass", m) for m in ("default", "sqpoll")]))
        new = data_with(runs(*[("a", "fail", m) for m in ("default", "sqpoll")]))
        text = diff.render_text(diff.compare(old, new), "old.json", "new.json", diff.columns(old, new))
        self.assertIn("newly failing (2):\n  nop.a [ref/*] pass -> fail: why fail\n", text)
        self.assertTrue(text.endswith("REGRESSION (2 newly failing); 2 newly failing, 0 newly passing, "
                                      "0 newly skipped, 0 changed, 0 gone, 0 new\n"))


class CliTest(unittest.TestCase):
    """Exit status 0/1 and --json, from run directories and files."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="uringreport-diff-")
        self.old = write(self.tmp, "old/results.json", data_with(runs(("a", "pass"), ("b", "fail"))))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_no_regression_exit_0(self):
        new = write(self.tmp, "new.json", data_with(runs(("a", "pass"), ("b", "pass"))))
        status, out, err = run_main("diff", self.tmp + "/old", new)
        self.assertEqual((status, err), (0, ""))
        self.assertIn("newly passing (1):\n  nop.b [ref/default] fail -> pass\n", out)
        self.assertTrue(out.endswith("no regression; 0 newly failing, 1 newly passing, 0 newly skipped, "
                                     "0 changed, 0 gone, 0 new\n"))

    def test_regression_exit_1_and_json(self):
        new = write(self.tmp, "new.json", data_with(runs(("a", "timeout"), ("b", "fail"))))
        status, out, _ = run_main("diff", "--json", self.old, new)
        self.assertEqual(status, 1)
        result = json.loads(out)
        self.assertEqual(result["newly_failing"], [{"area": "nop", "case": "a", "backend": "ref",
                                                    "mode": "default", "old": "pass", "new": "timeout",
                                                    "reason": "why timeout"}])
        self.assertTrue(result["regression"])

    def test_fail_on_skip_flag(self):
        new = write(self.tmp, "new.json", data_with(runs(("a", "skip"), ("b", "fail"))))
        self.assertEqual(run_main("diff", self.old, new)[0], 0)
        self.assertEqual(run_main("diff", "--fail-on-skip", self.old, new)[0], 1)


if __name__ == "__main__":
    unittest.main()

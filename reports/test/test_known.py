# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""Tests for known-issues lists: parsing, matching, applying to results."""

import os
import unittest

import known
import results
from test.fixtures import data_with, entry, sample_text

REPO_LIST = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                         "known-issues.txt")


class ParseTest(unittest.TestCase):
    """The runner's file format."""

    def test_comments_blank_lines_and_fields(self):
        issues = known.parse("# header\n\n  # indented comment\n"
                             "rw.fsync_*  6.1*  fsync errors\tdo not break links  \n"
                             "cancel.sync_*@sqpoll * SQPOLL io-wq is not searched\n")
        self.assertEqual([(i.cases, i.kernel, i.reason, i.line) for i in issues], [
            ("rw.fsync_*", "6.1*", "fsync errors\tdo not break links", 4),
            ("cancel.sync_*@sqpoll", "*", "SQPOLL io-wq is not searched", 5)])

    def test_missing_reason_names_the_line(self):
        with self.assertRaises(known.KnownError) as ctx:
            known.parse("# ok\nrw.case *\n")
        self.assertEqual(ctx.exception.line, 2)
        self.assertIn("AREA.CASE-GLOB", ctx.exception.message)

    def test_fail_marker_documents_without_excusing(self):
        issues = known.parse("rw.a 6.1.* fail:  tags never posted\nrw.b * plain\n")
        self.assertEqual([(i.reason, i.still_fails) for i in issues],
                         [("tags never posted", True), ("plain", False)])

    def test_fail_marker_needs_a_reason(self):
        with self.assertRaises(known.KnownError) as ctx:
            known.parse("rw.a * fail:\n")
        self.assertEqual(ctx.exception.line, 1)

    def test_case_glob_needs_an_area(self):
        with self.assertRaises(known.KnownError) as ctx:
            known.parse("justacase * reason\n")
        self.assertEqual(ctx.exception.line, 1)

    def test_projects_own_list_parses(self):
        with open(REPO_LIST, encoding="utf-8") as handle:
            issues = known.parse(handle.read())
        self.assertTrue(issues)


class MatchTest(unittest.TestCase):
    """Globs on area.case, optional @mode, and the kernel."""

    def setUp(self):
        self.issues = known.parse("nop.a* 6.1.* plain\n"
                                  "nop.b@sq* * only sqpoll\n"
                                  "nop.* 6.18.* catch-all\n")

    def test_case_and_kernel_globs(self):
        self.assertEqual(known.reason_for(self.issues, "nop", "abc", "big", "6.1.0-x"), "plain")
        self.assertIsNone(known.reason_for(self.issues, "nop", "abc", "big", "6.12.0"))
        self.assertIsNone(known.reason_for(self.issues, "rw", "abc", "big", "6.1.0"))

    def test_mode_suffix(self):
        self.assertEqual(known.reason_for(self.issues, "nop", "b", "sqpoll", "6.1"), "only sqpoll")
        self.assertIsNone(known.reason_for(self.issues, "nop", "b", "default", "6.1"))

    def test_first_matching_line_wins(self):
        self.assertEqual(known.reason_for(self.issues, "nop", "abc", "x", "6.1.2"), "plain")
        self.assertEqual(known.reason_for(self.issues, "nop", "zz", "x", "6.18.4"), "catch-all")


class ApplyTest(unittest.TestCase):
    """What the runner does with --known, done afterwards on results."""

    def test_fail_becomes_xfail_pass_gets_xpass(self):
        runs = [entry("rw", "broken", "fail", "first difference: x", log=["diff"]),
                entry("rw", "fixed", "pass"),
                entry("rw", "skipped", "skip", "no op"),
                entry("rw", "hung", "timeout", "killed"),
                entry("rw", "other", "fail", "unlisted")]
        data = data_with(runs, kernel="6.1.0")
        issues = known.parse("rw.broken 6.1* chains not broken\nrw.fixed * was broken\n"
                             "rw.skipped * x\nrw.hung * y\n")
        self.assertEqual(known.apply(data, issues), (1, 1))
        got = [(r["status"], r["reason"]) for r in data["results"]]
        self.assertEqual(got, [
            ("xfail", "known issue: chains not broken"),
            ("pass", "XPASS: known issue did not reproduce (fixed? drop it from the list): was broken"),
            ("skip", "no op"), ("timeout", "killed"), ("fail", "unlisted")])
        self.assertEqual(data["results"][0]["log"], ["diff"])
        self.assertEqual(data["totals"], results.totals(data["results"]))
        self.assertEqual(results.summary_counts(data), (1, 2, 2))

    def test_mode_specific_line_leaves_other_modes_failing(self):
        runs = [entry("cancel", "sync_x", "fail", "e", mode=m) for m in ("default", "sqpoll")]
        data = data_with(runs)
        known.apply(data, known.parse("cancel.sync_*@sqpoll * sqpoll only\n"))
        self.assertEqual([r["status"] for r in data["results"]], ["fail", "xfail"])

    def test_kernel_glob_must_match(self):
        data = data_with([entry("rw", "a", "fail")], kernel="6.12.0")
        known.apply(data, known.parse("rw.a 6.1.* old kernels\n"))
        self.assertEqual(data["results"][0]["status"], "fail")

    def test_documented_failure_stays_a_failure_with_the_explanation(self):
        data = data_with([entry("fixed", "tags", "fail", "missing: row 0"),
                          entry("fixed", "tags2", "pass")], kernel="6.1.0-56")
        issues = known.parse("fixed.tags* 6.1.* fail: 6.1 posts no tags\n")
        self.assertEqual(known.apply(data, issues), (0, 1))
        self.assertEqual((data["results"][0]["status"], data["results"][0]["reason"]),
                         ("fail", "known issue, still a failure: 6.1 posts no tags; missing: row 0"))
        self.assertEqual(data["totals"]["fail"], 1)
        known.apply(data, issues)
        self.assertEqual(data["results"][0]["reason"].count("known issue"), 1)

    def test_applying_twice_changes_nothing_more(self):
        data = data_with([entry("rw", "a", "fail"), entry("rw", "b", "pass")])
        issues = known.parse("rw.* * why\n")
        known.apply(data, issues)
        first = [dict(r) for r in data["results"]]
        self.assertEqual(known.apply(data, issues), (0, 0))
        self.assertEqual(data["results"], first)

    def test_sample_ktap_without_known_matches_runner_output_with_known(self):
        data = results.from_ktap_text(sample_text())
        known.apply(data, known.parse("nop.unknown_opcode_fails 6.18.* opcode bug\n"))
        case = data["results"][1]
        self.assertEqual((case["status"], case["reason"]), ("xfail", "known issue: opcode bug"))


if __name__ == "__main__":
    unittest.main()

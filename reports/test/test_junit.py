# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""Tests for junit.xml: well-formed, the right counts, verdict mapping."""

import unittest
import xml.etree.ElementTree as ET

import junit
import results
from test.fixtures import data_with, entry, sample_text


def parse(data):
    """Render and parse back; a parse error fails the test."""
    return ET.fromstring(junit.render(data).encode("utf-8"))


def counts(element):
    """The count attributes of a suite or the root as ints."""
    return {k: int(element.get(k)) for k in ("tests", "failures", "errors", "skipped")}


class SampleTest(unittest.TestCase):
    """The runner sample: one of every verdict."""

    def setUp(self):
        self.data = results.from_ktap_text(sample_text())
        self.root = parse(self.data)

    def test_root_counts_match_summary_line(self):
        self.assertEqual(self.root.tag, "testsuites")
        self.assertEqual(counts(self.root), {"tests": 6, "failures": 1, "errors": 2, "skipped": 2})
        passed, failed, skipped = results.summary_counts(self.data)
        c = counts(self.root)
        self.assertEqual((c["tests"] - c["failures"] - c["errors"] - c["skipped"],
                          c["failures"] + c["errors"], c["skipped"]), (passed, failed, skipped))

    def test_one_suite_per_area_with_consistent_counts(self):
        suites = self.root.findall("testsuite")
        self.assertEqual([s.get("name") for s in suites], ["nop", "wrap"])
        self.assertEqual(counts(suites[0]), {"tests": 5, "failures": 1, "errors": 1, "skipped": 2})
        self.assertEqual(counts(suites[1]), {"tests": 1, "failures": 0, "errors": 1, "skipped": 0})
        for suite in suites:
            self.assertEqual(int(suite.get("tests")), len(suite.findall("testcase")))
            self.assertEqual(suite.get("timestamp"), "2026-11-22T00:20:00Z")
        props = {p.get("name"): p.get("value") for p in suites[0].iter("property")}
        self.assertEqual(props["kernel"], "6.18.44-fc-v769")

    def test_verdict_elements(self):
        cases = {(c.get("classname"), c.get("name")): c for c in self.root.iter("testcase")}
        ok = cases[("nop.ref.default", "single_nop_completes_with_zero")]
        self.assertEqual(list(ok), [])
        self.assertEqual(ok.get("time"), "0.000")
        fail = cases[("nop.ref.default", "unknown_opcode_fails")].find("failure")
        self.assertEqual(fail.get("message"), "first difference: CQE 0 res -22 (EINVAL), expected 0")
        self.assertIn("   expected                      | seen", fail.text)
        timeout = cases[("nop.ref.default", "hangs_forever")].find("error")
        self.assertEqual((timeout.get("type"), timeout.get("message")), ("timeout", "killed after 10 s"))
        self.assertEqual(cases[("nop.ref.default", "hangs_forever")].get("time"), "10.001")
        skip = cases[("nop.ref.default", "needs_feature_x")].find("skipped")
        self.assertEqual(skip.get("message"), "kernel lacks IORING_FEAT_X (probe)")
        xfail = cases[("nop.liburing.no_sqarray", "single_nop_completes_with_zero")].find("skipped")
        self.assertEqual(xfail.get("message"), "XFAIL: known kernel bug xyz")
        error = cases[("wrap.ref.sqpoll", "crashed_case")].find("error")
        self.assertEqual(error.get("type"), "error")


class EdgeTest(unittest.TestCase):
    """Characters XML cannot hold, XPASS notes, empty runs."""

    def test_control_characters_and_markup_survive(self):
        log = ["\x1b[31mred\x1b[0m", "nul\x00here", "a <b> & \"c\"", "\ud800 lone surrogate"]
        data = data_with([entry("a&b", "c<d", "fail", "bad \x07 bell", log=log)])
        root = parse(data)
        case = root.find("testsuite/testcase")
        self.assertEqual(case.get("classname"), "a&b.ref.default")
        self.assertEqual(case.get("name"), "c<d")
        failure = case.find("failure")
        self.assertEqual(failure.get("message"), "bad \\x07 bell")
        self.assertIn("\\x1b[31mred", failure.text)
        self.assertIn("nul\\x00here", failure.text)
        self.assertIn('a <b> & "c"', failure.text)

    def test_xpass_is_a_passing_case_with_a_note(self):
        root = parse(data_with([entry("rw", "x", "pass", "XPASS: fixed?")]))
        case = root.find("testsuite/testcase")
        self.assertIsNone(case.find("failure"))
        self.assertIsNone(case.find("skipped"))
        self.assertEqual(case.find("system-out").text, "XPASS: fixed?")

    def test_xfail_keeps_its_log_in_system_out(self):
        root = parse(data_with([entry("rw", "x", "xfail", "known issue: y", log=["diff line"])]))
        self.assertEqual(root.find("testsuite/testcase/system-out").text, "diff line")

    def test_empty_run(self):
        root = parse(data_with([], kernel=""))
        self.assertEqual(counts(root), {"tests": 0, "failures": 0, "errors": 0, "skipped": 0})
        self.assertEqual(root.get("name"), "uringcheck unknown")


if __name__ == "__main__":
    unittest.main()

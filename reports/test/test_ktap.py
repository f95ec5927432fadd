# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""Tests for the generic KTAP parser (structure only, no uringcheck rules)."""

import os
import textwrap
import unittest

import ktap

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def sample_text():
    """The runner sample from the format description."""
    with open(os.path.join(DATA, "sample.ktap"), encoding="utf-8") as handle:
        return handle.read()


def parse(text):
    """Parse a dedented literal so tests can be written indented."""
    return ktap.parse(textwrap.dedent(text).lstrip("\n"))


class ResultLineTest(unittest.TestCase):
    """Splitting a single result line into its parts."""

    def check(self, line, ok, number, description, directive, reason):
        result = ktap.parse_result_line(line)
        self.assertEqual(
            (result.ok, result.number, result.description, result.directive, result.reason),
            (ok, number, description, directive, reason),
        )

    def test_plain_pass(self):
        self.check("ok 1 single_nop", True, 1, "single_nop", "", "")

    def test_kselftest_double_space_is_reason_not_directive(self):
        self.check("not ok 2 name #  reason here", False, 2, "name", "", "reason here")
        self.check("not ok 2 name #  ERROR: got -5", False, 2, "name", "", "ERROR: got -5")

    def test_directives_case_insensitive(self):
        self.check("ok 3 x # SKIP no feature", True, 3, "x", "SKIP", "no feature")
        self.check("ok 3 x # skip no feature", True, 3, "x", "SKIP", "no feature")
        self.check("not ok 4 y # TIMEOUT killed", False, 4, "y", "TIMEOUT", "killed")
        self.check("ok 5 z # xpass oops", True, 5, "z", "XPASS", "oops")
        self.check("ok 6 t # TODO later", True, 6, "t", "TODO", "later")

    def test_description_with_spaces_and_first_separator(self):
        self.check("ok 7 a b c # SKIP why # not a split", True, 7, "a b c", "SKIP",
                   "why # not a split")

    def test_hash_inside_word_is_not_a_separator(self):
        self.check("ok 8 foo#bar", True, 8, "foo#bar", "", "")

    def test_no_description(self):
        self.check("ok 9 # SKIP all", True, 9, "", "SKIP", "all")
        self.check("ok 10", True, 10, "", "", "")

    def test_tap_dash(self):
        self.check("ok 11 - described", True, 11, "described", "", "")

    def test_unparseable(self):
        with self.assertRaises(ktap.KtapError) as ctx:
            ktap.parse_result_line("ok x foo", 7)
        self.assertEqual(ctx.exception.line, 7)


class StructureTest(unittest.TestCase):
    """Blocks, nesting, diagnostics attachment."""

    def test_sample_structure(self):
        doc = ktap.parse(sample_text())
        self.assertFalse(doc.truncated)
        root = doc.root
        self.assertEqual(root.plan, 3)
        self.assertEqual([r.description for r in root.results],
                         ["nop.ref.default", "nop.liburing.no_sqarray", "wrap.ref.sqpoll"])
        first = root.results[0].subtest
        self.assertEqual(first.plan, 4)
        self.assertIn("group: area=nop backend=ref mode=default", first.header)
        self.assertEqual(first.results[1].diagnostics[-1], "time_ms: 1.020")
        self.assertEqual(first.results[1].diagnostics[2], "   expected                      | seen")
        self.assertEqual(root.results[1].subtest.trailer, ["time_ms: 0.1"])
        self.assertIn("duration_s: 3.210", root.trailer)
        self.assertTrue(any(d.startswith("uringcheck:") for d in root.header))

    def test_tap_versions_accepted(self):
        for version in ("TAP version 13", "TAP version 14", "KTAP version 1"):
            doc = ktap.parse(version + "\n1..1\nok 1 a\n")
            self.assertEqual(doc.root.version, version)
            self.assertFalse(doc.truncated)

    def test_depth_three(self):
        doc = parse("""
            KTAP version 1
            1..1
                KTAP version 1
                1..1
                    KTAP version 1
                    1..2
                    ok 1 leaf_a
                    not ok 2 leaf_b
                not ok 1 middle
            not ok 1 top
            """)
        self.assertFalse(doc.truncated)
        middle = doc.root.results[0].subtest.results[0]
        self.assertEqual(middle.description, "middle")
        self.assertEqual([r.description for r in middle.subtest.results], ["leaf_a", "leaf_b"])
        depths = [(d, r.description) for d, r in ktap.walk(doc.root)]
        self.assertEqual(depths, [(2, "leaf_a"), (2, "leaf_b"), (1, "middle"), (0, "top")])

    def test_stray_unindented_diagnostic_stays_in_block(self):
        doc = parse("""
            KTAP version 1
            1..1
                KTAP version 1
                1..1
            # stray line from a child
                ok 1 a
            ok 1 g
            """)
        inner = doc.root.results[0].subtest.results[0]
        self.assertEqual(inner.diagnostics, ["stray line from a child"])

    def test_unknown_lines_kept_as_diagnostics(self):
        doc = ktap.parse("KTAP version 1\n1..1\nSegmentation fault\nnot ok 1 a\n")
        self.assertEqual(doc.root.results[0].diagnostics, ["Segmentation fault"])


class TruncationTest(unittest.TestCase):
    """A run that died is parsed, not rejected."""

    def test_subtest_without_parent_line(self):
        doc = parse("""
            KTAP version 1
            1..2
                KTAP version 1
                1..1
                ok 1 a
            ok 1 g1
                KTAP version 1
                1..3
                ok 1 b
            """)
        self.assertTrue(doc.truncated)
        last = doc.root.results[-1]
        self.assertTrue(last.missing)
        self.assertEqual([r.description for r in last.subtest.results], ["b"])

    def test_sibling_block_without_parent_line(self):
        doc = parse("""
            KTAP version 1
            1..2
                KTAP version 1
                1..1
                ok 1 a
                KTAP version 1
                1..1
                ok 1 b
            ok 2 g2
            """)
        self.assertTrue(doc.truncated)
        self.assertTrue(doc.root.results[0].missing)
        self.assertEqual(doc.root.results[1].subtest.results[0].description, "b")

    def test_plan_mismatch(self):
        doc = ktap.parse("KTAP version 1\n1..3\nok 1 a\n")
        self.assertTrue(doc.truncated)

    def test_partial_last_line(self):
        doc = ktap.parse("KTAP version 1\n1..2\nok 1 a\nnot o")
        self.assertTrue(doc.truncated)
        self.assertEqual(len(doc.root.results), 1)


class MalformedTest(unittest.TestCase):
    """Input that cannot be KTAP raises KtapError with a line number."""

    def assert_error_line(self, text, line):
        with self.assertRaises(ktap.KtapError) as ctx:
            ktap.parse(text)
        self.assertEqual(ctx.exception.line, line)

    def test_not_ktap(self):
        self.assert_error_line("\nhello world\n", 2)

    def test_bad_result_line(self):
        self.assert_error_line("KTAP version 1\n1..1\nok one\n", 3)

    def test_empty(self):
        self.assert_error_line("", None)

    def test_second_top_level_version(self):
        self.assert_error_line("KTAP version 1\n1..1\nok 1 a\nKTAP version 1\n", 4)


if __name__ == "__main__":
    unittest.main()

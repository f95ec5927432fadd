# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""Tests for report.html: content, escaping, self-containment, structure."""

import html.parser
import json
import re
import unittest

import htmlbase
import htmlreport
import results
from test.fixtures import data_with, entry, sample_text

VOID = {"meta", "br", "input", "link", "img", "hr"}


class TagChecker(html.parser.HTMLParser):
    """Fails on unbalanced tags; collects text of <pre> and script data."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.pre, self.scripts = [], [], [], []
        self._in = None

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)
        if tag in ("pre", "script"):
            self._in = (tag, dict(attrs))
            (self.pre if tag == "pre" else self.scripts).append("")

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("unexpected </%s> with %s open" % (tag, self.stack[-3:]))
            return
        self.stack.pop()
        if self._in and self._in[0] == tag:
            self._in = None

    def handle_data(self, data):
        if self._in:
            target = self.pre if self._in[0] == "pre" else self.scripts
            target[-1] += data


def check(text):
    """Parse a page; return the checker after asserting it is balanced."""
    checker = TagChecker()
    checker.feed(text)
    checker.close()
    assert not checker.errors, checker.errors[:3]
    assert not checker.stack, checker.stack
    return checker


class SampleTest(unittest.TestCase):
    """The runner sample rendered as HTML."""

    def setUp(self):
        self.data = results.from_ktap_text(sample_text())
        self.text = htmlreport.render(self.data)
        self.page = check(self.text)

    def test_metadata_and_totals(self):
        self.assertIn("<title>uringcheck report: 6.18.44-fc-v769</title>", self.text)
        self.assertIn("<dt>Started</dt><dd>2026-11-22T00:20:00Z</dd>", self.text)
        self.assertIn("<dt>Parallel jobs</dt><dd>2</dd>", self.text)
        self.assertIn("Summary line: 1 passed, 3 failed, 2 skipped", self.text)

    def test_failure_diff_in_pre(self):
        self.assertTrue(any("   expected                      | seen" in p for p in self.page.pre))
        self.assertIn("Failures (3)", self.text)
        self.assertIn("killed after 10 s", self.text)

    def test_matrix_cells_have_counts_and_symbols(self):
        self.assertIn('<td class="cell v-fail" title="nop, ref/default: 1 fail, 1 timeout, 1 pass, '
                      '1 skip"', self.text)
        self.assertIn("\u2717\u00a01 \u25f7\u00a01 \u2713\u00a01 \u25cb\u00a01</td>", self.text)
        self.assertIn('title="wrap, ref/sqpoll: 1 error"', self.text)
        self.assertIn('class="cell v-xfail"', self.text)

    def test_known_skip_and_probe_sections(self):
        self.assertIn("known kernel bug xyz", self.text)
        self.assertIn("kernel lacks IORING_FEAT_X (probe)", self.text)
        self.assertIn("<span>SUBMIT_STABLE</span>", self.text)

    def test_self_contained(self):
        self.assertNotRegex(self.text, r'(?i)(src|href)="(https?:)?//')
        self.assertNotIn("@import", self.text)
        self.assertEqual(len(self.page.scripts), 2)  # the data island and the page script

    def test_island_is_valid_json_for_the_panel(self):
        island = json.loads(self.page.scripts[0])
        self.assertEqual(island["areas"], ["nop", "wrap"])
        self.assertEqual(len(island["runs"]), 6)
        self.assertEqual(island["sym"]["pass"], "\u2713")


class EscapingTest(unittest.TestCase):
    """Nothing from a run can become markup or script."""

    def setUp(self):
        nasty = "</script><script>alert(1)</script> & <b>"
        runs = [entry("a<b", "c\"d", "fail", nasty, backend="x'y", log=["seen <- res & <i>", nasty]),
                entry("a<b", "s", "skip", nasty), entry("a<b", "k", "xfail", nasty, log=[nasty]),
                entry("a<b", "p", "pass", "XPASS: " + nasty)]
        self.data = data_with(runs, kernel="<k>", probe={"opcodes": ["<NOP>"]})
        self.text = htmlreport.render(self.data)

    def test_no_raw_markup_from_data(self):
        check(self.text)
        self.assertNotIn("<script>alert", self.text)
        self.assertNotIn("<i>", self.text)
        self.assertIn("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;", self.text)
        self.assertIn("a&lt;b", self.text)
        self.assertIn("c&quot;d", self.text)
        self.assertIn("&lt;NOP&gt;", self.text)
        self.assertIn("<title>uringcheck report: &lt;k&gt;</title>", self.text)

    def test_island_cannot_close_its_script(self):
        island = self.text[self.text.index('id="runs-data">'):]
        island = island[:island.index("</script>")]
        self.assertNotIn("<", island[len('id="runs-data">'):])
        self.assertIn("\\u003c/script\\u003e", island)

    def test_diff_marker_lines_escaped_and_highlighted(self):
        self.assertIn('<span class="mark">seen &lt;- res &amp; &lt;i&gt;</span>', self.text)


class HelpersTest(unittest.TestCase):
    """Cell colouring and compact text."""

    def test_cell_class_priorities(self):
        self.assertEqual(htmlreport.cell_class({"pass": 3, "timeout": 1}), "v-fail")
        self.assertEqual(htmlreport.cell_class({"skip": 3}), "v-skip")
        self.assertEqual(htmlreport.cell_class({"pass": 3, "skip": 9}), "v-pass")
        self.assertEqual(htmlreport.cell_class({"pass": 3, "xfail": 1}), "v-xfail")
        self.assertEqual(htmlreport.cell_class({}), "v-none")

    def test_every_verdict_has_symbol_and_word(self):
        for status in results.STATUSES:
            symbol, label, css = htmlbase.verdict(status)
            self.assertTrue(symbol and label and css.startswith("v-"))
        self.assertEqual(len({htmlbase.verdict(s)[0] for s in results.STATUSES}), 6)

    def test_empty_run_renders(self):
        text = htmlreport.render(data_with([], truncated=True, unavailable="ENOSYS"))
        check(text)
        self.assertIn("<b>io_uring unavailable:</b> ENOSYS", text)
        self.assertIn("<b>Truncated run:</b>", text)
        self.assertNotIn('id="runs-data"', text)
        self.assertTrue(re.search(r"Failures \(0\)</h2>\s*<p>None.</p>", text))


if __name__ == "__main__":
    unittest.main()

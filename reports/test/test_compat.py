# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""Tests for the compatibility matrix: merging runs, cells, features, outputs."""

import json
import os
import shutil
import tempfile
import unittest

import compat
import compat_html
import timeline
from test.fixtures import data_with, grid, run_main, read, write
from test.test_html import check

TIMELINE = """\
| val | name | kind | kernel | semantics | source |
|---|---|---|---|---|---|
| 0 | IORING_OP_NOP | opcode | 5.1 | nop | x |
| 55 | IORING_OP_FTRUNCATE | opcode | 6.9 | ftruncate | x |
| 15 | IORING_FEAT_MIN_TIMEOUT | feature flag | 6.12 | min wait | x |
| 13 | IORING_SETUP_DEFER_TASKRUN | setup flag | 6.1 | defer | x |
"""

# a truncated KTAP run: it died inside its second group
TRUNCATED_KTAP = """\
KTAP version 1
# uringcheck: version=0.1 kernel=6.12.0-y arch=x86_64 started=2026-01-02T00:00:00Z jobs=2
# probe: opcodes=NOP,FTRUNCATE
# probe: features=MIN_TIMEOUT
1..4
    KTAP version 1
    # group: area=nop backend=ref mode=default
    1..2
    ok 1 single
    ok 2 batch
ok 1 nop.ref.default
    KTAP version 1
    # group: area=nop backend=ref mode=sqpoll
    1..2
    ok 1 single
"""


def kernel_618():
    """A complete run on the newest kernel."""
    runs = grid("nop", "single") + grid("nop", "batch") + grid(
        "rw", "ftruncate", overrides={("liburing", "no_sqarray"): ("skip", "liburing 2.3")})
    return data_with(runs, kernel="6.18.4", probe={"opcodes": ["NOP", "FTRUNCATE"],
                                                   "features": ["MIN_TIMEOUT"],
                                                   "setup_flags": ["DEFER_TASKRUN"]})


def kernel_61():
    """An older kernel: ftruncate missing, a failure in one mode, a back-port."""
    skip_all = ("skip", "kernel lacks FTRUNCATE (probe)")
    runs = grid("nop", "single", overrides={("ref", "sqpoll"): ("fail", "wrong res"),
                                            ("liburing", "sqpoll"): ("fail", "wrong res")})
    runs += grid("nop", "batch", overrides={("liburing", m): ("skip", "old liburing")
                                            for m in ("default", "sqpoll", "no_sqarray")})
    runs += grid("rw", "ftruncate", skip_all[0], reason=skip_all[1])
    return data_with(runs, kernel="6.1.0-x", probe={"opcodes": ["NOP"], "features": ["MIN_TIMEOUT"],
                                                    "setup_flags": []})


class MergeTest(unittest.TestCase):
    """Three runs, one of them truncated, given out of version order."""

    def setUp(self):
        import results
        truncated = results.from_ktap_text(TRUNCATED_KTAP)
        self.assertTrue(truncated["truncated"])
        runs = [("a.json", kernel_618()), ("b.ktap", truncated), ("c.json", kernel_61())]
        self.table = compat.build(runs, timeline.parse(TIMELINE), "io_uring_timeline.md")
        self.cells = {(c["area"], c["case"]): c["cells"] for c in self.table["cases"]}

    def test_columns_sorted_by_version(self):
        self.assertEqual([k["label"] for k in self.table["kernels"]], ["6.1.0-x", "6.12.0-y", "6.18.4"])
        self.assertEqual([k["truncated"] for k in self.table["kernels"]], [False, True, False])

    def test_cases_are_the_union(self):
        self.assertEqual(list(self.cells), [("nop", "batch"), ("nop", "single"), ("rw", "ftruncate")])

    def test_agreeing_runs_collapse(self):
        self.assertEqual(self.cells[("nop", "single")]["6.18.4"]["summary"], "pass")
        self.assertEqual(self.cells[("rw", "ftruncate")]["6.1.0-x"]["summary"], "skip")
        self.assertEqual(self.cells[("rw", "ftruncate")]["6.1.0-x"]["reason"],
                         "kernel lacks FTRUNCATE (probe)")

    def test_split_is_named_and_compressed(self):
        self.assertEqual(self.cells[("rw", "ftruncate")]["6.18.4"]["summary"],
                         "pass (skip: liburing/no_sqarray)")
        single = self.cells[("nop", "single")]["6.1.0-x"]
        self.assertEqual(single["summary"], "pass (fail: */sqpoll)")
        self.assertEqual((single["verdict"], single["worst"]), ("pass", "fail"))
        self.assertEqual(len(single["exceptions"]), 2)
        self.assertEqual(self.cells[("nop", "batch")]["6.1.0-x"]["summary"], "pass (skip: liburing/*)")

    def test_truncated_run_has_what_it_reported_and_not_run_for_the_rest(self):
        self.assertEqual(self.cells[("nop", "single")]["6.12.0-y"]["summary"], "pass")
        self.assertEqual(self.cells[("nop", "batch")]["6.12.0-y"]["counts"], {"pass": 1})
        self.assertEqual(self.cells[("rw", "ftruncate")]["6.12.0-y"]["verdict"], "none")

    def test_features_annotated(self):
        ops = {r["name"]: r for r in self.table["features"]["opcodes"]}
        self.assertEqual([r["name"] for r in self.table["features"]["opcodes"]], ["NOP", "FTRUNCATE"])
        self.assertEqual(ops["FTRUNCATE"]["since"], "6.9")
        self.assertEqual(ops["FTRUNCATE"]["kernels"]["6.1.0-x"],
                         {"supported": False, "remark": ""})
        feat = self.table["features"]["features"][0]
        self.assertEqual(feat["kernels"]["6.1.0-x"]["remark"], "present before 6.12 (back-port?)")
        defer = self.table["features"]["setup_flags"][0]
        self.assertEqual(defer["kernels"]["6.12.0-y"]["remark"],
                         "absent although added in 6.1 (config, sysctl or probe?)")

    def test_markdown(self):
        text = compat.render_md(self.table)
        self.assertIn("| case | 6.1.0-x | 6.12.0-y | 6.18.4 |", text)
        self.assertIn("| nop.single | **pass (FAIL: \\*/sqpoll)** | pass | pass |", text)
        self.assertIn("| rw.ftruncate | skip | not run | pass (skip: liburing/no_sqarray) |", text)
        self.assertIn("| FTRUNCATE | 6.9 | - | yes | yes |", text)
        self.assertIn("truncated: cases it never reached", text)

    def test_html(self):
        text = compat_html.render(self.table)
        check(text)
        self.assertIn('<tr data-same="0" data-name="nop.single">', text)
        self.assertIn("<b>\u2717\u00a0fail: <span class=\"nw\">*/sqpoll</span></b>", text)
        self.assertIn("\u26a0 truncated", text)
        self.assertIn("present before 6.12 (back-port?)", text)


class IssuesTest(unittest.TestCase):
    """The "Failures and known issues" section: every failure, XFAIL and
    XPASS per kernel, with where it happened and its reason."""

    def setUp(self):
        old = kernel_61()
        old["results"] += grid("rw", "chain", "xfail", reason="known issue: chains not broken")
        old["results"] += grid("nop", "listed", overrides={
            ("ref", "default"): ("pass", "XPASS: known issue did not reproduce (fixed? drop it "
                                         "from the list): y")})
        old["results"] += grid("nop", "long", overrides={
            ("ref", m): ("fail", "known issue, still a failure: " + "x" * 700) for m in
            ("default", "sqpoll", "big", "coop_taskrun", "defer_taskrun")})
        self.table = compat.build([("a", kernel_618()), ("b", old)])
        self.rows = {(r["kernel"], r["area"], r["case"], r["status"]): r for r in self.table["issues"]}

    def test_each_verdict_is_listed_with_where_and_reason(self):
        self.assertEqual(sorted(k[1:] for k in self.rows), [
            ("nop", "listed", "xpass"), ("nop", "long", "fail"), ("nop", "single", "fail"),
            ("rw", "chain", "xfail")])
        single = self.rows[("6.1.0-x", "nop", "single", "fail")]
        self.assertEqual((single["runs"], single["of"], single["where"], single["reason"]),
                         (2, 6, ["*/sqpoll"], "wrong res"))
        self.assertEqual(self.rows[("6.1.0-x", "rw", "chain", "xfail")]["where"],
                         ["ref/*", "liburing/*"])
        self.assertEqual(self.rows[("6.1.0-x", "nop", "listed", "xpass")]["where"], ["ref/default"])

    def test_long_reasons_are_cut_and_modes_named_by_exception(self):
        row = self.rows[("6.1.0-x", "nop", "long", "fail")]
        self.assertEqual(len(row["reason"]), compat.REASON_MAX)
        self.assertTrue(row["reason"].endswith("..."))
        self.assertEqual(row["where"], ["ref/* except no_sqarray"])

    def test_kernel_without_issues_says_none(self):
        text = compat.render_md(self.table)
        section = text[text.index("## Failures and known issues"):text.index("## Cases")]
        self.assertIn("### 6.18.4\n\nNone.", section)
        self.assertIn("| nop.single | FAIL | 2 of 6: \\*/sqpoll | wrong res |", section)
        self.assertIn("| rw.chain | xfail | 6 of 6: ref/\\*, liburing/\\* | known issue: chains "
                      "not broken |", section)

    def test_html(self):
        text = compat_html.render(self.table)
        check(text)
        self.assertIn("<h2>Failures and known issues</h2>", text)
        self.assertIn("known issue: chains not broken", text)
        self.assertIn("\u2713\u00a0xpass", text)


class HelpersTest(unittest.TestCase):
    """Sorting and labels."""

    def test_kernel_sort(self):
        releases = ["6.12.0-y", "5.15.0", "6.1.0-x", "weird", "6.18.44-fc-v769", "6.2"]
        self.assertEqual(sorted(releases, key=compat.kernel_key),
                         ["5.15.0", "6.1.0-x", "6.2", "6.12.0-y", "6.18.44-fc-v769", "weird"])

    def test_repeated_kernel_gets_a_suffix(self):
        same = [("a", data_with([], kernel="6.1")), ("b", data_with([], kernel="6.1"))]
        columns = compat.label_kernels(same)
        self.assertEqual([c[0] for c in columns], ["6.1", "6.1 #2"])


class CliTest(unittest.TestCase):
    """``uringreport compat`` end to end: run dirs, results.json, ktap.txt."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="uringreport-compat-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_writes_three_files(self):
        old = write(self.tmp, "k61/results.json", kernel_61())
        write(self.tmp, "k618/results.json", kernel_618())
        write(self.tmp, "k612/ktap.txt", TRUNCATED_KTAP)
        tl = write(self.tmp, "timeline.md", TIMELINE)
        out = os.path.join(self.tmp, "out")
        status, stdout, stderr = run_main("compat", out, os.path.join(self.tmp, "k618"), old,
                                          os.path.join(self.tmp, "k612"), "--timeline", tl)
        self.assertEqual(status, 0, stderr)
        self.assertIn("3 kernels: 6.1.0-x, 6.12.0-y, 6.18.4; 3 distinct cases", stdout)
        self.assertIn("truncated", stderr)
        table = json.loads(read(os.path.join(out, "compat.json")))
        self.assertEqual(table["kind"], "uringcheck-compat")
        self.assertTrue(read(os.path.join(out, "compat.md")).startswith("# uringcheck compat"))
        check(read(os.path.join(out, "compat.html")))

    def test_without_timeline(self):
        path = write(self.tmp, "r.json", kernel_61())
        status, _, stderr = run_main("compat", self.tmp, path, "--no-timeline")
        self.assertEqual((status, stderr), (0, ""))
        table = json.loads(read(os.path.join(self.tmp, "compat.json")))
        self.assertEqual(table["features"]["opcodes"][0]["since"], "")


if __name__ == "__main__":
    unittest.main()

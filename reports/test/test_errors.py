# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""Malformed input for every subcommand: one stderr line naming the file
(and the line where there is one), exit status 2, never a traceback.

These call uringreport.main in-process (fast); test_cli covers the same
contract through a real subprocess."""

import os
import shutil
import tempfile
import unittest

from test.fixtures import SAMPLE, data_with, entry, run_main, write

BAD_KTAP = "KTAP version 1\n1..2\nok 1 a\nnot ok two b\n"


class MalformedInputTest(unittest.TestCase):
    """Each case: the command line, then what the single error line says."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="uringreport-err-")
        self.bad_ktap = write(self.tmp, "bad.ktap", BAD_KTAP)
        self.bad_json = write(self.tmp, "bad.json", '{"schema": 1,\n "results": [,]}\n')
        self.schema2 = write(self.tmp, "schema2.json", {"schema": 2, "results": []})
        self.bad_status = write(self.tmp, "status.json",
                                data_with([entry("a", "b", "maybe")]))
        self.bad_probe = write(self.tmp, "probe.json", data_with([], probe=["NOP"]))
        self.bad_known = write(self.tmp, "known.txt", "# ok\nnop.a 6.1\n")
        self.good = write(self.tmp, "good/results.json", data_with([entry("a", "b", "pass")]))
        self.empty_dir = os.path.join(self.tmp, "empty")
        os.mkdir(self.empty_dir)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def assert_error(self, args, needle):
        """Exit 2 and exactly one ``uringreport: ...`` line containing needle."""
        status, _, err = run_main(*args)
        self.assertEqual(status, 2, (args, err))
        lines = err.splitlines()
        self.assertEqual(len(lines), 1, err)
        self.assertTrue(lines[0].startswith("uringreport: "), lines[0])
        self.assertNotIn("Traceback", err)
        self.assertIn(needle, lines[0])

    def test_run(self):
        out = os.path.join(self.tmp, "out")
        self.assert_error(["run", self.bad_ktap, out], self.bad_ktap + ":4: cannot parse result line")
        self.assert_error(["run", os.path.join(self.tmp, "nope"), out], "nope: No such file")
        self.assert_error(["run", "--known", self.bad_known, SAMPLE, out],
                          self.bad_known + ":2: want AREA.CASE-GLOB")
        self.assert_error(["run", SAMPLE, self.good], self.good + ": ")  # OUTDIR is a file

    def test_json(self):
        self.assert_error(["json", self.bad_json], self.bad_json + ":1: not a KTAP stream")
        self.assert_error(["json", "--known", os.path.join(self.tmp, "missing"), SAMPLE],
                          "missing: No such file")

    def test_md_html_junit(self):
        for command in ("md", "html", "junit"):
            self.assert_error([command, self.bad_json], self.bad_json + ":2: invalid JSON")
            self.assert_error([command, self.schema2], self.schema2 + ": not a uringcheck results.json")
            self.assert_error([command, self.bad_status], "results[0] has unknown status 'maybe'")
            self.assert_error([command, self.bad_probe], self.bad_probe + ': "probe" must map')
            self.assert_error([command, self.bad_ktap], self.bad_ktap + ":4: ")
            self.assert_error([command, "--known", self.bad_known, self.good], self.bad_known + ":2: ")

    def test_compat(self):
        out = os.path.join(self.tmp, "out")
        # --no-timeline: whether ../shared is next to this checkout is not the test's business
        self.assert_error(["compat", "--no-timeline", out, self.good, self.empty_dir],
                          self.empty_dir + ": not a run directory")
        broken = write(self.tmp, "run2/results.json", '{"schema": 1, "results": [\n  {"area": 1}\n]}')
        self.assert_error(["compat", "--no-timeline", out, os.path.dirname(broken)],
                          broken + ": results[0] lacks case")
        cut = write(self.tmp, "run3/ktap.txt", "")
        self.assert_error(["compat", "--no-timeline", out, os.path.dirname(cut)],
                          cut + ": empty file")
        self.assert_error(["compat", out, self.good, "--timeline", os.path.join(self.tmp, "tl.md")],
                          "tl.md: No such file")
        no_tables = write(self.tmp, "tl2.md", "# nothing\n")
        self.assert_error(["compat", out, self.good, "--timeline", no_tables],
                          no_tables + ": no name/kind/kernel tables")
        self.assert_error(["compat", "--no-timeline", self.good, self.good],
                          self.good + ": ")  # OUTDIR is a file
        self.assert_error(["compat", out], "the following arguments are required: RUN")

    def test_diff(self):
        self.assert_error(["diff", self.good, os.path.join(self.tmp, "gone.json")], "gone.json: ")
        self.assert_error(["diff", self.bad_ktap, self.good], self.bad_ktap + ":4: ")
        self.assert_error(["diff", self.good, self.schema2], self.schema2 + ": not a uringcheck")
        self.assert_error(["diff", self.good], "the following arguments are required: NEW")

    def test_default_timeline_missing_only_warns(self):
        import timeline
        saved, timeline.DEFAULT_PATH = timeline.DEFAULT_PATH, os.path.join(self.tmp, "none.md")
        try:
            status, _, err = run_main("compat", os.path.join(self.tmp, "o"), self.good)
        finally:
            timeline.DEFAULT_PATH = saved
        self.assertEqual(status, 0)
        self.assertIn("warning", err)
        self.assertIn("kernel versions are not annotated", err)


if __name__ == "__main__":
    unittest.main()

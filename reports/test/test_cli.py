# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""End-to-end tests of uringreport.py run as a subprocess, as make would."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(os.path.dirname(HERE), "uringreport.py")
SAMPLE = os.path.join(HERE, "data", "sample.ktap")


def run_tool(*args):
    """Run the CLI with the interpreter running the tests; capture output."""
    return subprocess.run([sys.executable, TOOL] + list(args), capture_output=True,
                          text=True, timeout=30, check=False)


class CliTest(unittest.TestCase):
    """Exit codes, output files and the one-line error contract."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="uringreport-test-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write(self, name, text):
        """Create an input file in the scratch directory."""
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        return path

    def assert_one_line_error(self, proc, needle):
        """Exit 2, exactly one stderr line containing ``needle``, no traceback."""
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertNotIn("Traceback", proc.stderr)
        lines = proc.stderr.splitlines()
        self.assertEqual(len(lines), 1, proc.stderr)
        self.assertTrue(lines[0].startswith("uringreport: "), lines[0])
        self.assertIn(needle, lines[0])

    def test_run_writes_both_files(self):
        outdir = os.path.join(self.tmp, "out")
        proc = run_tool("run", SAMPLE, outdir)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        lines = proc.stdout.splitlines()
        json_path, md_path = os.path.join(outdir, "results.json"), os.path.join(outdir, "report.md")
        self.assertEqual(lines[0], "wrote %s, %s" % (json_path, md_path))
        self.assertEqual(lines[-1], "1 passed, 3 failed, 2 skipped")
        with open(json_path, encoding="utf-8") as handle:
            self.assertEqual(json.load(handle)["totals"]["timeout"], 1)
        with open(md_path, encoding="utf-8") as handle:
            self.assertIn("## Failures (3)", handle.read())

    def test_run_strict_fails_on_failures(self):
        proc = run_tool("run", "--strict", SAMPLE, self.tmp)
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(proc.stdout.splitlines()[-1], "1 passed, 3 failed, 2 skipped")

    def test_malformed_result_line(self):
        path = self.write("bad.ktap", "KTAP version 1\n1..2\nok 1 a\nnot ok two b\n")
        self.assert_one_line_error(run_tool("run", path, self.tmp), path + ":4: ")

    def test_not_ktap(self):
        path = self.write("junk.txt", "make: *** [all] Error 2\n")
        self.assert_one_line_error(run_tool("json", path), path + ":1: not a KTAP stream")

    def test_md_from_results_json_matches_run(self):
        self.assertEqual(run_tool("run", SAMPLE, self.tmp).returncode, 0)
        proc = run_tool("md", os.path.join(self.tmp, "results.json"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(os.path.join(self.tmp, "report.md"), encoding="utf-8") as handle:
            self.assertEqual(proc.stdout, handle.read())

    def test_md_bad_json(self):
        path = self.write("results.json", '{"schema": 1,\n "results": [,]}\n')
        self.assert_one_line_error(run_tool("md", path), path + ":2: invalid JSON")

    def test_json_output_file_for_truncated_stream(self):
        with open(SAMPLE, encoding="utf-8") as handle:
            head = "".join(handle.readlines()[:20])
        path, out = self.write("cut.ktap", head), os.path.join(self.tmp, "r.json")
        proc = run_tool("json", path, "-o", out)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(out, encoding="utf-8") as handle:
            data = json.load(handle)
        self.assertTrue(data["truncated"])
        self.assertEqual(len(data["results"]), 3)

    def test_usage_errors(self):
        self.assert_one_line_error(run_tool("frobnicate"), "invalid choice")
        self.assert_one_line_error(run_tool("json", SAMPLE, "--bogus"), "--bogus")
        self.assert_one_line_error(run_tool("json", os.path.join(self.tmp, "nope")), "nope")


if __name__ == "__main__":
    unittest.main()

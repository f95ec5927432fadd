# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""End-to-end tests of uringreport.py: a few as a subprocess, as make runs it,
the rest through main() in-process (same code path, without ~0.1 s of
interpreter start-up each)."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

from test.fixtures import run_main

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(os.path.dirname(HERE), "uringreport.py")
SAMPLE = os.path.join(HERE, "data", "sample.ktap")


def run_tool(*args):
    """Run the CLI with the interpreter running the tests; capture output."""
    return subprocess.run([sys.executable, TOOL] + list(args), capture_output=True,
                          text=True, timeout=30, check=False)


def call(*args):
    """The CLI in-process, with run_tool's result shape."""
    status, out, err = run_main(*args)
    return subprocess.CompletedProcess(list(args), status, out, err)


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

    def test_run_writes_all_four_files(self):
        outdir = os.path.join(self.tmp, "out")
        proc = run_tool("run", SAMPLE, outdir)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        lines = proc.stdout.splitlines()
        paths = [os.path.join(outdir, name)
                 for name in ("results.json", "report.md", "report.html", "junit.xml")]
        self.assertEqual(lines[0], "wrote " + ", ".join(paths))
        self.assertEqual(lines[-1], "1 passed, 3 failed, 2 skipped")
        with open(paths[0], encoding="utf-8") as handle:
            self.assertEqual(json.load(handle)["totals"]["timeout"], 1)
        with open(paths[1], encoding="utf-8") as handle:
            self.assertIn("## Failures (3)", handle.read())
        with open(paths[2], encoding="utf-8") as handle:
            self.assertIn("Failures (3)</h2>", handle.read())
        ET.parse(paths[3])

    def test_run_with_known_file(self):
        known = self.write("known.txt", "# triaged\nnop.unknown_*@default 6.18.* opcode bug\n"
                                        "nop.single_*@sqpoll * never matches\n")
        proc = call("run", "--known", known, SAMPLE, self.tmp)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.splitlines()[-1], "1 passed, 2 failed, 3 skipped")
        with open(os.path.join(self.tmp, "results.json"), encoding="utf-8") as handle:
            case = json.load(handle)["results"][1]
        self.assertEqual((case["status"], case["reason"]), ("xfail", "known issue: opcode bug"))

    def test_run_strict_fails_on_failures(self):
        proc = call("run", "--strict", SAMPLE, self.tmp)
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(proc.stdout.splitlines()[-1], "1 passed, 3 failed, 2 skipped")

    def test_malformed_result_line(self):
        path = self.write("bad.ktap", "KTAP version 1\n1..2\nok 1 a\nnot ok two b\n")
        self.assert_one_line_error(run_tool("run", path, self.tmp), path + ":4: ")

    def test_not_ktap(self):
        path = self.write("junk.txt", "make: *** [all] Error 2\n")
        self.assert_one_line_error(call("json", path), path + ":1: not a KTAP stream")

    def test_md_from_results_json_matches_run(self):
        self.assertEqual(call("run", SAMPLE, self.tmp).returncode, 0)
        proc = call("md", os.path.join(self.tmp, "results.json"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(os.path.join(self.tmp, "report.md"), encoding="utf-8") as handle:
            self.assertEqual(proc.stdout, handle.read())

    def test_md_bad_json(self):
        path = self.write("results.json", '{"schema": 1,\n "results": [,]}\n')
        self.assert_one_line_error(call("md", path), path + ":2: invalid JSON")

    def test_json_output_file_for_truncated_stream(self):
        with open(SAMPLE, encoding="utf-8") as handle:
            head = "".join(handle.readlines()[:20])
        path, out = self.write("cut.ktap", head), os.path.join(self.tmp, "r.json")
        proc = call("json", path, "-o", out)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(out, encoding="utf-8") as handle:
            data = json.load(handle)
        self.assertTrue(data["truncated"])
        self.assertEqual(len(data["results"]), 3)

    def test_usage_errors(self):
        self.assert_one_line_error(run_tool("frobnicate"), "invalid choice")
        self.assert_one_line_error(call("json", SAMPLE, "--bogus"), "--bogus")
        self.assert_one_line_error(call("json", os.path.join(self.tmp, "nope")), "nope")


if __name__ == "__main__":
    unittest.main()

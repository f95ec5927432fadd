# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""Tests for the KTAP -> schema-1 results mapping."""

import json
import os
import textwrap
import unittest

import results

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def from_text(text):
    """Results dict from an indented literal."""
    return results.from_ktap_text(textwrap.dedent(text).lstrip("\n"))


def sample():
    """Results dict for the runner sample."""
    with open(os.path.join(DATA, "sample.ktap"), encoding="utf-8") as handle:
        return results.from_ktap_text(handle.read())


def one_group(*case_lines):
    """A single ``nop.ref.default`` group around the given indented lines."""
    body = "\n".join("    " + line for line in case_lines)
    return results.from_ktap_text(
        "KTAP version 1\n1..1\n    KTAP version 1\n    1..%d\n%s\nok 1 nop.ref.default\n"
        % (sum(1 for line in case_lines if "ok " in line), body))


class SampleTest(unittest.TestCase):
    """The exact sample from the format description."""

    def setUp(self):
        self.data = sample()

    def test_header(self):
        self.assertEqual(self.data["schema"], 1)
        self.assertEqual(self.data["kernel"], "6.18.44-fc-v769")
        self.assertEqual(self.data["arch"], "x86_64")
        self.assertEqual(self.data["started"], "2026-11-22T00:20:00Z")
        self.assertEqual(self.data["duration_s"], 3.21)
        self.assertEqual(self.data["probe"], {
            "features": ["SINGLE_MMAP", "NODROP", "SUBMIT_STABLE"],
            "opcodes": ["NOP", "READV", "WRITEV"],
            "setup_flags": ["IOPOLL", "SQPOLL"],
            "register_ops": ["REGISTER_BUFFERS", "REGISTER_FILES"],
        })
        self.assertFalse(self.data["truncated"])
        self.assertNotIn("unavailable", self.data)

    def test_results(self):
        got = [(r["area"], r["case"], r["backend"], r["mode"], r["status"], r["reason"],
                r["duration_ms"]) for r in self.data["results"]]
        self.assertEqual(got, [
            ("nop", "single_nop_completes_with_zero", "ref", "default", "pass", "", 0.412),
            ("nop", "unknown_opcode_fails", "ref", "default", "fail",
             "first difference: CQE 0 res -22 (EINVAL), expected 0", 1.02),
            ("nop", "needs_feature_x", "ref", "default", "skip",
             "kernel lacks IORING_FEAT_X (probe)", 0.05),
            ("nop", "hangs_forever", "ref", "default", "timeout", "killed after 10 s", 10001.0),
            ("nop", "single_nop_completes_with_zero", "liburing", "no_sqarray", "xfail",
             "known kernel bug xyz", 0.1),
            ("wrap", "crashed_case", "ref", "sqpoll", "error",
             "group ended before this case ran", None),
        ])

    def test_log_only_for_non_pass(self):
        first, second = self.data["results"][:2]
        self.assertNotIn("log", first)
        self.assertEqual(second["log"][-1], "   expected                      | seen")
        self.assertFalse(any(line.startswith("time_ms") for line in second["log"]))

    def test_totals_and_distinct(self):
        self.assertEqual(self.data["totals"], {"pass": 1, "fail": 1, "skip": 1, "xfail": 1,
                                               "timeout": 1, "error": 1})
        self.assertEqual(self.data["distinct_cases"], 5)
        self.assertEqual(results.summary_counts(self.data), (1, 3, 2))

    def test_round_trip_through_json(self):
        self.assertEqual(results.loads(results.dumps(self.data)), self.data)


class StatusTest(unittest.TestCase):
    """Status and reason mapping for individual cases."""

    def test_plain_fail_with_kselftest_reason(self):
        case = one_group("not ok 1 a #  got -22, expected 0")["results"][0]
        self.assertEqual((case["status"], case["reason"]), ("fail", "got -22, expected 0"))

    def test_fail_reason_from_first_difference_line(self):
        case = one_group("#  RUN a ...", "# expect.c:9: stream mismatch",
                         "# expect.c:10: first difference: CQE 1 flags 0x2, expected 0",
                         "#   expected | seen", "# time_ms: 2", "not ok 1 a")["results"][0]
        self.assertEqual(case["status"], "fail")
        self.assertEqual(case["reason"], "expect.c:10: first difference: CQE 1 flags 0x2, expected 0")
        self.assertEqual(case["duration_ms"], 2.0)

    def test_fail_reason_falls_back_to_last_diagnostic(self):
        case = one_group("# setup ok", "# ring fd leaked", "# time_ms: 1", "not ok 1 a")["results"][0]
        self.assertEqual(case["reason"], "ring fd leaked")

    def test_xpass_is_a_pass_that_keeps_its_note(self):
        case = one_group("ok 1 a # XPASS bug 123 fixed?")["results"][0]
        self.assertEqual(case["status"], "pass")
        self.assertEqual(case["reason"], "XPASS: bug 123 fixed?")

    def test_todo(self):
        data = one_group("ok 1 a # TODO later", "not ok 2 b # TODO later")
        self.assertEqual([r["status"] for r in data["results"]], ["pass", "xfail"])
        self.assertEqual(data["results"][0]["reason"], "")

    def test_missing_duration_is_null(self):
        self.assertIsNone(one_group("ok 1 a")["results"][0]["duration_ms"])

    def test_log_is_capped(self):
        lines = ["# line %d" % i for i in range(300)] + ["not ok 1 a"]
        log = one_group(*lines)["results"][0]["log"]
        self.assertEqual(len(log), results.LOG_CAP)
        self.assertIn("101 more lines", log[-1])


class ShapeTest(unittest.TestCase):
    """Groups, nesting, top-level cases, truncation, unavailability."""

    def test_group_from_description_when_no_header(self):
        data = from_text("""
            KTAP version 1
            1..1
                KTAP version 1
                1..1
                ok 1 c
            ok 1 link.liburing.sqpoll.defer
            """)
        case = data["results"][0]
        self.assertEqual((case["area"], case["backend"], case["mode"]),
                         ("link", "liburing", "sqpoll.defer"))

    def test_nested_depth_two(self):
        data = from_text("""
            KTAP version 1
            1..1
                KTAP version 1
                # group: area=poll backend=ref mode=default
                1..1
                    KTAP version 1
                    1..2
                    ok 1 leaf_a
                    not ok 2 leaf_b #  boom
                not ok 1 multishot
            not ok 1 poll.ref.default
            """)
        got = [(r["area"], r["case"], r["backend"], r["status"]) for r in data["results"]]
        self.assertEqual(got, [("poll", "multishot.leaf_a", "ref", "pass"),
                               ("poll", "multishot.leaf_b", "ref", "fail")])

    def test_top_level_case_without_block(self):
        data = from_text("""
            KTAP version 1
            1..2
            ok 1 link.hardlink # SKIP needs 6.1
            ok 2 foo
            """)
        got = [(r["area"], r["case"], r["backend"], r["mode"], r["status"]) for r in data["results"]]
        self.assertEqual(got, [("link", "hardlink", "", "", "skip"), ("", "foo", "", "", "pass")])

    def test_group_result_kept_when_it_adds_information(self):
        data = from_text("""
            KTAP version 1
            1..2
                KTAP version 1
                1..0
            ok 1 rw.ref.iopoll # SKIP IOPOLL unsupported
                KTAP version 1
                1..1
                ok 1 a
            not ok 2 rw.ref.default # ERROR teardown leaked a ring
            """)
        got = [(r["case"], r["mode"], r["status"], r["reason"]) for r in data["results"]]
        self.assertEqual(got, [("(group)", "iopoll", "skip", "IOPOLL unsupported"),
                               ("a", "default", "pass", ""),
                               ("(group)", "default", "error", "teardown leaked a ring")])

    def test_truncated_stream(self):
        data = from_text("""
            KTAP version 1
            # uringcheck: kernel=6.1.0 arch=aarch64
            1..3
                KTAP version 1
                # group: area=nop backend=ref mode=default
                1..1
                ok 1 a
            ok 1 nop.ref.default
                KTAP version 1
                # group: area=rw backend=ref mode=sqpoll
                1..4
                ok 1 b
                not ok 2 c # TIMEOUT killed
            """)
        self.assertTrue(data["truncated"])
        got = [(r["area"], r["case"], r["mode"], r["status"]) for r in data["results"]]
        self.assertEqual(got, [("nop", "a", "default", "pass"), ("rw", "b", "sqpoll", "pass"),
                               ("rw", "c", "sqpoll", "timeout")])
        self.assertEqual((data["kernel"], data["duration_s"]), ("6.1.0", 0))

    def test_run_metadata(self):
        data = from_text("""
            KTAP version 1
            # uringcheck: version=0.1 kernel=6.1.0 arch=x86_64 started=x jobs=4 seed=42
            # faults: enter:EINTR:every=3 (urinject)
            # faults: setup:ENOMEM:nth=1 (urinject)
            1..0
            """)
        self.assertEqual(data["run"], {"version": "0.1", "jobs": "4", "seed": "42",
                                       "faults": ["enter:EINTR:every=3", "setup:ENOMEM:nth=1"]})
        self.assertEqual(results.loads(results.dumps(data))["run"]["seed"], "42")

    def test_unavailable(self):
        data = from_text("""
            KTAP version 1
            # uringcheck: version=0.1 kernel=5.4.0 arch=x86_64 started=2026-01-01T00:00:00Z
            # io_uring unavailable: io_uring_setup: ENOSYS (kernel.io_uring_disabled=2?)
            1..0
            """)
        self.assertEqual(data["unavailable"], "io_uring_setup: ENOSYS (kernel.io_uring_disabled=2?)")
        self.assertEqual(data["results"], [])
        self.assertFalse(data["truncated"])


class LoadsTest(unittest.TestCase):
    """results.json validation for the ``md`` command."""

    def test_bad_json_has_line(self):
        with self.assertRaises(results.ResultsError) as ctx:
            results.loads('{\n "schema": 1,\n "results": [}\n')
        self.assertEqual(ctx.exception.line, 3)

    def test_wrong_schema(self):
        with self.assertRaises(results.ResultsError):
            results.loads(json.dumps({"schema": 2, "results": []}))

    def test_entry_missing_keys(self):
        with self.assertRaises(results.ResultsError):
            results.loads(json.dumps({"schema": 1, "results": [{"area": "x"}]}))


if __name__ == "__main__":
    unittest.main()

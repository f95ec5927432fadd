# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""Tests for the io_uring_timeline.md parser."""

import os
import tempfile
import unittest

import timeline

SMALL = """\
# timeline

## 1. SQE opcodes

| val | name | kind | kernel | one-line semantics | source |
|---|---|---|---|---|---|
| 0 | IORING_OP_NOP | opcode | 5.1 | Does nothing | LU |
| 37 | IORING_OP_MKDIRAT | opcode | **5.15** | mkdirat (dropped from 5.14) | PULL |
| 63 | IORING_OP_NOP128 | opcode | 6.19 | a \\| b in a cell | PULL |

## 3. Feature bits

| bit | name | kind | kernel | semantics | source |
|---|---|---|---|---|---|
| 12 | IORING_FEAT_LINKED_FILE | feature flag | **5.18** (-rc3), back-ported to 5.17.y | x | y |

## 4. register

| val | name | kind | kernel | semantics | source |
|---|---|---|---|---|---|
| 0 / 1 | IORING_REGISTER_BUFFERS / UNREGISTER_BUFFERS | register opcode | 5.1 | fixed | LU |
| 1<<31 | IORING_REGISTER_USE_REGISTERED_RING | register modifier | 6.3 | not probed | PULL |
| 37 | IORING_REGISTER_BPF_FILTER | register opcode | ~7.0 (unverified) | bpf | LU |

## 5. no kind column

| name | kernel |
|---|---|
| IORING_SETUP_SQPOLL | 9.9 |

## 11. other

| name | kind | kernel | note | source |
|---|---|---|---|---|
| IORING_TIMEOUT_ABS | timeout flag | 5.5 | | |
| IORING_SETUP_SQPOLL | setup flag | 5.1 | in a later table | |
"""

REAL = os.path.normpath(timeline.DEFAULT_PATH)


class ParseTest(unittest.TestCase):
    """Tables are found by their name/kind/kernel columns, rows by kind."""

    def setUp(self):
        self.found = timeline.parse(SMALL)

    def test_names_in_probe_spelling(self):
        self.assertEqual(list(self.found["opcodes"]), ["NOP", "MKDIRAT", "NOP128"])
        self.assertEqual(list(self.found["register_ops"]),
                         ["REGISTER_BUFFERS", "UNREGISTER_BUFFERS", "REGISTER_BPF_FILTER"])
        self.assertEqual(list(self.found["setup_flags"]), ["SQPOLL"])

    def test_versions_and_notes(self):
        self.assertEqual(self.found["opcodes"]["MKDIRAT"]["version"], "5.15")
        self.assertEqual(self.found["opcodes"]["MKDIRAT"]["text"], "5.15")
        linked = self.found["features"]["LINKED_FILE"]
        self.assertEqual((linked["version"], linked["text"]),
                         ("5.18", "5.18 (-rc3), back-ported to 5.17.y"))
        self.assertEqual(self.found["register_ops"]["REGISTER_BPF_FILTER"]["version"], "7.0")
        self.assertEqual(self.found["setup_flags"]["SQPOLL"]["version"], "5.1")

    def test_order_follows_the_file(self):
        orders = [self.found["opcodes"][n]["order"] for n in ("NOP", "MKDIRAT", "NOP128")]
        self.assertEqual(orders, sorted(orders))

    def test_file_without_tables_is_an_error(self):
        with tempfile.NamedTemporaryFile("w", suffix=".md") as handle:
            handle.write("# nothing here\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
            handle.flush()
            with self.assertRaises(timeline.TimelineError):
                timeline.load(handle.name)

    def test_version_tuple(self):
        self.assertEqual(timeline.version_tuple("**6.10** (stable too)"), (6, 10))
        self.assertIsNone(timeline.version_tuple("2026 mainline"))


@unittest.skipUnless(os.path.isfile(REAL), "no ../shared/reference/io_uring_timeline.md")
class RealTimelineTest(unittest.TestCase):
    """The reference file this project reads by default, sections 1-4."""

    def test_known_rows(self):
        found = timeline.load(REAL)
        self.assertEqual(found["opcodes"]["NOP"]["version"], "5.1")
        self.assertEqual(found["opcodes"]["WAITID"]["version"], "6.7")
        self.assertEqual(found["setup_flags"]["DEFER_TASKRUN"]["version"], "6.1")
        self.assertEqual(found["features"]["NO_IOWAIT"]["version"], "6.15")
        self.assertEqual(found["register_ops"]["UNREGISTER_NAPI"]["version"], "6.9")
        self.assertEqual(found["register_ops"]["REGISTER_QUERY"]["version"], "6.18")
        self.assertNotIn("USE_REGISTERED_RING", found["register_ops"])
        self.assertNotIn("TIMEOUT_ABS", found["setup_flags"])


if __name__ == "__main__":
    unittest.main()

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""uringreport: turn uringcheck's KTAP output into results.json and report.md.

  uringreport.py run KTAP_FILE OUTDIR [--strict]
  uringreport.py json KTAP_FILE [-o FILE]
  uringreport.py md KTAP_FILE|RESULTS_JSON [-o FILE]

Every error is one line on stderr (``uringreport: FILE:LINE: message``) and
exit status 2, never a traceback: make and CI logs stay readable.
"""

import argparse
import os
import sys

import ktap
import markdown
import results

PROG = "uringreport"


class UsageError(Exception):
    """Bad command line; argparse's multi-line output is replaced by this."""


class InputError(Exception):
    """Unusable input or output file, already formatted as FILE[:LINE]: msg."""


class OneLineParser(argparse.ArgumentParser):
    """ArgumentParser that reports usage errors as a single line."""

    def error(self, message):
        raise UsageError(message)


def build_parser():
    """The argparse tree for the three subcommands."""
    parser = OneLineParser(prog=PROG, description="uringcheck KTAP report tool")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    run = sub.add_parser("run", help="write OUTDIR/results.json and OUTDIR/report.md")
    run.add_argument("ktap", metavar="KTAP_FILE", help="runner output ('-' for stdin)")
    run.add_argument("outdir", metavar="OUTDIR")
    run.add_argument("--strict", action="store_true", help="exit 1 if anything failed")
    js = sub.add_parser("json", help="write results.json (schema 1)")
    js.add_argument("ktap", metavar="KTAP_FILE", help="runner output ('-' for stdin)")
    js.add_argument("-o", "--output", metavar="FILE", help="default: stdout")
    md = sub.add_parser("md", help="write report.md from KTAP or results.json")
    md.add_argument("input", metavar="KTAP_FILE|RESULTS_JSON")
    md.add_argument("-o", "--output", metavar="FILE", help="default: stdout")
    return parser


def where(name, line=None):
    """``FILE:LINE`` or ``FILE`` for error messages."""
    return "%s:%d" % (name, line) if line else name


def read_text(path):
    """Read an input file (or stdin for '-') as UTF-8, tolerating bad bytes."""
    try:
        if path == "-":
            return sys.stdin.buffer.read().decode("utf-8", errors="replace")
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError as err:
        raise InputError("%s: %s" % (path, err.strerror or err)) from None


def write_text(path, text):
    """Write an output file, or stdout when no path was given."""
    if path is None:
        sys.stdout.write(text)
        return
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as err:
        raise InputError("%s: %s" % (path, err.strerror or err)) from None


def ktap_results(path, text):
    """KTAP text -> results dict, converting parse errors to InputError."""
    try:
        return results.from_ktap_text(text)
    except ktap.KtapError as err:
        raise InputError("%s: %s" % (where(path, err.line), err.message)) from None


def any_results(path, text):
    """KTAP or results.json, decided by whether the content is a JSON object."""
    if not text.lstrip("\ufeff \t\r\n").startswith("{"):
        return ktap_results(path, text)
    try:
        return results.loads(text)
    except results.ResultsError as err:
        raise InputError("%s: %s" % (where(path, err.line), err.message)) from None


def warn_truncated(path, data):
    """A truncated stream is valid but worth a note where a human will see it."""
    if data.get("truncated"):
        print("%s: warning: %s: KTAP stream is truncated (the run died?)" % (PROG, path),
              file=sys.stderr)


def cmd_run(args):
    """Write both reports into OUTDIR and print the summary line."""
    data = ktap_results(args.ktap, read_text(args.ktap))
    try:
        os.makedirs(args.outdir, exist_ok=True)
    except OSError as err:
        raise InputError("%s: %s" % (args.outdir, err.strerror or err)) from None
    json_path = os.path.join(args.outdir, "results.json")
    md_path = os.path.join(args.outdir, "report.md")
    write_text(json_path, results.dumps(data))
    write_text(md_path, markdown.render(data))
    warn_truncated(args.ktap, data)
    passed, failed, skipped = results.summary_counts(data)
    print("wrote %s, %s" % (json_path, md_path))
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if args.strict and failed else 0


def cmd_json(args):
    """results.json to a file or stdout."""
    data = ktap_results(args.ktap, read_text(args.ktap))
    write_text(args.output, results.dumps(data))
    return 0


def cmd_md(args):
    """report.md from either input format."""
    data = any_results(args.input, read_text(args.input))
    write_text(args.output, markdown.render(data))
    return 0


COMMANDS = {"run": cmd_run, "json": cmd_json, "md": cmd_md}


def fail(message):
    """Print the single error line and return the usage/input exit status."""
    print("%s: %s" % (PROG, " ".join(str(message).split())), file=sys.stderr)
    return 2


def main(argv=None):
    """Entry point; every failure becomes one stderr line and exit 2."""
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args)
    except UsageError as err:
        return fail("%s (see '%s -h')" % (err, PROG))
    except InputError as err:
        return fail(err)
    except BrokenPipeError:
        _silence_stdout()
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # noqa: BLE001 - the contract is "never a traceback"
        return fail("internal error: %s: %s" % (type(err).__name__, err))


def _silence_stdout():
    """After EPIPE (e.g. piped to head) stop Python complaining at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""uringreport: turn uringcheck's KTAP output into reports, compare runs.

  uringreport.py run KTAP_FILE OUTDIR [--strict] [--known FILE]
      OUTDIR/results.json, report.md, report.html, junit.xml
  uringreport.py json KTAP_FILE [-o FILE] [--known FILE]
  uringreport.py md|html|junit KTAP_FILE|RESULTS_JSON [-o FILE] [--known FILE]
  uringreport.py compat OUTDIR RUN... [--timeline FILE | --no-timeline]
      OUTDIR/compat.md, compat.html, compat.json (RUN: run dir or results.json)
  uringreport.py diff OLD NEW [--json] [--fail-on-skip]
      exit 1 when NEW regressed (see diff.py for the rule)

Every error is one line on stderr (``uringreport: FILE:LINE: message``) and
exit status 2, never a traceback: make and CI logs stay readable.
"""

import argparse
import json
import os
import sys

import compat
import compat_html
import diff
import htmlreport
import junit
import known
import ktap
import markdown
import results
import timeline

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
    """The argparse tree for the subcommands."""
    parser = OneLineParser(prog=PROG, description="uringcheck KTAP report tool")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    run = sub.add_parser("run", help="write results.json, report.md, report.html, junit.xml")
    run.add_argument("ktap", metavar="KTAP_FILE", help="runner output ('-' for stdin)")
    run.add_argument("outdir", metavar="OUTDIR")
    run.add_argument("--strict", action="store_true", help="exit 1 if anything failed")
    js = sub.add_parser("json", help="write results.json (schema 1)")
    js.add_argument("ktap", metavar="KTAP_FILE", help="runner output ('-' for stdin)")
    js.add_argument("-o", "--output", metavar="FILE", help="default: stdout")
    for name, what in (("md", "report.md"), ("html", "report.html"), ("junit", "junit.xml")):
        one = sub.add_parser(name, help="write %s from KTAP or results.json" % what)
        one.add_argument("input", metavar="KTAP_FILE|RESULTS_JSON")
        one.add_argument("-o", "--output", metavar="FILE", help="default: stdout")
    for name in ("run", "json", "md", "html", "junit"):
        sub.choices[name].add_argument("--known", metavar="FILE", help=KNOWN_HELP)
    cmp_ = sub.add_parser("compat", help="compat.md/.html/.json over several runs (kernels)")
    cmp_.add_argument("outdir", metavar="OUTDIR")
    cmp_.add_argument("runs", metavar="RUN", nargs="+", help="run directory or results.json")
    cmp_.add_argument("--timeline", metavar="FILE",
                      help="io_uring_timeline.md (default: %s)"
                      % os.path.normpath(timeline.DEFAULT_PATH))
    cmp_.add_argument("--no-timeline", action="store_true", help="do not annotate versions")
    dif = sub.add_parser("diff", help="what changed between two runs; exit 1 on regression")
    dif.add_argument("old", metavar="OLD", help="run directory or results.json")
    dif.add_argument("new", metavar="NEW", help="run directory or results.json")
    dif.add_argument("--json", action="store_true", help="machine-readable output")
    dif.add_argument("--fail-on-skip", action="store_true", help="pass -> skip is a regression too")
    return parser


KNOWN_HELP = ("known issues (AREA.CASE-GLOB[@MODE-GLOB] KERNEL-GLOB REASON per line): "
              "listed failures become xfail, listed passes XPASS")


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
        with open(path, "w", encoding="utf-8", errors="backslashreplace") as handle:
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


def apply_known(data, path):
    """Apply a --known file (if one was given) to a results dict."""
    if path:
        try:
            known.apply(data, known.parse(read_text(path)))
        except known.KnownError as err:
            raise InputError("%s: %s" % (where(path, err.line), err.message)) from None
    return data


def load_run(path):
    """A run for compat/diff: a run directory, a results.json or a KTAP file."""
    source = path
    if os.path.isdir(path):
        for name in ("results.json", "ktap.txt"):
            if os.path.isfile(os.path.join(path, name)):
                source = os.path.join(path, name)
                break
        else:
            raise InputError("%s: not a run directory (no results.json or ktap.txt)" % path)
    text = read_text(source)
    if not text.strip():
        raise InputError("%s: empty file" % source)
    return source, any_results(source, text)


def make_outdir(path):
    """Create an output directory or fail with one line."""
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as err:
        raise InputError("%s: %s" % (path, err.strerror or err)) from None


def cmd_run(args):
    """Write every report into OUTDIR and print the summary line."""
    data = apply_known(ktap_results(args.ktap, read_text(args.ktap)), args.known)
    make_outdir(args.outdir)
    outputs = (("results.json", results.dumps), ("report.md", markdown.render),
               ("report.html", htmlreport.render), ("junit.xml", junit.render))
    paths = []
    for name, render in outputs:
        paths.append(os.path.join(args.outdir, name))
        write_text(paths[-1], render(data))
    warn_truncated(args.ktap, data)
    passed, failed, skipped = results.summary_counts(data)
    print("wrote %s" % ", ".join(paths))
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if args.strict and failed else 0


def cmd_json(args):
    """results.json to a file or stdout."""
    data = apply_known(ktap_results(args.ktap, read_text(args.ktap)), args.known)
    write_text(args.output, results.dumps(data))
    return 0


def render_one(renderer):
    """A command writing one report from KTAP or results.json."""
    def command(args):
        data = apply_known(any_results(args.input, read_text(args.input)), args.known)
        write_text(args.output, renderer(data))
        return 0
    return command


def load_timeline(args):
    """(timeline or None, note for the outputs); a bad explicit file is an error."""
    if args.no_timeline:
        return None, ""
    path = args.timeline or timeline.DEFAULT_PATH
    shown = os.path.normpath(path)
    try:
        return timeline.load(path), os.path.basename(shown)
    except (OSError, timeline.TimelineError) as err:
        message = err.strerror if isinstance(err, OSError) else err.message
        if args.timeline:
            raise InputError("%s: %s" % (shown, message or err)) from None
        print("%s: warning: %s: %s; kernel versions are not annotated" % (PROG, shown, message),
              file=sys.stderr)
        return None, ""


def cmd_compat(args):
    """compat.md, compat.html and compat.json for several runs."""
    found, note = load_timeline(args)
    runs = [load_run(path) for path in args.runs]
    for source, data in runs:
        warn_truncated(source, data)
    table = compat.build(runs, found, note)
    make_outdir(args.outdir)
    paths = []
    for name, text in (("compat.md", compat.render_md(table)),
                       ("compat.html", compat_html.render(table)),
                       ("compat.json", json.dumps(table, indent=2, ensure_ascii=False) + "\n")):
        paths.append(os.path.join(args.outdir, name))
        write_text(paths[-1], text)
    print("wrote %s" % ", ".join(paths))
    print("%d kernels: %s; %d distinct cases" % (
        len(table["kernels"]), ", ".join(k["label"] for k in table["kernels"]), len(table["cases"])))
    return 0


def cmd_diff(args):
    """Print what changed between OLD and NEW; 1 if NEW regressed."""
    old_source, old = load_run(args.old)
    new_source, new = load_run(args.new)
    result = diff.compare(old, new, fail_on_skip=args.fail_on_skip)
    if args.json:
        write_text(None, json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    else:
        write_text(None, diff.render_text(result, old_source, new_source, diff.columns(old, new)))
    return 1 if result["regression"] else 0


COMMANDS = {"run": cmd_run, "json": cmd_json, "md": render_one(markdown.render),
            "html": render_one(htmlreport.render), "junit": render_one(junit.render),
            "compat": cmd_compat, "diff": cmd_diff}


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

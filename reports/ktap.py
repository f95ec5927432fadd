# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""Generic KTAP / TAP 13-14 parser producing a tree of blocks and results.

The parser knows nothing about uringcheck: it only recovers the structure
(version line, plan, result lines, diagnostics, nested subtests) so that the
results model, JUnit/HTML writers and diff tools can all share it.

Structure rules (KTAP v1):
  * A block starts with a version line and contains a plan, result lines and
    diagnostics (``# ...``).  Subtests are indented deeper than their parent
    and appear *before* the parent's result line, which closes them.
  * Diagnostics between the previous result (or the plan) and a result line
    belong to that result.  Diagnostics before the plan are the block header;
    those after the last result are the block trailer.
  * ``#`` lines never change the structure: whatever their indentation they
    go to the innermost open block, so stray unindented output cannot tear a
    nested block apart.

A stream that simply stops (the run died) is *truncated*, not malformed:
unclosed subtests get a synthesised parent (``Result.missing``) and the
document is flagged.  Only input that cannot be KTAP raises ``KtapError``.
"""

import re
from dataclasses import dataclass, field

DIRECTIVES = ("SKIP", "XFAIL", "XPASS", "TIMEOUT", "ERROR", "TODO")

_VERSION_RE = re.compile(r"^(K?TAP) version (\d+)\s*$")
_PLAN_RE = re.compile(r"^1\.\.(\d+)(?:\s+#.*)?\s*$")
_RESULT_LIKE_RE = re.compile(r"^(?:not\s+)?ok(?:\s|$)")
_RESULT_RE = re.compile(r"^(?P<ok>ok|not\s+ok)\s+(?P<num>\d+)(?P<rest>\s.*)?$")
# The directive separator is the first " #" followed by whitespace or EOL.
_SPLIT_RE = re.compile(r"^(?P<desc>.*?)(?:\s#(?P<text>(?:\s.*)?))?$")
_DIRECTIVE_RE = re.compile(
    r"^(?P<word>SKIP(?:PED)?|XFAIL|XPASS|TIMEOUT|ERROR|TODO)\b:?\s*(?P<reason>.*)$",
    re.IGNORECASE,
)


class KtapError(Exception):
    """Input that is not KTAP at all; ``line`` is 1-based or None."""

    def __init__(self, message, line=None):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Result:
    """One ``ok``/``not ok`` line plus what belongs to it.

    ``missing`` marks a parent that never printed its result line (the
    stream was truncated); such results have ``number`` None and ``line`` 0.
    """

    ok: bool
    number: int | None
    description: str
    directive: str = ""
    reason: str = ""
    diagnostics: list = field(default_factory=list)
    subtest: "Block | None" = None
    line: int = 0
    missing: bool = False


@dataclass
class Block:
    """A (sub)test plan: the version line's level and everything inside."""

    version: str
    indent: int
    line: int
    plan: int | None = None
    header: list = field(default_factory=list)
    results: list = field(default_factory=list)
    trailer: list = field(default_factory=list)
    pending: list = field(default_factory=list)
    truncated: bool = False

    def all_diagnostics(self):
        """Every diagnostic at this level, in stream order (not subtests)."""
        lines = list(self.header)
        for result in self.results:
            lines.extend(result.diagnostics)
        lines.extend(self.trailer)
        lines.extend(self.pending)
        return lines


@dataclass
class Document:
    """A parsed stream: the root block and whether the run was cut short."""

    root: Block
    truncated: bool = False


def parse_result_line(text, line=None):
    """Split a stripped result line into a ``Result`` (without diagnostics).

    A directive is only recognised as ``# WORD`` with a single space: the
    kselftest convention ``#  reason`` (two spaces) means "no directive".
    """
    match = _RESULT_RE.match(text)
    if not match:
        raise KtapError("cannot parse result line: %s" % _clip(text), line)
    rest = match.group("rest") or ""
    split = _SPLIT_RE.match(rest)
    description = split.group("desc").strip()
    if description.startswith("- "):
        description = description[2:].strip()
    directive, reason = _parse_directive(split.group("text"))
    return Result(
        ok=match.group("ok") == "ok",
        number=int(match.group("num")),
        description=description,
        directive=directive,
        reason=reason,
        line=line or 0,
    )


def _parse_directive(text):
    """Return (DIRECTIVE or "", reason) for the text after the ``#``."""
    if text is None:
        return "", ""
    single_space = text.startswith(" ") and not text[1:2].isspace()
    match = _DIRECTIVE_RE.match(text.strip()) if single_space else None
    if not match:
        return "", text.strip()
    word = match.group("word").upper()
    if word == "SKIPPED":
        word = "SKIP"
    return word, match.group("reason").strip()


def diagnostic_text(stripped):
    """Drop the leading ``#`` and one space, keeping any alignment after."""
    text = stripped[1:]
    return text[1:] if text.startswith(" ") else text


def _clip(text, limit=60):
    """Shorten quoted input in error messages so they stay on one line."""
    text = text.replace("\t", " ")
    return repr(text if len(text) <= limit else text[:limit] + "...")


def _indent_of(line):
    """Width of the leading whitespace, tabs counted to 8-column stops."""
    stripped = line.lstrip(" \t")
    return len(line[: len(line) - len(stripped)].expandtabs(8))


class _Parser:
    """Line-by-line state machine keeping a stack of open blocks."""

    def __init__(self):
        self.stack = []
        self.truncated = False

    def feed(self, number, raw, is_last_partial):
        """Consume one physical line (without its newline)."""
        stripped = raw.strip()
        if not stripped:
            return
        indent = _indent_of(raw)
        if not self.stack:
            self._start(number, stripped, indent)
        elif stripped.startswith("#"):
            self.stack[-1].pending.append(diagnostic_text(stripped))
        elif _VERSION_RE.match(stripped):
            self._version(number, indent, stripped)
        elif _PLAN_RE.match(stripped):
            self._plan(indent, int(_PLAN_RE.match(stripped).group(1)))
        elif _RESULT_LIKE_RE.match(stripped):
            self._result(number, indent, stripped, is_last_partial)
        else:
            # Unknown lines (stray program output) are kept as diagnostics.
            self.stack[-1].pending.append(stripped)

    def _start(self, number, stripped, indent):
        """The first non-blank line must be the version line."""
        if not _VERSION_RE.match(stripped):
            raise KtapError(
                "not a KTAP stream: expected 'KTAP version 1' or "
                "'TAP version 13|14', got %s" % _clip(stripped),
                number,
            )
        self.stack.append(Block(version=stripped, indent=indent, line=number))

    def _version(self, number, indent, stripped):
        """Open a nested block; a repeated version line is tolerated."""
        self._close_deeper_than(indent)
        top = self.stack[-1]
        if indent > top.indent:
            self.stack.append(Block(version=stripped, indent=indent, line=number))
            return
        if top.plan is None and not top.results:
            return  # duplicate version line at the start of a block
        if len(self.stack) == 1:
            raise KtapError("second top-level version line (concatenated runs?)", number)
        # A sibling subtest starts although the previous one never got its
        # parent result line: close it as truncated and open the new one.
        self._close_with_missing_parent()
        self.stack.append(Block(version=stripped, indent=indent, line=number))

    def _plan(self, indent, count):
        """Record a plan, opening an implicit block for version-less TAP."""
        self._open_implicit_or_close(indent)
        top = self.stack[-1]
        top.header.extend(top.pending)
        top.pending = []
        top.plan = count

    def _result(self, number, indent, stripped, is_last_partial):
        """Attach a result line to its block, closing deeper subtests."""
        try:
            result = parse_result_line(stripped, number)
        except KtapError:
            if is_last_partial:
                self.truncated = True  # the writer died mid-line
                return
            raise
        if indent > self.stack[-1].indent:
            self._open_implicit(indent)
        subtest = None
        while len(self.stack) > 1 and self.stack[-1].indent > indent:
            if self.stack[-2].indent > indent:
                self._close_with_missing_parent()
            else:
                subtest = self._pop()
        top = self.stack[-1]
        result.diagnostics, top.pending = top.pending, []
        result.subtest = subtest
        top.results.append(result)

    def _open_implicit_or_close(self, indent):
        """Move the stack to the block that a line at ``indent`` belongs to."""
        if indent > self.stack[-1].indent:
            self._open_implicit(indent)
        else:
            self._close_deeper_than(indent)

    def _open_implicit(self, indent):
        """TAP 14 subtests may omit the version line; accept that."""
        self.stack.append(Block(version="", indent=indent, line=0))

    def _close_deeper_than(self, indent):
        """Close open subtests deeper than ``indent`` as truncated."""
        while len(self.stack) > 1 and self.stack[-1].indent > indent:
            self._close_with_missing_parent()

    def _close_with_missing_parent(self):
        """Pop the innermost block and give it a synthesised parent."""
        block = self._pop()
        block.truncated = True
        self.truncated = True
        parent = self.stack[-1]
        parent.results.append(
            Result(ok=False, number=None, description="", subtest=block, missing=True)
        )

    def _pop(self):
        """Remove the innermost block, finishing its trailer and plan check."""
        block = self.stack.pop()
        block.trailer.extend(block.pending)
        block.pending = []
        if block.plan is None or len(block.results) < block.plan:
            block.truncated = True
            self.truncated = True
        return block

    def finish(self):
        """End of input: close whatever is still open."""
        if not self.stack:
            raise KtapError("empty input, no KTAP version line")
        self._close_deeper_than(-1)
        root = self._pop()
        return Document(root=root, truncated=self.truncated)


def parse(text):
    """Parse a whole KTAP stream; raises ``KtapError`` if it is not KTAP."""
    parser = _Parser()
    lines = text.split("\n")
    ends_with_newline = lines[-1] == ""
    if ends_with_newline:
        lines.pop()
    for index, raw in enumerate(lines):
        is_last_partial = not ends_with_newline and index == len(lines) - 1
        parser.feed(index + 1, raw.rstrip("\r").lstrip("\ufeff"), is_last_partial)
    return parser.finish()


def walk(block, depth=0):
    """Yield (depth, result) for every result in ``block``, depth-first."""
    for result in block.results:
        if result.subtest is not None:
            yield from walk(result.subtest, depth + 1)
        yield depth, result

# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""Which kernel introduced each probed name, from io_uring_timeline.md.

The reference (../shared/reference/io_uring_timeline.md) keeps one markdown
table per kind of interface (opcodes, setup flags, feature bits, register
opcodes) with ``name``, ``kind`` and ``kernel`` columns.  Tables are found
by those columns and rows by their ``kind`` cell, not by section numbers, so
the file may be reorganised.  Names are reduced to the spelling the runner's
probe uses (``IORING_OP_NOP`` -> ``NOP``, ``IORING_REGISTER_BUFFERS /
UNREGISTER_BUFFERS`` -> ``REGISTER_BUFFERS`` and ``UNREGISTER_BUFFERS``).

The versions are for reasons in reports only: the suite never gates on them.
"""

import os
import re

# kind cell -> (probe key, prefix the probe drops)
KINDS = {
    "opcode": ("opcodes", "IORING_OP_"),
    "setup flag": ("setup_flags", "IORING_SETUP_"),
    "feature flag": ("features", "IORING_FEAT_"),
    "register opcode": ("register_ops", "IORING_"),
}
DEFAULT_PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                            "..", "shared", "reference", "io_uring_timeline.md")

_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_VERSION = re.compile(r"(\d+)\.(\d+)")
_SEPARATOR = re.compile(r"^:?-{3,}:?$")


class TimelineError(Exception):
    """A timeline file without any usable table."""

    def __init__(self, message, line=None):
        super().__init__(message)
        self.message = message
        self.line = line


def version_tuple(text):
    """First ``X.Y`` in ``text`` as (X, Y), or None."""
    match = _VERSION.search(text or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def clean(cell):
    """A markdown cell as plain text: no bold/code markup, unescaped pipes."""
    return " ".join(cell.replace("**", "").replace("`", "").replace("\\|", "|").split())


def _cells(line):
    """Split a table row into stripped cells (escaped pipes kept)."""
    row = line.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    return [cell.strip() for cell in _CELL_SPLIT.split(row)]


def _names(cell, prefix):
    """``IORING_X / UNREGISTER_X`` -> ["X", "UNREGISTER_X"] (probe spelling)."""
    names = []
    for part in clean(cell).split("/"):
        name = part.strip().split(" ")[0] if part.strip() else ""
        if name.startswith(prefix):
            name = name[len(prefix):]
        elif name.startswith("IORING_"):
            name = name[len("IORING_"):]
        if re.fullmatch(r"[A-Z0-9_]+", name or ""):
            names.append(name)
    return names


def parse(text):
    """Timeline text -> {probe key: {name: {"version", "text", "order"}}}.

    ``version`` is "X.Y" (the first version in the kernel cell), ``text`` the
    whole cleaned cell (it carries caveats such as back-ports), ``order`` the
    row's position, so tables can keep the reference's (value) order.
    """
    found = {key: {} for key, _ in KINDS.values()}
    columns = None
    order = 0
    for line in text.splitlines():
        if not line.lstrip().startswith("|"):
            columns = None
            continue
        cells = _cells(line)
        if columns is None:
            lowered = [c.lower() for c in cells]
            if all(k in lowered for k in ("name", "kind", "kernel")):
                columns = {k: lowered.index(k) for k in ("name", "kind", "kernel")}
            else:
                columns = {}
            continue
        if not columns or all(_SEPARATOR.match(c) for c in cells if c):
            continue
        if len(cells) <= max(columns.values()):
            continue
        kind = clean(cells[columns["kind"]]).lower()
        if kind not in KINDS:
            continue
        key, prefix = KINDS[kind]
        kernel = clean(cells[columns["kernel"]])
        version = version_tuple(kernel)
        for name in _names(cells[columns["name"]], prefix):
            order += 1
            found[key].setdefault(name, {
                "version": "%d.%d" % version if version else "",
                "text": kernel,
                "order": order,
            })
    return found


def load(path):
    """Parse a timeline file; raises OSError or TimelineError (no rows)."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        found = parse(handle.read())
    if not any(found.values()):
        raise TimelineError("no name/kind/kernel tables of opcodes, setup flags, "
                            "feature flags or register opcodes")
    return found

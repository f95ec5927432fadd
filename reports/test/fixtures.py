# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""Small results dicts and files shared by the report tool's tests."""

import contextlib
import io
import json
import os

import results
import uringreport

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
SAMPLE = os.path.join(DATA, "sample.ktap")
BACKENDS = ("ref", "liburing")
MODES = ("default", "sqpoll", "no_sqarray")


def entry(area, case, status, reason="", backend="ref", mode="default", log=None, ms=None):
    """One schema-1 result entry."""
    out = {"area": area, "case": case, "backend": backend, "mode": mode,
           "status": status, "reason": reason, "duration_ms": ms}
    if log is not None:
        out["log"] = list(log)
    return out


def data_with(runs, kernel="6.1.0", **extra):
    """A schema-1 results dict around ``runs``."""
    data = {"schema": 1, "kernel": kernel, "arch": "x86_64", "started": "2026-01-01T00:00:00Z",
            "duration_s": 1.5, "probe": {"features": [], "opcodes": [], "setup_flags": [],
                                         "register_ops": []},
            "results": runs, "totals": results.totals(runs)}
    data.update(extra)
    return data


def grid(area, case, status="pass", overrides=None, reason=""):
    """Runs of one case over BACKENDS x MODES; ``overrides`` maps
    (backend, mode) -> (status, reason)."""
    runs = []
    for backend in BACKENDS:
        for mode in MODES:
            st, why = (overrides or {}).get((backend, mode), (status, reason))
            runs.append(entry(area, case, st, why, backend, mode))
    return runs


def sample_text():
    """The runner sample from the format description."""
    with open(SAMPLE, encoding="utf-8") as handle:
        return handle.read()


def write(directory, name, text):
    """Create a file (and its directory); return its path."""
    path = os.path.join(directory, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text if isinstance(text, str) else json.dumps(text))
    return path


def read(path):
    """A file's text."""
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def run_main(*args):
    """uringreport.main in-process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = uringreport.main(list(args))
    return status, out.getvalue(), err.getvalue()

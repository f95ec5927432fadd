# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""Differences between two runs, keyed by (area, case, backend, mode).

Categories (each run lands in at most one):
  newly_failing   not failing before (or absent), failing now
                  (fail, timeout or error; an xfail that became a fail too)
  newly_passing   not passing before, passing now (skip -> pass included)
  newly_skipped   not skipped before, skipped now (pass -> skip, fail -> skip)
  changed         any other status change (fail -> timeout, fail -> xfail, ...)
  gone            in OLD only
  new             in NEW only and not failing (a failing one is newly_failing)

Regression rule (exit status 1 of ``uringreport diff``):
  * anything newly failing, including a case that is new and fails: a CI
    gating on the diff must not let a failure through because it is new;
  * NEW is truncated (the run died, so "gone" cases were never run);
  * with ``--fail-on-skip`` also pass -> skip (coverage lost: a probe or an
    environment change).  By default a skip is not a regression, because
    diffs across kernels or privileges skip legitimately.
"""

import results

FAILED = results.FAILED_STATUSES
CATEGORIES = ("newly_failing", "newly_passing", "newly_skipped", "changed", "gone", "new")
TITLES = {"newly_failing": "newly failing", "newly_passing": "newly passing",
          "newly_skipped": "newly skipped", "changed": "changed", "gone": "gone (in OLD only)",
          "new": "new (in NEW only)"}


def key(entry):
    """The identity of a run across two results files."""
    return (entry.get("area", ""), entry.get("case", ""), entry.get("backend", ""),
            entry.get("mode", ""))


def index(data):
    """Runs of a results dict by key (a repeated key keeps its last run)."""
    return {key(e): e for e in data.get("results", [])}


def categorize(old_status, new_status):
    """Category name for a status change, or None when nothing changed."""
    if old_status is None:
        return "newly_failing" if new_status in FAILED else "new"
    if new_status is None:
        return "gone"
    if old_status == new_status:
        return None
    if new_status in FAILED and old_status not in FAILED:
        return "newly_failing"
    if new_status == "pass":
        return "newly_passing"
    if new_status == "skip":
        return "newly_skipped"
    return "changed"


def compare(old, new, fail_on_skip=False):
    """The diff dict of two results dicts (what ``--json`` prints)."""
    before, after = index(old), index(new)
    out = {name: [] for name in CATEGORIES}
    for k in sorted(set(before) | set(after)):
        o, n = before.get(k), after.get(k)
        category = categorize(o and o["status"], n and n["status"])
        if category is None:
            continue
        area, case, backend, mode = k
        out[category].append({"area": area, "case": case, "backend": backend, "mode": mode,
                              "old": o["status"] if o else None, "new": n["status"] if n else None,
                              "reason": (n or o).get("reason", "")})
    reasons = []
    if out["newly_failing"]:
        reasons.append("%d newly failing" % len(out["newly_failing"]))
    if new.get("truncated"):
        reasons.append("NEW run is truncated")
    lost = [e for e in out["newly_skipped"] if e["old"] == "pass"]
    if fail_on_skip and lost:
        reasons.append("%d pass -> skip" % len(lost))
    out["old_run"] = describe(old)
    out["new_run"] = describe(new)
    out["regression"] = bool(reasons)
    out["regression_reasons"] = reasons
    return out


def columns(*runs):
    """(backend, mode) columns of some results dicts, first-seen order."""
    return list(dict.fromkeys((e.get("backend", ""), e.get("mode", ""))
                              for data in runs for e in data.get("results", [])))


def describe(data):
    """Kernel, start time and size of a run for the header line."""
    return {"kernel": data.get("kernel", ""), "started": data.get("started", ""),
            "runs": len(data.get("results", [])), "truncated": bool(data.get("truncated"))}


def _grouped(entries, present):
    """Lines for one category: runs of a case with the same change and
    reason share a line, their backend/mode columns compressed (``ref/*``)."""
    groups = {}
    for e in entries:
        k = (e["area"], e["case"], e["old"], e["new"], e["reason"])
        groups.setdefault(k, []).append((e["backend"], e["mode"]))
    lines = []
    for (area, case, old, new, reason), pairs in groups.items():
        columns = "; ".join(results.compress_columns(pairs, present, allow_except=True))
        change = "%s -> %s" % (old or "absent", new or "absent")
        why = ": " + reason if reason and new not in (None, "pass") else ""
        lines.append("  %s.%s [%s] %s%s" % (area, case, columns, change, why))
    return lines


def render_text(diff, old_name, new_name, present=()):
    """Human-readable diff; the last line is the verdict.

    ``present`` is the (backend, mode) columns of both runs, in order, so a
    change in every mode of a backend prints as ``ref/*``.
    """
    o, n = diff["old_run"], diff["new_run"]
    lines = ["OLD %s: kernel %s, %d runs%s" % (old_name, o["kernel"] or "?", o["runs"],
                                               " (truncated)" if o["truncated"] else ""),
             "NEW %s: kernel %s, %d runs%s" % (new_name, n["kernel"] or "?", n["runs"],
                                               " (truncated)" if n["truncated"] else "")]
    for category in CATEGORIES:
        entries = diff[category]
        if not entries:
            continue
        lines.append("")
        lines.append("%s (%d):" % (TITLES[category], len(entries)))
        lines += _grouped(entries, present)
    counts = ", ".join("%d %s" % (len(diff[c]), TITLES[c].split(" (")[0]) for c in CATEGORIES)
    lines.append("")
    if diff["regression"]:
        lines.append("REGRESSION (%s); %s" % ("; ".join(diff["regression_reasons"]), counts))
    else:
        lines.append("no regression; %s" % counts)
    return "\n".join(lines) + "\n"

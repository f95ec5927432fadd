# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""Compatibility matrix: several runs (kernels) -> cases x kernels, features.

``build(runs, timeline)`` takes [(source, results dict)] and returns the
compat dict written as compat.json; ``render_md`` renders it (compat.html is
compat_html.py).  A cell collapses every backend/mode run of one case on one
kernel into one verdict when they agree, and names the split when they do
not: ``pass (skip: liburing/no_sqarray)``.  The headline is the commonest
verdict; a failure anywhere in the cell still colours it (``worst``).

Kernel columns are sorted by the release's version numbers.  The feature
tables list every name any kernel's probe reported, in the timeline's order,
with the version that introduced it when the timeline is known.
"""

import re
from collections import Counter

import markdown
import results

KIND = "uringcheck-compat"
FAILED = results.FAILED_STATUSES
# headline tie-break and "worst" order: failures first, then the rest
SEVERITY = ("fail", "timeout", "error", "xfail", "pass", "skip")
PROBE_TITLES = {"opcodes": "Opcodes", "setup_flags": "Setup flags",
                "features": "Feature bits", "register_ops": "Register opcodes"}


def kernel_key(release):
    """Sort key for a kernel release: numbers first, then the text."""
    numbers = [int(n) for n in re.findall(r"\d+", (release or "").split("-")[0])[:3]]
    return (0 if numbers else 1, numbers, release or "")


def kernel_version(release):
    """(major, minor) of a release, or None."""
    match = re.match(r"\s*(\d+)\.(\d+)", release or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def cell(entries):
    """Collapse the runs of one case on one kernel into one cell."""
    if not entries:
        return {"verdict": "none", "worst": "none", "summary": "not run", "counts": {}}
    counts = {}
    for e in entries:
        counts[e["status"]] = counts.get(e["status"], 0) + 1
    rank = {s: i for i, s in enumerate(SEVERITY)}
    headline = min(counts, key=lambda s: (-counts[s], rank.get(s, -1)))
    worst = min(counts, key=lambda s: rank.get(s, -1))
    present = list(dict.fromkeys((e["backend"], e["mode"]) for e in entries))
    split, exceptions = {}, []
    for status in sorted(counts, key=lambda s: rank.get(s, -1)):
        if status == headline:
            continue
        pairs = {(e["backend"], e["mode"]) for e in entries if e["status"] == status}
        split[status] = results.compress_columns(pairs, present)
    for e in entries:
        if e["status"] != headline:
            exceptions.append({k: e.get(k, "") for k in ("backend", "mode", "status", "reason")})
    summary = headline
    if split:
        summary += " (%s)" % "; ".join("%s: %s" % (s, ", ".join(v)) for s, v in split.items())
    reasons = {e.get("reason", "") for e in entries if e["status"] == headline}
    out = {"verdict": headline, "worst": worst, "summary": summary, "counts": counts}
    if len(reasons) == 1 and reasons != {""}:
        out["reason"] = reasons.pop()
    if split:
        out["split"], out["exceptions"] = split, exceptions
    return out


def label_kernels(runs):
    """Unique column labels (the release, ``#2`` added for repeats), sorted."""
    ordered = sorted(runs, key=lambda item: kernel_key(item[1].get("kernel")))
    seen, columns = {}, []
    for source, data in ordered:
        release = data.get("kernel") or "unknown"
        seen[release] = seen.get(release, 0) + 1
        name = release if seen[release] == 1 else "%s #%d" % (release, seen[release])
        columns.append((name, source, data))
    return columns


def feature_rows(columns, timeline):
    """Per probe key: names any kernel reported, with support and annotation."""
    tables = {}
    for key in results.PROBE_KEYS:
        known = (timeline or {}).get(key, {})
        names = []
        for _, _, data in columns:
            names += [n for n in (data.get("probe") or {}).get(key) or [] if n not in names]
        names.sort(key=lambda n: (known[n]["order"] if n in known else 1 << 30, n))
        rows = []
        for name in names:
            info = known.get(name, {})
            since = info.get("version", "")
            note = info.get("text", "")
            row = {"name": name, "since": since, "note": note if note != since else "", "kernels": {}}
            for label, _, data in columns:
                probed = (data.get("probe") or {}).get(key) or []
                row["kernels"][label] = {"supported": name in probed,
                                         "remark": _remark(name in probed, since, data.get("kernel"))}
            rows.append(row)
        tables[key] = rows
    return tables


def _remark(supported, since, release):
    """Why support differs from the timeline (back-port, config), or ""."""
    have, need = kernel_version(release), kernel_version(since)
    if not have or not need:
        return ""
    if supported and have < need:
        return "present before %s (back-port?)" % since
    if not supported and have >= need:
        return "absent although added in %s (config, sysctl or probe?)" % since
    return ""


# the verdicts the issues section lists, in its order
ISSUE_STATUSES = FAILED + ("xfail", "xpass")
REASON_MAX = 600


def issue_rows(columns, by_case):
    """Every failure, XFAIL and XPASS per kernel and case, with its reason.

    Runs of one case on one kernel are grouped by verdict; the reason shown
    is the commonest one among them (a known issue's explanation comes first
    in it, then the harness's evidence), cut at REASON_MAX characters.
    """
    rows = []
    for label, _, _ in columns:
        for (area, case) in sorted(by_case):
            entries = by_case[(area, case)].get(label, [])
            present = list(dict.fromkeys((e["backend"], e["mode"]) for e in entries))
            groups = {}
            for e in entries:
                groups.setdefault("xpass" if results.is_xpass(e) else e["status"], []).append(e)
            for status in (s for s in ISSUE_STATUSES if s in groups):
                group = groups[status]
                reasons = Counter(e.get("reason", "") for e in group)
                reason = max(reasons, key=lambda r: (reasons[r], r))
                if len(reason) > REASON_MAX:
                    reason = reason[:REASON_MAX - 3] + "..."
                where = results.compress_columns({(e["backend"], e["mode"]) for e in group}, present,
                                                allow_except=True)
                rows.append({"kernel": label, "area": area, "case": case, "status": status,
                             "runs": len(group), "of": len(entries), "where": where,
                             "reason": reason, "reasons": len(reasons)})
    return rows


def build(runs, timeline=None, timeline_note=""):
    """The compat dict (compat.json) for [(source, results dict)]."""
    columns = label_kernels(runs)
    by_case = {}
    for label, _, data in columns:
        for e in data.get("results", []):
            key = (e.get("area", ""), e.get("case", ""))
            by_case.setdefault(key, {}).setdefault(label, []).append(e)
    cases = []
    for (area, case) in sorted(by_case):
        cells = {label: cell(by_case[(area, case)].get(label, [])) for label, _, _ in columns}
        cases.append({"area": area, "case": case, "cells": cells})
    kernels = []
    for label, source, data in columns:
        kernels.append({"label": label, "kernel": data.get("kernel", ""), "arch": data.get("arch", ""),
                        "started": data.get("started", ""), "source": source,
                        "truncated": bool(data.get("truncated")),
                        "unavailable": data.get("unavailable", ""),
                        "runs": len(data.get("results", [])),
                        "totals": data.get("totals") or results.totals(data.get("results", []))})
    return {"schema": 1, "kind": KIND, "kernels": kernels, "cases": cases,
            "issues": issue_rows(columns, by_case),
            "features": feature_rows(columns, timeline), "timeline": timeline_note}


def _md_cell(c):
    """A case cell in markdown: failures upper-case, bold when they hide
    among the exceptions of a passing cell."""
    if c["verdict"] == "none":
        return "not run"
    head = c["verdict"].upper() if c["verdict"] in FAILED else c["verdict"]
    parts = ["%s: %s" % (s.upper() if s in FAILED else s, ", ".join(labels))
             for s, labels in (c.get("split") or {}).items()]
    text = markdown.escape_cell(head + (" (%s)" % "; ".join(parts) if parts else ""))
    if c["worst"] in FAILED and c["verdict"] not in FAILED:
        text = "**%s**" % text
    return text


ISSUES_INTRO = ("Every failure, XFAIL (a listed known issue) and XPASS (a listed issue that "
                "did not reproduce) per kernel. A failure whose reason starts \"known issue, "
                "still a failure\" has been triaged: the explanation, then the harness's "
                "evidence.")


def issues_md(compat):
    """The "Failures and known issues" section, one table per kernel."""
    lines = ["", "## Failures and known issues", "", ISSUES_INTRO]
    for k in compat["kernels"]:
        rows = [r for r in compat.get("issues", []) if r["kernel"] == k["label"]]
        lines += ["", "### %s" % markdown.escape_inline(k["label"]), ""]
        if not rows:
            lines.append("None.")
            continue
        lines += ["| case | verdict | runs | reason |", "|---|---|---|---|"]
        for r in rows:
            verdict = r["status"].upper() if r["status"] in FAILED else r["status"]
            runs = "%d of %d: %s" % (r["runs"], r["of"], ", ".join(r["where"]))
            reason = r["reason"] or "-"
            if r["reasons"] > 1:
                reason += " (%d different reasons; the commonest)" % r["reasons"]
            lines.append("| %s |" % " | ".join(markdown.escape_cell(v) for v in (
                "%s.%s" % (r["area"], r["case"]), verdict, runs, reason)))
    return lines


def render_md(compat):
    """compat.md text."""
    labels = [k["label"] for k in compat["kernels"]]
    lines = ["# uringcheck compatibility: %s" % ", ".join(markdown.escape_inline(l) for l in labels), ""]
    lines += ["| kernel | arch | started | runs | pass | fail | skip | xfail | note |",
              "|---|---|---|---|---|---|---|---|---|"]
    for k in compat["kernels"]:
        t = k["totals"]
        failed = sum(t.get(s, 0) for s in FAILED)
        note = "truncated: cases it never reached are \"not run\"" if k["truncated"] else ""
        if k.get("unavailable"):
            note = "io_uring unavailable: " + k["unavailable"]
        lines.append("| %s |" % " | ".join(markdown.escape_cell(v) for v in (
            k["label"], k["arch"], k["started"], k["runs"], t.get("pass", 0), failed,
            t.get("skip", 0), t.get("xfail", 0), note)))
    lines += ["", "Sources: " + ", ".join("%s = `%s`" % (markdown.escape_inline(k["label"]),
                                                        k["source"].replace("`", "'"))
                                        for k in compat["kernels"]), ""]
    lines += issues_md(compat)[1:] + [""]
    lines += ["## Cases", "",
              "One cell per case and kernel: the verdict of all its backend/mode runs when they "
              "agree, else the commonest verdict and the exceptions (`b/*`: every mode of backend "
              "b; `*/m`: every backend in mode m). Bold: a failure hides among the exceptions.", "",
              "| case | " + " | ".join(markdown.escape_cell(l) for l in labels) + " |",
              "|---" * (len(labels) + 1) + "|"]
    for c in compat["cases"]:
        name = markdown.escape_cell("%s.%s" % (c["area"], c["case"]))
        lines.append("| %s | %s |" % (name, " | ".join(_md_cell(c["cells"][l]) for l in labels)))
    lines += ["", "## Features", ""]
    if compat.get("timeline"):
        lines += ["Introduced in: %s" % markdown.escape_inline(compat["timeline"]), ""]
    for key, rows in compat["features"].items():
        lines += ["### %s (%d)" % (PROBE_TITLES.get(key, key), len(rows)), ""]
        if not rows:
            lines += ["None probed.", ""]
            continue
        lines += ["| name | since | " + " | ".join(markdown.escape_cell(l) for l in labels) + " |",
                  "|---" * (len(labels) + 2) + "|"]
        for row in rows:
            since = row["since"] or "?"
            if row["note"]:
                since += " (%s)" % row["note"]
            marks = []
            for l in labels:
                k = row["kernels"][l]
                mark = "yes" if k["supported"] else "-"
                marks.append(mark + (" (%s)" % k["remark"] if k["remark"] else ""))
            cells = [row["name"], since] + marks
            lines.append("| %s |" % " | ".join(markdown.escape_cell(v) for v in cells))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"

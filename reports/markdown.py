# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""report.md writer: renders a schema-1 results dict as GitHub markdown.

It works from the results dict only (never from KTAP), so ``md`` produces
the same report from a KTAP file or from a stored results.json.
"""

import re

import results

MAX_NAMES_PER_REASON = 10
_INLINE_SPECIALS = re.compile(r"([\\`*<>\[\]])")


def escape_inline(text):
    """Neutralise markdown that would garble free text (reasons, names).

    Underscores are left alone: GFM ignores them inside words, and escaping
    them would make identifiers like IORING_FEAT_X unreadable in raw form.
    """
    text = " ".join(str(text).split())
    return _INLINE_SPECIALS.sub(r"\\\1", text)


def escape_cell(text):
    """Like escape_inline, plus ``|`` which would split a table cell."""
    return escape_inline(text).replace("|", "\\|")


def code_block(lines, info="text"):
    """A fenced block whose fence is longer than any backtick run inside."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + info] + list(lines) + [fence]


def column_label(entry):
    """Matrix column for a run: ``backend/mode``."""
    backend, mode = entry.get("backend", ""), entry.get("mode", "")
    if not backend and not mode:
        return "(ungrouped)"
    return "%s/%s" % (backend or "-", mode or "-")


def run_name(entry):
    """``area.case [backend/mode]`` as used in every list of runs."""
    area, case = entry.get("area", ""), entry.get("case", "")
    name = "%s.%s" % (area, case) if area else case
    return "`%s` [%s]" % (name.replace("`", "'"), column_label(entry))


def _plural(count, word):
    """``1 run`` / ``2 runs`` without special cases at each call site."""
    return "%d %s%s" % (count, word, "" if count == 1 else "s")


def _duration(seconds):
    """Human duration for the title block."""
    try:
        value = float(seconds)
    except (TypeError, ValueError):
        return "unknown"
    return "%.2f s" % value if value else "unknown"


def title_section(data):
    """Title, run metadata and the warnings that must not be missed."""
    kernel = data.get("kernel") or "unknown kernel"
    arch = data.get("arch") or "unknown arch"
    lines = ["# uringcheck report: %s (%s)" % (escape_inline(kernel), escape_inline(arch)), ""]
    started = data.get("started") or "unknown"
    lines.append("Started %s, duration %s." % (escape_inline(started), _duration(data.get("duration_s"))))
    lines.append("")
    if data.get("unavailable"):
        lines += ["> **io_uring unavailable:** %s" % escape_inline(data["unavailable"]), ""]
    if data.get("truncated"):
        lines += ["> **Truncated run:** the KTAP stream ended before the run finished; "
                  "only the results that were reported are counted below.", ""]
    return lines


def totals_section(data):
    """The totals line and the distinct-cases/runs line."""
    counts = data.get("totals") or results.totals(data.get("results", []))
    passed, failed, skipped = results.summary_counts(data)
    detail = ", ".join("%s %d" % (status, counts.get(status, 0)) for status in results.STATUSES)
    runs = data.get("results", [])
    distinct = data.get("distinct_cases", results.distinct_cases(runs))
    return [
        "**%d passed, %d failed, %d skipped** (%s)" % (passed, failed, skipped, detail),
        "",
        "%s, %s" % (_plural(distinct, "distinct case"), _plural(len(runs), "run")),
        "",
    ]


def matrix_cell(entries):
    """``3 pass, 1 FAIL, 2 skip`` for one area x backend/mode cell."""
    if not entries:
        return "-"
    counts = results.totals(entries)
    passed, failed, skipped = results.summary_counts({"totals": counts})
    parts = []
    if passed:
        parts.append("%d pass" % passed)
    if failed:
        parts.append("%d FAIL" % failed)
    if skipped:
        parts.append("%d skip" % skipped)
    return ", ".join(parts)


def matrix_section(runs):
    """Areas (sorted) against backend/mode columns (in first-seen order)."""
    if not runs:
        return ["## Matrix", "", "No results.", ""]
    columns = list(dict.fromkeys(column_label(r) for r in runs))
    areas = sorted({r.get("area", "") for r in runs})
    lines = ["## Matrix", "",
             "| area | " + " | ".join(escape_cell(c) for c in columns) + " |",
             "|---" * (len(columns) + 1) + "|"]
    for area in areas:
        cells = [escape_cell(area or "(none)")]
        for column in columns:
            cell_runs = [r for r in runs if r.get("area", "") == area and column_label(r) == column]
            cells.append(escape_cell(matrix_cell(cell_runs)))
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    return lines


def failures_section(runs):
    """Each failing run with its reason and log (the stream diff lives there)."""
    failing = [r for r in runs if r.get("status") in results.FAILED_STATUSES]
    lines = ["## Failures (%d)" % len(failing), ""]
    if not failing:
        return lines + ["None.", ""]
    for entry in failing:
        reason = entry.get("reason") or "no reason given"
        lines.append("**%s** %s: %s" % (entry["status"].upper(), run_name(entry), escape_inline(reason)))
        lines.append("")
        if entry.get("log"):
            lines += code_block([str(line) for line in entry["log"]]) + [""]
    return lines


def skips_section(runs):
    """Skips and expected failures grouped by reason, biggest group first."""
    groups = {}
    for entry in runs:
        if entry.get("status") in results.SKIPPED_STATUSES:
            reason = entry.get("reason") or "no reason given"
            if entry["status"] == "xfail":
                reason = "XFAIL: " + reason
            groups.setdefault(reason, []).append(entry)
    lines = ["## Skips by reason", ""]
    if not groups:
        return lines + ["None.", ""]
    for reason, entries in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        names = [run_name(e) for e in entries[:MAX_NAMES_PER_REASON]]
        if len(entries) > MAX_NAMES_PER_REASON:
            names.append("and %d more" % (len(entries) - MAX_NAMES_PER_REASON))
        lines.append("- **%s** (%d): %s" % (escape_inline(reason), len(entries), ", ".join(names)))
    lines.append("")
    return lines


def probe_section(probe):
    """What the kernel said it supports, as recorded by the runner."""
    lines = ["## Probe", ""]
    probe = probe or {}
    for key in list(results.PROBE_KEYS) + sorted(set(probe) - set(results.PROBE_KEYS)):
        values = probe.get(key) or []
        shown = ", ".join(escape_inline(v) for v in values) if values else "(none)"
        lines.append("- **%s** (%d): %s" % (escape_inline(key), len(values), shown))
    lines.append("")
    return lines


def render(data):
    """The whole report.md text for a schema-1 results dict."""
    runs = data.get("results", [])
    lines = []
    lines += title_section(data)
    lines += totals_section(data)
    lines += matrix_section(runs)
    lines += failures_section(runs)
    lines += skips_section(runs)
    lines += probe_section(data.get("probe"))
    return "\n".join(lines).rstrip("\n") + "\n"

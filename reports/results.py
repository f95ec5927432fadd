# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""uringcheck results model: KTAP tree -> schema-1 dict, and back from JSON.

The schema-1 dict is the contract shared by every report writer (markdown
today; HTML, JUnit, compat matrices and ``diff`` later), so it is kept as a
plain JSON-able dict and the helpers here are the only place that knows how
runner output maps onto it.
"""

import json
import re

import ktap

SCHEMA = 1
STATUSES = ("pass", "fail", "skip", "xfail", "timeout", "error")
FAILED_STATUSES = ("fail", "timeout", "error")
SKIPPED_STATUSES = ("skip", "xfail")
PROBE_KEYS = ("features", "opcodes", "setup_flags", "register_ops")
# Header words kept under "run" (an addition to schema 1 that readers may ignore).
RUN_KEYS = ("version", "jobs", "seed")
LOG_CAP = 200
GROUP_CASE = "(group)"

_TIME_RE = re.compile(r"^time_ms:\s*([0-9]+(?:\.[0-9]*)?)\s*$")
_NOISE_RE = re.compile(r"^(?:time_ms:|RUN\b)")
_RESULT_KEYS = ("area", "case", "backend", "mode", "status", "reason", "duration_ms")


class ResultsError(Exception):
    """A results.json that is not schema 1; ``line`` is 1-based or None."""

    def __init__(self, message, line=None):
        super().__init__(message)
        self.message = message
        self.line = line


def key_values(text):
    """Parse ``a=1 b=2`` into a dict; words without ``=`` are ignored."""
    pairs = {}
    for word in text.split():
        key, sep, value = word.partition("=")
        if sep:
            pairs[key] = value
    return pairs


def _prefixed(lines, prefix):
    """Yield the remainder of every diagnostic starting with ``prefix``."""
    for line in lines:
        text = line.strip()
        if text.startswith(prefix):
            yield text[len(prefix):].strip()


def duration_ms(diagnostics):
    """The last ``time_ms:`` value among a test's diagnostics, else None."""
    value = None
    for line in diagnostics:
        match = _TIME_RE.match(line.strip())
        if match:
            value = float(match.group(1))
    return value


def fallback_reason(diagnostics):
    """Why a failure happened when the result line does not say.

    The expectation engine prints a "first difference" line; failing that,
    the last meaningful diagnostic is the best guess.
    """
    useful = [d.strip() for d in diagnostics if d.strip() and not _NOISE_RE.match(d.strip())]
    for line in useful:
        if "first difference" in line.lower():
            return line
    return useful[-1] if useful else ""


def is_xpass(entry):
    """A pass of a listed known issue: status pass, reason starting XPASS
    (status_of() for the runner's directive, known.py for --known)."""
    return entry.get("status") == "pass" and str(entry.get("reason", "")).startswith("XPASS")


def status_of(result):
    """Map a KTAP result to (status, reason) following the runner's rules."""
    directive, reason = result.directive, result.reason
    if directive == "SKIP":
        return "skip", reason
    if directive == "XFAIL":
        return "xfail", reason
    if directive == "XPASS":
        # an expected failure (a known issue) did not happen: good news that
        # the known-issues list should hear about, not a failure of the run
        suffix = ": " + reason if reason else ""
        return "pass", "XPASS" + suffix
    if directive == "TODO":
        if result.ok:
            return "pass", ""
        return "xfail", ("TODO: " + reason) if reason else "TODO"
    if directive in ("TIMEOUT", "ERROR"):
        return directive.lower(), reason or fallback_reason(result.diagnostics)
    if result.ok:
        return "pass", ""
    return "fail", reason or fallback_reason(result.diagnostics)


def failure_log(diagnostics):
    """A failure's diagnostics minus timing lines, capped at LOG_CAP lines."""
    lines = [d for d in diagnostics if not _TIME_RE.match(d.strip())]
    if len(lines) > LOG_CAP:
        dropped = len(lines) - (LOG_CAP - 1)
        lines = lines[: LOG_CAP - 1] + ["[... %d more lines not shown]" % dropped]
    return lines


def make_case(area, case, backend, mode, result):
    """One schema-1 result dict built from a KTAP result."""
    status, reason = status_of(result)
    entry = {
        "area": area,
        "case": case,
        "backend": backend,
        "mode": mode,
        "status": status,
        "reason": reason,
        "duration_ms": duration_ms(result.diagnostics),
    }
    log = failure_log(result.diagnostics)
    if status != "pass" and log:
        entry["log"] = log
    return entry


def split_description(description):
    """``area.backend.mode`` -> dict; the mode keeps any further dots."""
    parts = description.split(".", 2) if description else []
    parts += [""] * (3 - len(parts))
    return {"area": parts[0], "backend": parts[1], "mode": parts[2]}


def group_context(parent, block, inherited):
    """Area/backend/mode for the cases of ``block``.

    A ``# group:`` header wins; otherwise the parent description is split
    (top level) or the enclosing group's context is inherited (deeper).
    """
    if inherited is None:
        context = split_description("" if parent.missing else parent.description)
    else:
        context = dict(inherited)
    for text in _prefixed(block.all_diagnostics(), "group:"):
        pairs = key_values(text)
        context.update({k: pairs[k] for k in ("area", "backend", "mode") if k in pairs})
        break
    return context


def top_level_case(result):
    """A top-level result without subtests: ``area.case`` plus optional group."""
    area, dot, case = result.description.partition(".")
    if not dot:
        area, case = "", result.description
    context = {"area": area, "backend": "", "mode": ""}
    for text in _prefixed(result.diagnostics, "group:"):
        pairs = key_values(text)
        context.update({k: pairs[k] for k in ("backend", "mode") if k in pairs})
        break
    name = case or "#%s" % result.number
    return make_case(context["area"], name, context["backend"], context["mode"], result)


def collect_cases(block, inherited=None, prefix=""):
    """Flatten the KTAP tree into schema-1 result dicts, in stream order.

    Leaves are cases.  A group result is itself reported as a ``(group)``
    case only when it carries information its cases do not: it has no
    cases at all, or it failed while none of its cases did.
    """
    cases = []
    for result in block.results:
        if result.subtest is None:
            if inherited is None:
                cases.append(top_level_case(result))
            else:
                ctx = inherited
                cases.append(make_case(ctx["area"], prefix + result.description,
                                       ctx["backend"], ctx["mode"], result))
            continue
        context = group_context(result, result.subtest, inherited)
        deeper_prefix = prefix
        if inherited is not None and not result.missing:
            deeper_prefix += result.description + "."
        inner = collect_cases(result.subtest, context, deeper_prefix)
        cases.extend(inner)
        if not result.missing and _group_needs_case(result, inner):
            cases.append(make_case(context["area"], deeper_prefix + GROUP_CASE,
                                   context["backend"], context["mode"], result))
    return cases


def _group_needs_case(result, inner):
    """True when a group's own result would otherwise be lost."""
    status, _ = status_of(result)
    if not inner:
        return True
    if status in FAILED_STATUSES:
        return not any(c["status"] in FAILED_STATUSES for c in inner)
    return False


def header_info(root):
    """Kernel/arch/started, probe lists, duration and unavailability."""
    lines = root.all_diagnostics()
    info = {"kernel": "", "arch": "", "started": "", "duration_s": 0,
            "probe": {key: [] for key in PROBE_KEYS}, "unavailable": None, "run": {}}
    for text in _prefixed(lines, "uringcheck:"):
        pairs = key_values(text)
        for key in ("kernel", "arch", "started"):
            info[key] = pairs.get(key, info[key])
        info["run"].update({k: pairs[k] for k in RUN_KEYS if k in pairs})
    faults = [text.replace(" (urinject)", "") for text in _prefixed(lines, "faults:")]
    if faults:
        info["run"]["faults"] = faults
    for text in _prefixed(lines, "probe:"):
        for key, value in key_values(text).items():
            if key in PROBE_KEYS:
                info["probe"][key] = [v for v in value.split(",") if v]
    for text in _prefixed(lines, "duration_s:"):
        info["duration_s"] = _number(text)
    for text in _prefixed(lines, "io_uring unavailable:"):
        info["unavailable"] = text
    return info


def _number(text):
    """A float from runner output, 0 when it is garbled."""
    try:
        return float(text.split()[0])
    except (ValueError, IndexError):
        return 0


def totals(cases):
    """Counts per status, every status present."""
    counts = {status: 0 for status in STATUSES}
    for case in cases:
        counts[case["status"]] = counts.get(case["status"], 0) + 1
    return counts


def summary_counts(data):
    """(passed, failed, skipped) as the CLI summary line defines them."""
    counts = data.get("totals") or totals(data.get("results", []))
    passed = counts.get("pass", 0)
    failed = sum(counts.get(s, 0) for s in FAILED_STATUSES)
    skipped = sum(counts.get(s, 0) for s in SKIPPED_STATUSES)
    return passed, failed, skipped


def compress_columns(pairs, present, allow_except=False):
    """Labels for a set of (backend, mode) pairs out of ``present``.

    A backend whose every mode is in the set becomes ``backend/*``, then a
    mode whose every backend is left becomes ``*/mode``; the rest are listed.
    With ``allow_except``, a backend missing only a minority of its modes is
    ``backend/* except m1, m2``.
    """
    present = list(dict.fromkeys(list(present) + sorted(pairs)))  # order kept: ref first
    left, labels = set(pairs), []
    for backend in dict.fromkeys(b for b, m in present if (b, m) in left):
        full = [p for p in present if p[0] == backend]
        have = [p for p in full if p in left]
        if len(full) > 1 and len(have) == len(full):
            labels.append("%s/*" % backend)
            left -= set(full)
        elif allow_except and len(full) > 2 and len(have) * 2 > len(full):
            missing = [m for b, m in full if (b, m) not in left]
            labels.append("%s/* except %s" % (backend, ", ".join(missing)))
            left -= set(have)
    backends = {b for b, _ in present}
    for mode in dict.fromkeys(m for b, m in present if (b, m) in left):
        full = {p for p in present if p[1] == mode}
        if len(backends) > 1 and len(full) > 1 and full <= left:
            labels.append("*/%s" % mode)
            left -= full
    labels += ["%s/%s" % p for p in present if p in left]
    return labels


def distinct_cases(cases):
    """Number of distinct (area, case) pairs across all backends/modes."""
    return len({(c["area"], c["case"]) for c in cases})


def build(document):
    """Turn a parsed ``ktap.Document`` into the schema-1 results dict."""
    info = header_info(document.root)
    cases = collect_cases(document.root)
    data = {
        "schema": SCHEMA,
        "kernel": info["kernel"],
        "arch": info["arch"],
        "started": info["started"],
        "duration_s": info["duration_s"],
        "probe": info["probe"],
        "results": cases,
        "totals": totals(cases),
        "distinct_cases": distinct_cases(cases),
        "truncated": document.truncated,
    }
    if info["run"]:
        data["run"] = info["run"]
    if info["unavailable"] is not None:
        data["unavailable"] = info["unavailable"]
    return data


def from_ktap_text(text):
    """Parse KTAP text straight to the results dict (raises KtapError)."""
    return build(ktap.parse(text))


def dumps(data):
    """Serialise results the same way every time (stable diffs)."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def loads(text):
    """Load and sanity-check a results.json; raises ResultsError."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ResultsError("invalid JSON: %s" % err.msg, err.lineno) from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ResultsError("not a uringcheck results.json (need \"schema\": 1)")
    if not isinstance(data.get("results"), list):
        raise ResultsError("\"results\" must be a list")
    for index, entry in enumerate(data["results"]):
        _check_entry(index, entry)
    for key in ("kernel", "arch", "started"):
        if not isinstance(data.get(key, ""), str):
            raise ResultsError("\"%s\" must be a string" % key)
    if not isinstance(data.get("run", {}), dict):
        raise ResultsError("\"run\" must be an object")
    probe = data.get("probe", {})
    if not isinstance(probe, dict) or not all(
            isinstance(v, list) and all(isinstance(n, str) for n in v) for v in probe.values()):
        raise ResultsError("\"probe\" must map names to lists of strings")
    if not isinstance(data.get("totals"), dict):
        data["totals"] = totals(data["results"])
    return data


def _check_entry(index, entry):
    """Reject result entries a report writer could not render."""
    if not isinstance(entry, dict):
        raise ResultsError("results[%d] is not an object" % index)
    missing = [key for key in _RESULT_KEYS if key not in entry]
    if missing:
        raise ResultsError("results[%d] lacks %s" % (index, ", ".join(missing)))
    wrong = [key for key in _RESULT_KEYS[:-1] if not isinstance(entry[key], str)]
    if wrong:
        raise ResultsError("results[%d]: expected a string for %s" % (index, ", ".join(wrong)))
    if not isinstance(entry.get("log", []), list):
        raise ResultsError("results[%d]: \"log\" must be a list of lines" % index)
    if entry["status"] not in STATUSES:
        raise ResultsError("results[%d] has unknown status %r" % (index, entry["status"]))

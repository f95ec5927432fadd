# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""report.html writer: one run (a schema-1 results dict) as a standalone page.

Sections, in reading order: run metadata and warnings, totals, the matrix of
areas x backend/mode (hover a cell for its counts, click it for its runs),
failures with their expected-vs-seen stream diff, known issues (XFAIL, and
XPASS), skips grouped by reason, and the probe lists.
"""

import results
from htmlbase import esc, tag, verdict, legend, json_island, log_pre, page, plural, duration

FAILED = results.FAILED_STATUSES
CELL_ORDER = ("fail", "timeout", "error", "xfail", "pass", "skip")

SCRIPT = r"""
(function () {
  var data = JSON.parse(document.getElementById('runs-data').textContent);
  var panel = document.getElementById('panel');
  function show(cell) {
    var a = +cell.dataset.a, c = +cell.dataset.c, col = data.cols[c];
    var list = document.createElement('ul');
    list.className = 'runs';
    data.runs.forEach(function (r) {
      if (r[0] !== a || r[1] !== c) return;
      var li = document.createElement('li'), st = data.statuses[r[3]];
      var span = document.createElement('span');
      span.className = 'tag ' + data.css[st];
      span.textContent = data.sym[st] + ' ' + st;
      li.appendChild(span);
      var name = document.createElement('span');
      name.textContent = r[2];
      li.appendChild(name);
      var why = data.reasons[r[4]];
      if (why) { li.title = why; }
      list.appendChild(li);
    });
    var head = document.createElement('h3');
    head.textContent = data.areas[a] + ' \u2014 ' + col[0] + '/' + col[1] + ': ' + cell.dataset.n;
    var close = document.createElement('button');
    close.textContent = 'close';
    close.onclick = function () { panel.hidden = true; };
    panel.replaceChildren(head, list, close);
    panel.hidden = false;
  }
  document.querySelectorAll('td.cell[data-a]').forEach(function (cell) {
    cell.addEventListener('click', function () { show(cell); });
    cell.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); show(cell); }
    });
  });
  document.querySelectorAll('button[data-open]').forEach(function (b) {
    b.addEventListener('click', function () {
      var open = b.dataset.open === '1';
      document.querySelectorAll(b.dataset.target + ' details').forEach(function (d) { d.open = open; });
    });
  });
})();
"""


def label(entry):
    """``backend/mode`` of a run."""
    return "%s/%s" % (entry.get("backend") or "-", entry.get("mode") or "-")


def full_name(entry):
    """``area.case`` of a run."""
    area, case = entry.get("area", ""), entry.get("case", "")
    return "%s.%s" % (area, case) if area else case


def columns_of(runs):
    """(backend, mode) pairs: backends in first-seen order, then modes."""
    backends = list(dict.fromkeys(r.get("backend", "") for r in runs))
    modes = list(dict.fromkeys(r.get("mode", "") for r in runs))
    seen = {(r.get("backend", ""), r.get("mode", "")) for r in runs}
    return [(b, m) for b in backends for m in modes if (b, m) in seen]


def cell_class(counts):
    """Colour of a matrix cell: any failure wins, then all-skipped, then xfail."""
    if any(counts.get(s) for s in FAILED):
        worst = next(s for s in FAILED if counts.get(s))
        return verdict(worst)[2]
    if not any(counts.values()):
        return verdict("none")[2]
    if counts.get("skip") and not any(counts.get(s) for s in ("pass", "xfail")):
        return verdict("skip")[2]
    if counts.get("xfail"):
        return verdict("xfail")[2]
    return verdict("pass")[2]


def cell_text(counts):
    """``✗ 2 ✓ 26 ○ 2``: symbol and count per status present."""
    parts = ["%s\u00a0%d" % (verdict(s)[0], counts[s]) for s in CELL_ORDER if counts.get(s)]
    return " ".join(parts) or verdict("none")[0]


def cell_title(counts):
    """Hover text: every status present, spelled out."""
    parts = ["%d %s" % (counts[s], s) for s in CELL_ORDER if counts.get(s)]
    return ", ".join(parts) or "no runs"


def header_section(data):
    """Title, metadata list and the warnings that must not be missed."""
    kernel, arch = data.get("kernel") or "unknown kernel", data.get("arch") or "unknown arch"
    run = data.get("run") or {}
    runs = data.get("results", [])
    meta = [("Kernel", kernel), ("Architecture", arch), ("Started", data.get("started") or "unknown"),
            ("Duration", duration(data.get("duration_s"))),
            ("Runs", "%s of %s" % (plural(len(runs), "run"),
                                  plural(data.get("distinct_cases", results.distinct_cases(runs)),
                                         "distinct case")))]
    for key, name in (("version", "Suite version"), ("jobs", "Parallel jobs"), ("seed", "Seed")):
        if run.get(key):
            meta.append((name, run[key]))
    if run.get("faults"):
        meta.append(("Faults injected", "; ".join(run["faults"])))
    out = ["<h1>uringcheck report: %s <span class=\"muted\">(%s)</span></h1>" % (esc(kernel), esc(arch))]
    out.append('<dl class="meta">%s</dl>' % "".join(
        "<dt>%s</dt><dd>%s</dd>" % (esc(k), esc(v)) for k, v in meta))
    if data.get("unavailable"):
        out.append('<p class="banner"><b>io_uring unavailable:</b> %s</p>' % esc(data["unavailable"]))
    if data.get("truncated"):
        out.append('<p class="banner"><b>Truncated run:</b> the KTAP stream ended before the run '
                   'finished; only the results that were reported are counted.</p>')
    return out


def totals_section(data):
    """Big counts, one per status, with symbol and word."""
    counts = data.get("totals") or results.totals(data.get("results", []))
    passed, failed, skipped = results.summary_counts(data)
    items = []
    for status in ("pass", "fail", "timeout", "error", "xfail", "skip"):
        symbol, name, css = verdict(status)
        word = {"xfail": "known issues", "skip": "skipped", "pass": "passed", "fail": "failed",
                "timeout": "timed out", "error": "errors"}[status]
        count = counts.get(status, 0)
        css = css if count or status == "pass" else verdict("none")[2]
        items.append('<li class="%s"><b>%s\u00a0%d</b> %s</li>' % (css, symbol, count, esc(word)))
    return ['<ul class="totals" aria-label="totals">%s</ul>' % "".join(items),
            '<p class="muted">Summary line: %d passed, %d failed, %d skipped '
            '(known issues count as skipped; timeouts and errors as failed).</p>'
            % (passed, failed, skipped)]


def matrix_section(runs):
    """Areas x backend/mode, with the data island the click panel reads."""
    out = ['<h2 id="matrix">Matrix</h2>']
    if not runs:
        return out + ["<p>No results.</p>"], None
    cols = columns_of(runs)
    areas = sorted({r.get("area", "") for r in runs})
    col_index = {c: i for i, c in enumerate(cols)}
    area_index = {a: i for i, a in enumerate(areas)}
    cells = {}
    for r in runs:
        key = (area_index[r.get("area", "")], col_index[(r.get("backend", ""), r.get("mode", ""))])
        counts = cells.setdefault(key, {})
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    out.append(legend())
    out.append('<p class="muted">Each cell counts the runs of one area in one backend and mode. '
               'Hover a cell for its counts; click it (or press Enter) to list its cases.</p>')
    backends = list(dict.fromkeys(b for b, _ in cols))
    head1 = ['<th rowspan="2">area</th>'] + [
        '<th colspan="%d">%s</th>' % (sum(1 for b, _ in cols if b == backend), esc(backend or "-"))
        for backend in backends]
    head2 = ["<th>%s</th>" % esc(mode or "-") for _, mode in cols]
    rows = []
    for area in areas:
        a = area_index[area]
        tds = ['<th class="row">%s</th>' % esc(area or "(none)")]
        for c, (backend, mode) in enumerate(cols):
            counts = cells.get((a, c), {})
            title = "%s, %s/%s: %s" % (area, backend, mode, cell_title(counts))
            attrs = (' data-a="%d" data-c="%d" data-n="%s" tabindex="0"'
                     % (a, c, esc(cell_title(counts))) if counts else "")
            tds.append('<td class="cell %s" title="%s"%s>%s</td>'
                       % (cell_class(counts), esc(title), attrs, esc(cell_text(counts))))
        rows.append("<tr>%s</tr>" % "".join(tds))
    out.append('<div class="scroll"><table class="grid matrix"><thead><tr>%s</tr><tr>%s</tr></thead>'
               '<tbody>%s</tbody></table></div>' % ("".join(head1), "".join(head2), "\n".join(rows)))
    out.append('<div id="panel" hidden></div>')
    return out, island(runs, areas, area_index, cols, col_index)


def island(runs, areas, area_index, cols, col_index):
    """Compact run list for the click panel (reasons deduplicated)."""
    statuses = list(results.STATUSES)
    reasons, reason_index, rows = [""], {"": 0}, []
    for r in runs:
        reason = r.get("reason") or ""
        if reason not in reason_index:
            reason_index[reason] = len(reasons)
            reasons.append(reason)
        rows.append([area_index[r.get("area", "")], col_index[(r.get("backend", ""), r.get("mode", ""))],
                     r.get("case", ""), statuses.index(r["status"]) if r["status"] in statuses else 5,
                     reason_index[reason]])
    return {"areas": areas, "cols": [list(c) for c in cols], "statuses": statuses,
            "sym": {s: verdict(s)[0] for s in statuses}, "css": {s: verdict(s)[2] for s in statuses},
            "reasons": reasons, "runs": rows}


def failures_section(runs):
    """Every failing run, open, with its reason and stream diff."""
    failing = [r for r in runs if r.get("status") in FAILED]
    out = ['<h2 id="failures">Failures (%d)</h2>' % len(failing)]
    if not failing:
        return out + ["<p>None.</p>"]
    out.append('<p><button data-open="1" data-target="#fail-list">expand all</button>'
               '<button data-open="0" data-target="#fail-list">collapse all</button></p>')
    out.append('<div id="fail-list">')
    for entry in failing:
        reason = entry.get("reason") or "no reason given"
        out.append('<details open class="failure"><summary>%s <code>%s</code> [%s]'
                   '<div class="reason">%s</div></summary>%s</details>'
                   % (tag(entry["status"]), esc(full_name(entry)), esc(label(entry)), esc(reason),
                      log_pre(entry.get("log")) if entry.get("log") else
                      '<p class="muted">no log</p>'))
    out.append("</div>")
    return out


def _group(entries, key):
    """Entries grouped by ``key(entry)``, groups in first-seen order."""
    groups = {}
    for entry in entries:
        groups.setdefault(key(entry), []).append(entry)
    return groups


def runs_label(group, present):
    """The backend/mode columns of a group of runs, compressed (``ref/*``)."""
    pairs = {(e.get("backend", ""), e.get("mode", "")) for e in group}
    return "; ".join(results.compress_columns(pairs, present, allow_except=True))


def known_section(runs):
    """XFAILs (known issues that reproduced) and XPASSes (ones that did not)."""
    present = columns_of(runs)
    xfails = [r for r in runs if r.get("status") == "xfail"]
    xpasses = [r for r in runs if results.is_xpass(r)]
    out = ['<h2 id="known">Known issues (%d XFAIL, %d XPASS)</h2>' % (len(xfails), len(xpasses))]
    if not xfails and not xpasses:
        return out + ["<p>None.</p>"]
    for status, entries, text in (("xfail", xfails, "xfail"), ("pass", xpasses, "XPASS")):
        if status == "pass" and entries:
            out.append("<h3>Did not reproduce (XPASS): narrow or drop these lines</h3>")
        groups = _group(entries, lambda r: (full_name(r), r.get("reason", "")))
        for (name, reason), group in groups.items():
            log = next((e["log"] for e in group if e.get("log")), None)
            detail = "<details><summary>log</summary>%s</details>" % log_pre(log) if log else ""
            out.append('<div class="known">%s<code>%s</code> <span class="muted">[%s]</span>'
                       '<div class="reason">%s</div>%s</div>'
                       % (tag(status, text), esc(name), esc(runs_label(group, present)),
                          esc(reason), detail))
    return out


def skips_section(runs):
    """Skips grouped by reason, biggest first; each group lists its cases."""
    skipped = [r for r in runs if r.get("status") == "skip"]
    out = ['<h2 id="skips">Skips by reason (%s)</h2>' % plural(len(skipped), "run")]
    if not skipped:
        return out + ["<p>None.</p>"]
    groups = _group(skipped, lambda r: r.get("reason") or "no reason given")
    present = columns_of(runs)
    out.append('<p><button data-open="1" data-target="#skip-list">expand all</button>'
               '<button data-open="0" data-target="#skip-list">collapse all</button></p>'
               '<div id="skip-list">')
    for reason, group in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        rows = "".join('<tr><td><code>%s</code></td><td>%s</td></tr>'
                       % (esc(name), esc(runs_label(entries, present)))
                       for name, entries in _group(group, full_name).items())
        out.append('<details><summary>%s<b>%d</b> %s</summary><div class="scroll">'
                   '<table class="grid skips"><tbody>%s</tbody></table></div></details>'
                   % (tag("skip"), len(group), esc(reason), rows))
    out.append("</div>")
    return out


def probe_section(probe):
    """What the kernel said it supports, as the runner recorded it."""
    out = ['<h2 id="probe">Probe</h2>']
    probe = probe or {}
    keys = list(results.PROBE_KEYS) + sorted(set(probe) - set(results.PROBE_KEYS))
    for key in keys:
        values = probe.get(key) or []
        out.append("<h3>%s <span class=\"muted\">(%d)</span></h3>" % (esc(key), len(values)))
        chips = "".join("<span>%s</span>" % esc(v) for v in values) or "<span>(none)</span>"
        out.append('<div class="chips mono">%s</div>' % chips)
    return out


def render(data):
    """The whole report.html text for a schema-1 results dict."""
    runs = data.get("results", [])
    body = header_section(data)
    body.append('<p class="muted">Jump to: <a href="#matrix">matrix</a> \u00b7 '
                '<a href="#failures">failures</a> \u00b7 <a href="#known">known issues</a> '
                '\u00b7 <a href="#skips">skips</a> \u00b7 <a href="#probe">probe</a></p>')
    body += totals_section(data)
    matrix, data_island = matrix_section(runs)
    body += matrix
    body += failures_section(runs)
    body += known_section(runs)
    body += skips_section(runs)
    body += probe_section(data.get("probe"))
    body.append("<footer>Generated by uringreport from the runner's KTAP output.</footer>")
    if data_island is not None:
        body.append(json_island("runs-data", data_island))
    title = "uringcheck report: %s" % (data.get("kernel") or "unknown kernel")
    return page(title, "\n".join(body), SCRIPT)

# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""compat.html writer: the compat dict (compat.py) as a standalone page."""

import compat
from htmlbase import esc, verdict, legend, page, plural, tag

SCRIPT = r"""
(function () {
  var only = document.getElementById('only-diff'), text = document.getElementById('filter');
  var rows = document.querySelectorAll('#cases tbody tr');
  function apply() {
    var needle = text.value.trim().toLowerCase(), shown = 0;
    rows.forEach(function (r) {
      var hide = (only.checked && r.dataset.same === '1') ||
                 (needle && r.dataset.name.indexOf(needle) < 0);
      r.hidden = hide;
      if (!hide) shown++;
    });
    document.getElementById('shown').textContent = shown;
  }
  only.addEventListener('change', apply);
  text.addEventListener('input', apply);
  apply();
})();
"""


def cell_class(c):
    """A failure anywhere colours the cell; otherwise the headline does."""
    return verdict(c["worst"] if c["worst"] in compat.FAILED else c["verdict"])[2]


def cell_html(c):
    """Headline verdict with its symbol; each exception with its own symbol,
    failures in bold, the rest in smaller type."""
    symbol, _, _ = verdict(c["verdict"])
    text = "%s\u00a0%s" % (symbol, esc(c["verdict"] if c["verdict"] != "none" else "not run"))
    parts = []
    for status, labels in (c.get("split") or {}).items():
        part = "%s\u00a0%s: %s" % (verdict(status)[0], esc(status),
                                   ", ".join('<span class="nw">%s</span>' % esc(l) for l in labels))
        parts.append("<b>%s</b>" % part if status in compat.FAILED else part)
    if parts:
        text += " <small>(%s)</small>" % "; ".join(parts)
    return text


def cell_title(c, label):
    """Hover text: counts, the common reason and each exception's reason."""
    parts = [label + ": " + ", ".join("%d %s" % (n, s) for s, n in sorted(c["counts"].items()))]
    if c.get("reason"):
        parts.append("%s: %s" % (c["verdict"], c["reason"]))
    seen = set()
    for e in c.get("exceptions", []):
        line = "%s %s/%s: %s" % (e["status"], e["backend"], e["mode"], e["reason"] or "-")
        if (e["status"], e["reason"]) not in seen:
            seen.add((e["status"], e["reason"]))
            parts.append(line)
    return "\n".join(parts)


def kernels_section(data):
    """One row per kernel column: where it came from and its totals."""
    out = ['<h2>Kernels (%d)</h2>' % len(data["kernels"]),
           '<table class="grid"><thead><tr><th>kernel</th><th>arch</th><th>started</th>'
           '<th>runs</th><th>verdicts</th><th>source</th></tr></thead><tbody>']
    for k in data["kernels"]:
        totals = k["totals"]
        failed = sum(totals.get(s, 0) for s in compat.FAILED)
        verdicts = " ".join(tag(s if n else "none", "%d %s" % (n, w)) for s, n, w in (
            ("pass", totals.get("pass", 0), "pass"), ("fail", failed, "failed"),
            ("skip", totals.get("skip", 0), "skip"), ("xfail", totals.get("xfail", 0), "xfail")))
        note = ""
        if k["truncated"]:
            note = '<br><b>\u26a0 truncated</b>: cases it never reached show as "not run"'
        if k.get("unavailable"):
            note += "<br><b>io_uring unavailable:</b> %s" % esc(k["unavailable"])
        out.append("<tr><th class=\"row\">%s</th><td>%s</td><td>%s</td><td>%d</td><td>%s%s</td>"
                   "<td><code>%s</code></td></tr>"
                   % (esc(k["label"]), esc(k["arch"]), esc(k["started"]), k["runs"], verdicts, note,
                      esc(k["source"])))
    out.append("</tbody></table>")
    return out


def cases_section(data):
    """Cases x kernels, with the "only differences" and name filters."""
    labels = [k["label"] for k in data["kernels"]]
    out = ['<h2>Cases (%d)</h2>' % len(data["cases"]), legend(),
           '<p class="muted">A cell is the verdict of all backend/mode runs of the case on that '
           'kernel when they agree, else the commonest verdict with the exceptions in brackets '
           '(<code>b/*</code>: every mode of backend b; <code>*/m</code>: every backend in mode m). '
           'A failure anywhere colours the cell. Hover a cell for counts and reasons.</p>',
           '<p><label><input type="checkbox" id="only-diff"> only cases whose verdict differs '
           'between kernels</label> &nbsp; <label>filter <input type="search" id="filter" '
           'placeholder="area.case"></label> &nbsp; <span class="muted"><span id="shown">%d</span> '
           'shown</span></p>' % len(data["cases"])]
    head = "".join("<th>%s</th>" % esc(l) for l in labels)
    out.append('<div class="scroll"><table class="grid" id="cases"><thead><tr><th>case</th>%s</tr>'
               "</thead><tbody>" % head)
    for c in data["cases"]:
        name = "%s.%s" % (c["area"], c["case"])
        cells = [c["cells"][l] for l in labels]
        same = "1" if len({x["summary"] for x in cells}) == 1 else "0"
        tds = "".join('<td class="%s" title="%s">%s</td>' % (cell_class(x), esc(cell_title(x, l)),
                                                             cell_html(x))
                      for x, l in zip(cells, labels))
        out.append('<tr data-same="%s" data-name="%s"><th class="row mono">%s</th>%s</tr>'
                   % (same, esc(name.lower()), esc(name), tds))
    out.append("</tbody></table></div>")
    return out


def issues_section(data):
    """Failures, XFAILs and XPASSes per kernel with their reasons."""
    out = ['<h2>Failures and known issues</h2>', '<p class="muted">%s</p>' % esc(compat.ISSUES_INTRO)]
    for k in data["kernels"]:
        rows = [r for r in data.get("issues", []) if r["kernel"] == k["label"]]
        out.append("<h3>%s <span class=\"muted\">(%s)</span></h3>"
                   % (esc(k["label"]), plural(len(rows), "case verdict")))
        if not rows:
            out.append("<p>None.</p>")
            continue
        out.append('<table class="grid issues"><thead><tr><th>case</th><th>verdict</th><th>runs</th>'
                   "<th>reason</th></tr></thead><tbody>")
        for r in rows:
            symbol, _, css = verdict("pass" if r["status"] == "xpass" else r["status"])
            reason = esc(r["reason"] or "-")
            if r["reasons"] > 1:
                reason += ' <span class="muted">(%d different reasons; the commonest)</span>' % r["reasons"]
            out.append('<tr><th class="row mono">%s.%s</th><td class="%s">%s\u00a0%s</td>'
                       "<td>%d of %d: %s</td><td>%s</td></tr>"
                       % (esc(r["area"]), esc(r["case"]), css, symbol, esc(r["status"]), r["runs"],
                          r["of"], ", ".join('<span class="nw">%s</span>' % esc(w) for w in r["where"]),
                          reason))
        out.append("</tbody></table>")
    return out


def features_section(data):
    """One table per probe list: name, introduced in, support per kernel."""
    labels = [k["label"] for k in data["kernels"]]
    out = ["<h2>Features</h2>"]
    if data.get("timeline"):
        out.append('<p class="muted">"since": the first mainline kernel with the name, from %s. '
                   'For reasons only: the suite gates on probes, never on versions.</p>'
                   % esc(data["timeline"]))
    for key, rows in data["features"].items():
        out.append("<h3>%s <span class=\"muted\">(%s)</span></h3>"
                   % (esc(compat.PROBE_TITLES.get(key, key)), plural(len(rows), "name")))
        if not rows:
            out.append("<p>None probed.</p>")
            continue
        head = "".join("<th>%s</th>" % esc(l) for l in labels)
        out.append('<table class="grid"><thead><tr><th>name</th><th>since</th>%s</tr></thead><tbody>'
                   % head)
        for row in rows:
            since = esc(row["since"] or "?")
            if row["note"]:
                since = '<span title="%s">%s*</span>' % (esc(row["note"]), since)
            tds = []
            for l in labels:
                k = row["kernels"][l]
                status = "pass" if k["supported"] else "none"
                text = "\u2713 yes" if k["supported"] else "\u2014 no"
                if k["remark"]:
                    text += " \u26a0"
                tds.append('<td class="%s" title="%s">%s%s</td>' % (
                    verdict(status)[2], esc(k["remark"]), esc(text),
                    "<br><small>%s</small>" % esc(k["remark"]) if k["remark"] else ""))
            out.append('<tr><th class="row mono">%s</th><td>%s</td>%s</tr>'
                       % (esc(row["name"]), since, "".join(tds)))
        out.append("</tbody></table>")
    return out


def render(data):
    """The whole compat.html text for a compat dict."""
    labels = [k["label"] for k in data["kernels"]]
    body = ["<h1>uringcheck compatibility <span class=\"muted\">(%s)</span></h1>"
            % esc(", ".join(labels))]
    body += kernels_section(data)
    body += issues_section(data)
    body += cases_section(data)
    body += features_section(data)
    body.append("<footer>Generated by uringreport compat.</footer>")
    return page("uringcheck compatibility: " + ", ".join(labels), "\n".join(body), SCRIPT)

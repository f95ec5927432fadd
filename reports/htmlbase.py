# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""Pieces shared by report.html and compat.html: page shell, CSS, verdicts.

Pages are self-contained (inline CSS and JS, no fonts, images or network).
Every piece of run data goes through ``esc`` (html.escape); the only data
given to scripts is a JSON island built by ``json_island``, which escapes
``<``, ``>`` and ``&`` so no string can close the script element.

Verdicts never rely on colour alone: each has a symbol and a word, and the
palette (blue / vermilion / grey / reddish purple, after Okabe and Ito)
stays distinct for the common colour-vision deficiencies.
"""

import html
import json

# status -> (symbol, label, css class)
VERDICTS = {
    "pass": ("\u2713", "pass", "v-pass"),
    "fail": ("\u2717", "FAIL", "v-fail"),
    "timeout": ("\u25f7", "TIMEOUT", "v-fail"),
    "error": ("\u26a0", "ERROR", "v-fail"),
    "xfail": ("\u25c7", "xfail", "v-xfail"),
    "skip": ("\u25cb", "skip", "v-skip"),
    "none": ("\u2014", "not run", "v-none"),
}
ORDER = ("fail", "timeout", "error", "xfail", "pass", "skip")

CSS = """
:root { --fg:#1d1d1f; --muted:#5a5a60; --line:#d4d4d8; --bg:#fff; --code:#f5f6f8;
  --pass:#d4e6f5; --pass-fg:#0b3c66; --fail:#fbd6c2; --fail-fg:#8a2b00; --fail-edge:#d55e00;
  --skip:#ececee; --skip-fg:#4a4a50; --xfail:#f1dcea; --xfail-fg:#6b2455; --none:#fafafa; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--fg);
  font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif; }
main { max-width:1500px; margin:0 auto; padding:24px 32px 64px; }
h1 { font-size:26px; margin:0 0 4px; font-weight:650; }
h2 { font-size:20px; margin:36px 0 10px; padding-bottom:4px; border-bottom:1px solid var(--line); }
h3 { font-size:16px; margin:18px 0 6px; }
a { color:#0a58a8; }
.muted { color:var(--muted); }
code, pre, .mono {
  font-family:ui-monospace,"SFMono-Regular","DejaVu Sans Mono",Menlo,Consolas,monospace; }
code { font-size:13px; background:var(--code); padding:1px 4px; border-radius:3px; }
pre { font-size:12.5px; line-height:1.45; background:var(--code); border:1px solid var(--line);
  border-radius:6px; padding:10px 12px; overflow-x:auto; margin:6px 0 14px;
  white-space:pre-wrap; overflow-wrap:anywhere; }
pre .first { font-weight:700; }
pre .mark { background:#ffe9a8; font-weight:600; }
dl.meta { display:grid; grid-template-columns:max-content 1fr; gap:2px 18px; margin:12px 0; }
dl.meta dt { color:var(--muted); } dl.meta dd { margin:0; }
.banner { border-left:6px solid var(--fail-edge); background:#fff1e8; padding:10px 14px;
  margin:12px 0; border-radius:4px; }
.totals { display:flex; flex-wrap:wrap; gap:10px; margin:14px 0; padding:0; list-style:none; }
.totals li { padding:8px 14px; border-radius:6px; font-size:16px; border:1px solid var(--line); }
.totals b { font-size:22px; margin-right:4px; }
.legend { display:flex; flex-wrap:wrap; gap:8px 14px; font-size:13px; margin:8px 0; }
.legend span { padding:1px 8px; border-radius:4px; }
.v-pass { background:var(--pass); color:var(--pass-fg); }
.v-fail { background:var(--fail); color:var(--fail-fg); box-shadow:inset 4px 0 0 var(--fail-edge);
  font-weight:650; }
.v-skip { background:var(--skip); color:var(--skip-fg); }
.v-xfail { background:var(--xfail); color:var(--xfail-fg); }
.v-none { background:var(--none); color:var(--muted); }
table { border-collapse:collapse; }
table.grid { font-size:13px; }
table.grid th, table.grid td { border:1px solid var(--line); padding:3px 7px; text-align:left;
  vertical-align:top; }
table.grid thead th { background:#f0f1f4; position:sticky; top:0; z-index:1; }
table.grid th.row { background:#fafafb; font-weight:600; white-space:nowrap; }
table.grid td.cell { font-variant-numeric:tabular-nums; cursor:pointer; min-width:64px; }
table.matrix { width:100%; }
table.grid td.cell:hover, table.grid td.cell:focus { outline:2px solid #0a58a8; outline-offset:-2px; }
.scroll { overflow-x:auto; max-width:100%; }
details { margin:4px 0; }
details.failure { border-top:1px solid var(--line); padding-top:6px; margin-top:10px; }
details.failure .reason { margin:2px 0 0 22px; font-size:14px; }
div.known { border-top:1px solid var(--line); padding:8px 0 4px; }
div.known .reason { margin:2px 0 0 4px; }
table.skips { margin:4px 0 12px 24px; }
details > summary { cursor:pointer; padding:4px 6px; border-radius:4px; }
details > summary:hover { background:#f3f4f6; }
.tag { display:inline-block; min-width:74px; text-align:center; padding:0 6px; margin-right:6px;
  border-radius:4px; font-size:13px; }
.runs { columns:3 360px; font-size:13px; margin:4px 0 10px 24px; padding:0; list-style:none; }
.runs li { break-inside:avoid; display:flex; gap:2px; align-items:baseline; }
.runs li > span:last-child { overflow-wrap:anywhere; }
#panel .runs { columns:2 540px; }
td code, summary code { overflow-wrap:anywhere; }
.chips { display:flex; flex-wrap:wrap; gap:4px 6px; margin:4px 0 12px; }
.chips span { font-size:12.5px; background:var(--code); border:1px solid var(--line);
  border-radius:4px; padding:0 6px; }
.chips small { color:var(--muted); }
td small { font-size:12px; opacity:.85; }
#cases td { min-width:180px; }
.nw { white-space:nowrap; }
table.grid tbody th.row { position:sticky; left:0; z-index:1; }
#panel { border:1px solid var(--line); border-radius:6px; padding:8px 14px; margin:12px 0;
  background:#fcfcfd; }
#panel[hidden] { display:none; }
button { font:inherit; font-size:13px; padding:2px 10px; margin-right:6px; border:1px solid var(--line);
  background:#f6f6f8; border-radius:4px; cursor:pointer; }
footer { margin-top:40px; font-size:13px; color:var(--muted); }
"""


def esc(value):
    """Any value as escaped HTML text (quotes too, so it is safe in attributes)."""
    return html.escape("" if value is None else str(value), quote=True)


def verdict(status):
    """(symbol, label, css class) for a status, unknown ones shown as errors."""
    return VERDICTS.get(status, VERDICTS["error"])


def tag(status, text=None):
    """A coloured verdict label with its symbol: never colour alone."""
    symbol, label, css = verdict(status)
    return '<span class="tag %s">%s %s</span>' % (css, symbol, esc(text or label))


def legend():
    """Key to the symbols and colours, shown above each matrix."""
    parts = []
    for status in ("pass", "fail", "timeout", "error", "xfail", "skip", "none"):
        symbol, label, css = VERDICTS[status]
        meaning = {"xfail": "known issue", "none": "not run", "skip": "skipped"}.get(status, label)
        parts.append('<span class="%s">%s %s</span>' % (css, symbol, esc(meaning)))
    return '<div class="legend" aria-label="legend">%s</div>' % "".join(parts)


def json_island(element_id, value):
    """Data for the page's script, unable to break out of its element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return '<script type="application/json" id="%s">%s</script>' % (esc(element_id), text)


def log_pre(lines):
    """A failure log in <pre>, the stream diff's key lines emphasised.

    The harness's ``RUN ring.MODE.CASE`` banner is left out: the heading
    above the log already names the case, backend and mode.
    """
    out = []
    for line in lines or []:
        if str(line).lstrip().startswith("RUN "):
            continue
        text = esc(line)
        if "<- " in str(line):
            text = '<span class="mark">%s</span>' % text
        elif "first difference" in str(line):
            text = '<span class="first">%s</span>' % text
        out.append(text)
    return "<pre>%s</pre>" % "\n".join(out)


def page(title, body, script=""):
    """A complete HTML document around ``body``."""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>%s</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n%s\n</main>\n"
            "%s</body>\n</html>\n" % (esc(title), CSS, body,
                                      "<script>%s</script>\n" % script if script else ""))


def plural(count, word):
    """``1 run`` / ``2 runs``."""
    return "%d %s%s" % (count, word, "" if count == 1 else "s")


def duration(seconds):
    """Seconds as ``12.30 s``, or ``unknown``."""
    try:
        value = float(seconds)
    except (TypeError, ValueError):
        return "unknown"
    return "%.2f s" % value if value else "unknown"

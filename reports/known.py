# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""Known-issues lists: the runner's ``--known`` file, applied to results.

One line per triaged failure, the same format the runner reads
(harness/run_known.c)::

    AREA.CASE-GLOB[@MODE-GLOB]  KERNEL-GLOB  REASON...

Blank lines and lines whose first word starts with ``#`` are comments.
Globs are fnmatch patterns, case-sensitive, ``*`` matching any character
(as C fnmatch(3) with no flags).  A case glob containing ``@`` is matched
against ``area.case@mode``, otherwise against ``area.case``.

A REASON starting with ``fail:`` documents a failure without excusing it
(a real behaviour difference on that kernel): the run stays ``fail`` and its
reason is prefixed with the explanation.

Applying a list to a results dict does what the runner does when it is
given the list (for KTAP produced without ``--known``, e.g. in a VM): a
listed failure becomes ``xfail`` with reason ``known issue: REASON``, a
listed pass keeps passing with reason ``XPASS: ...``.  Timeouts, errors and
skips are left alone, as the runner leaves them.
"""

import fnmatch
from dataclasses import dataclass

import results

XFAIL_PREFIX = "known issue: "
STILL_FAILS_PREFIX = "known issue, still a failure: "
FAIL_MARK = "fail:"
XPASS_TEXT = "XPASS: known issue did not reproduce (fixed? drop it from the list): "
FORMAT = "want AREA.CASE-GLOB[@MODE-GLOB] KERNEL-GLOB REASON"


class KnownError(Exception):
    """A line that is not ``AREA.CASE-GLOB KERNEL-GLOB REASON``."""

    def __init__(self, message, line=None):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class Issue:
    """One line of a known-issues file."""

    cases: str
    kernel: str
    reason: str
    line: int = 0
    still_fails: bool = False

    def matches(self, area, case, mode, kernel):
        """True when this line covers the run (area.case in mode on kernel)."""
        subject = "%s.%s" % (area, case)
        if "@" in self.cases:
            subject += "@" + mode
        return (fnmatch.fnmatchcase(subject, self.cases)
                and fnmatch.fnmatchcase(kernel, self.kernel))


def parse(text):
    """Parse a known-issues file's text into a list of ``Issue``."""
    issues = []
    for number, line in enumerate(text.splitlines(), 1):
        words = line.split(None, 2)
        if not words or words[0].startswith("#"):
            continue
        reason = words[2].strip() if len(words) == 3 else ""
        still_fails = reason.startswith(FAIL_MARK)
        if still_fails:
            reason = reason[len(FAIL_MARK):].strip()
        if "." not in words[0] or not reason:
            raise KnownError(FORMAT, number)
        issues.append(Issue(words[0], words[1], reason, number, still_fails))
    return issues


def find(issues, area, case, mode, kernel):
    """The first matching line (the runner's rule), else None."""
    for issue in issues:
        if issue.matches(area, case, mode, kernel):
            return issue
    return None


def reason_for(issues, area, case, mode, kernel):
    """The first matching line's reason, else None."""
    issue = find(issues, area, case, mode, kernel)
    return issue.reason if issue else None


def apply(data, issues):
    """Turn listed failures into xfail and mark listed passes XPASS, in place.

    Returns (xfailed, xpassed) counts; totals are recomputed.
    """
    kernel = data.get("kernel") or ""
    xfailed = xpassed = 0
    for entry in data.get("results", []):
        status = entry.get("status")
        if status not in ("fail", "pass"):
            continue
        issue = find(issues, entry.get("area", ""), entry.get("case", ""),
                     entry.get("mode", ""), kernel)
        if issue is None:
            continue
        reason = issue.reason
        if status == "fail" and issue.still_fails:
            if not entry.get("reason", "").startswith(STILL_FAILS_PREFIX):
                entry["reason"] = "%s%s; %s" % (STILL_FAILS_PREFIX, reason,
                                                entry.get("reason", ""))
        elif status == "fail":
            entry["status"] = "xfail"
            entry["reason"] = XFAIL_PREFIX + reason
            xfailed += 1
        elif not entry.get("reason", "").startswith("XPASS"):
            entry["reason"] = XPASS_TEXT + reason
            xpassed += 1
    data["totals"] = results.totals(data.get("results", []))
    return xfailed, xpassed

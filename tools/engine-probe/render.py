#!/usr/bin/env python3
"""Render docs/engine-observations/*.json into the generated part of docs/engine-observations.md.

Everything above the MARKER line in the .md is hand-written and kept; everything below is
regenerated. Usage: python3 render.py
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import scenarios as SC  # noqa: E402

DOCS = os.path.abspath(os.path.join(HERE, "..", "..", "docs"))
MD = os.path.join(DOCS, "engine-observations.md")
MARKER = "<!-- generated below by tools/engine-probe/render.py; do not edit by hand -->"
ENGINES = ["chromium", "firefox", "webkitgtk"]


def notes(text):
    n = []
    if text != text.rstrip():
        n.append("trailing whitespace %r" % text[len(text.rstrip()):])
    if text != text.lstrip():
        n.append("leading whitespace")
    odd = sorted({"U+%04X" % ord(ch) for ch in text if ord(ch) > 0x7E or ord(ch) < 0x20})
    if odd:
        n.append("non-ASCII/control: " + " ".join(odd))
    return n


def hdr(req, name):
    vals = [v for k, v in req["headers"] if k.lower() == name]
    return vals[0] if vals else None


FIELDS = (("origin", "Origin"), ("access-control-request-method", "ACRM"),
          ("access-control-request-headers", "ACRH"), ("content-type", "Content-Type"),
          ("authorization", "Authorization"))
ROUND2_FIELDS = (("range", "Range"), ("cookie", "Cookie"))
ROUND3_FIELDS = tuple((n, n) for n in (
    "accept", "last-event-id", "dpr", "save-data", "device-memory", "width", "viewport-width", "rtt", "downlink",
    "ect", "date", "dnt", "keep-alive", "via", "expect", "x-http-method-override", "if-none-match", "x-test",
    "x-a", "x-b", "*"))


def script_line(s, label=""):
    if s.get("api") == "xhr":
        t = "XHR events %s, status %s" % (" → ".join(s.get("events", [])), s.get("status"))
        if s.get("uploadEvents"):
            t += ", upload events %s" % " → ".join(s["uploadEvents"])
        if s.get("outcome") == "threw":
            t += ", threw %s" % json.dumps(s.get("errorString"), ensure_ascii=False)
        return label + t
    if s.get("outcome") == "resolved":
        t = "resolved, status %s, type %s, url %s, redirected %s; readable headers: %s" % (
            s.get("status"), s.get("type"), s.get("url"), s.get("redirected"),
            ", ".join("%s: %s" % (k, v) for k, v in s.get("headers", [])) or "(none)")
        gets = {k[4:]: v for k, v in s.items() if k.startswith("get:")}
        if gets:
            t += "; headers.get(): " + json.dumps(gets)
        return label + t
    return label + "%s, `%s`" % (s.get("outcome"), s.get("errorString"))


def render_engine(sid, eng, rec, round2=False, extra_fields=()):
    out = []
    s = rec.get("script") or {}
    out.append("**%s** (%.1f s)" % (eng, rec.get("seconds", 0)))
    out.append("")
    cons = rec.get("console", [])
    if not cons:
        out.append("- console: *(nothing)*")
    else:
        out.append("- console (%d line%s, in order):" % (len(cons), "" if len(cons) == 1 else "s"))
        for c in cons:
            meta = []
            for k in ("level", "source", "category", "via"):
                if c.get(k) not in (None, ""):
                    meta.append("%s=%s" % (k, c[k]))
            nn = notes(c.get("text") or "")
            out.append("  - " + ", ".join(meta) + (("; " + "; ".join(nn)) if nn else ""))
            out.append("")
            out.append("    ```")
            for ln in (c.get("text") or "").split("\n"):
                out.append("    " + ln)
            out.append("    ```")
    if "stdout_console" in rec:
        st = [c["text"] for c in rec["stdout_console"]]
        ins = [c["text"] for c in cons if c.get("source") != "network"]
        if st == ins:
            out.append("- stdout capture (`enable-write-console-messages-to-stdout`): same lines minus the `network` one(s)")
        else:
            out.append("- stdout capture differs: " + json.dumps(st, ensure_ascii=False))
    if s.get("api") == "steps":
        out.append("- script (steps, one page, in order):")
        for st in s.get("steps", []):
            out.append("  - " + script_line(st, label="`%s` at %s ms: " % (st.get("label"), st.get("at_ms"))))
    elif s.get("api") == "xhr" and round2:
        out.append("- script: " + script_line(s))
    elif s.get("api") == "xhr":
        out.append("- script: XHR events %s, status %s, readyState %s, getAllResponseHeaders %s"
                   % (" → ".join(s.get("events", [])), s.get("status"), s.get("readyState"),
                      json.dumps(s.get("allHeaders"))))
        if s.get("outcome") == "threw":
            out.append("  threw %s" % json.dumps(s.get("errorString"), ensure_ascii=False))
    elif s:
        if s.get("outcome") == "resolved":
            out.append("- script: resolved, status %s, type %s, url %s, redirected %s; readable headers: %s"
                       % (s.get("status"), s.get("type"), s.get("url"), s.get("redirected"),
                          ", ".join("%s: %s" % (k, v) for k, v in s.get("headers", [])) or "(none)"))
            gets = {k[4:]: v for k, v in s.items() if k.startswith("get:")}
            if gets:
                out.append("  headers.get(): " + json.dumps(gets))
        else:
            out.append("- script: %s, `%s`" % (s.get("outcome"), s.get("errorString")))
    else:
        out.append("- script: *(no report arrived)*")
    reqs = rec.get("requests", [])
    if not reqs:
        out.append("- server received: *(nothing)*")
    else:
        out.append("- server received:")
        fields = FIELDS + (ROUND2_FIELDS if round2 else ()) + tuple(extra_fields)
        for r in reqs:
            extra = []
            for name, short in fields:
                v = hdr(r, name)
                if v is not None:
                    extra.append("%s: `%s`" % (short, shown(v)))
            when = ("+%.2f s " % (r["t"] - reqs[0]["t"])) if round2 else ""
            out.append("  - %s:%d `%s %s` %s" % (when, r["port"], r["method"], r["path"], " ".join(extra)))
    for p in rec.get("prompts", []):
        m = re.search(r"'text': '([^']*)'", p)
        out.append("- user prompt shown, dismissed by the driver: %s" % (json.dumps(m.group(1)) if m else p))
    if rec.get("cdp_issues"):
        kinds = []
        for i in rec["cdp_issues"]:
            d = i.get("details", {})
            if "corsIssueDetails" in d:
                st = d["corsIssueDetails"]["corsErrorStatus"]
                kinds.append("CorsIssue %s%s" % (st["corsError"], (" (" + shown(st["failedParameter"]) + ")") if st.get("failedParameter") else ""))
            elif "deprecationIssueDetails" in d:
                kinds.append("DeprecationIssue %s" % d["deprecationIssueDetails"].get("type"))
            else:
                kinds.append(i.get("code"))
        out.append("- DevTools issues (not console lines): " + "; ".join(kinds))
    out.append("")
    return out


def main():
    data = {}
    for e in ENGINES:
        p = os.path.join(DOCS, "engine-observations", e + ".json")
        if os.path.exists(p):
            data[e] = json.load(open(p))
    head = ""
    txt = ""
    if os.path.exists(MD):
        txt = open(MD).read()
        head = txt.split(MARKER)[0]
    out = [MARKER, "", "## Per-scenario observations", ""]
    out.append("Engines: " + "; ".join("%s = `%s`" % (e, d["version"].get("--version")) for e, d in data.items()))
    out.append("")
    for sid, sc in SC.SCENARIOS.items():
        out.append("### %s — %s" % (sid, sc["desc"]))
        out.append("")
        resp = sc.get("resp", {})
        for hop, spec in resp.items():
            if callable(spec):
                out.append("- scripted `%s`: (computed: 302 to itself with ACAO * while n<30, then 200)" % hop)
                continue
            for meth, r in spec.items():
                out.append("- scripted `%s %s` → %d %s" % (meth, hop, r[0], " | ".join("`%s`" % ln for ln in r[1])))
        out.append("- request: `%s`" % json.dumps(sc["req"]))
        out.append("")
        for e, d in data.items():
            rec = d["scenarios"].get(sid)
            if rec:
                out.extend(render_engine(sid, e, rec))
    out.extend(render_round2(txt if os.path.exists(MD) else ""))
    out.extend(render_round3(txt if os.path.exists(MD) else ""))
    open(MD, "w").write(head + "\n".join(out) + "\n")


R2_KEEP = "<!-- round 2 hand-written summary: kept as is by render.py -->"
R2_MARKER = "<!-- round 2 generated below by tools/engine-probe/render.py; do not edit by hand -->"


def shown(ln):
    """A header line for the .md: control bytes written as <VT>, <FF> … so the text stays readable."""
    names = {0x0B: "<VT>", 0x0C: "<FF>", 0x00: "<NUL>", 0x09: "<HT>"}
    return "".join(names.get(ord(c), "<U+%04X>" % ord(c)) if ord(c) < 0x20 else c for c in ln)


def scripted(resp):
    out = []
    for hop, spec in resp.items():
        if hasattr(spec, "describe"):  # round 3 Seq: n-th request of a method gets the n-th response
            for meth, nth, r in spec.describe():
                out.append("- scripted `%s %s` %s → %d %s" % (meth, hop, nth, r[0], " | ".join("`%s`" % shown(ln) for ln in r[1])))
            continue
        for meth, r in spec.items():
            out.append("- scripted `%s %s` → %d %s" % (meth, hop, r[0], " | ".join("`%s`" % shown(ln) for ln in r[1])))
    return out


def render_round2(old_md):
    data = {}
    for e in ENGINES:
        p = os.path.join(DOCS, "engine-observations", "round2-" + e + ".json")
        if os.path.exists(p):
            data[e] = json.load(open(p))
    if not data:
        return []
    summary = "\n*(summary to be written)*\n"
    if R2_KEEP in old_md and R2_MARKER in old_md:
        summary = old_md.split(R2_KEEP, 1)[1].split(R2_MARKER, 1)[0]
    out = ["", "## Round 2: disputed expectations", "", R2_KEEP + summary.rstrip("\n") + "\n", R2_MARKER, ""]
    out.append("### Round 2 per-scenario observations")
    out.append("")
    out.append("Raw: `docs/engine-observations/round2-{%s}.json`. " % ",".join(data) +
               "Engines: " + "; ".join("%s = `%s`" % (e, d["version"].get("--version")) for e, d in data.items()) +
               ". Request times are seconds after the first request of the scenario.")
    out.append("")
    for sid, sc in SC.ROUND2.items():
        out.append("#### %s — %s" % (sid, sc["desc"]))
        out.append("")
        out.extend(scripted(sc.get("resp", {})))
        req = sc["req"]
        if req.get("api") == "steps":
            for st in req["steps"]:
                out.append("- step `%s` (not before %d ms): `%s`" % (st["label"], st["at_ms"], json.dumps(st["req"])))
        else:
            out.append("- request: `%s`" % json.dumps(req))
        out.append("")
        for e, d in data.items():
            rec = d["scenarios"].get(sid)
            if rec:
                out.extend(render_engine(sid, e, rec, round2=True))
    return out



R3_KEEP = "<!-- round 3 hand-written summary: kept as is by render.py -->"
R3_MARKER = "<!-- round 3 generated below by tools/engine-probe/render.py; do not edit by hand -->"


def render_round3(old_md):
    data = {}
    for e in ENGINES:
        p = os.path.join(DOCS, "engine-observations", "round3-" + e + ".json")
        if os.path.exists(p):
            data[e] = json.load(open(p))
    if not data:
        return []
    summary = "\n*(summary to be written)*\n"
    if R3_KEEP in old_md and R3_MARKER in old_md:
        summary = old_md.split(R3_KEEP, 1)[1].split(R3_MARKER, 1)[0]
    out = ["", "## Round 3: WPT scenario classes", "", R3_KEEP + summary.rstrip("\n") + "\n", R3_MARKER, ""]
    out.append("### Round 3 per-scenario observations")
    out.append("")
    out.append("Raw: `docs/engine-observations/round3-{%s}.json`. " % ",".join(data) +
               "Engines: " + "; ".join("%s = `%s`" % (e, d["version"].get("--version")) for e, d in data.items()) +
               ". Request times are seconds after the first request of the scenario.")
    out.append("")
    for sid, sc in SC.ROUND3.items():
        out.append("#### %s — %s" % (sid, sc["desc"]))
        out.append("")
        out.extend(scripted(sc.get("resp", {})))
        req = sc["req"]
        if req.get("api") == "steps":
            for st in req["steps"]:
                out.append("- step `%s` (not before %d ms): `%s`" % (st["label"], st["at_ms"], json.dumps(st["req"])))
        else:
            out.append("- request: `%s`" % json.dumps(req))
        out.append("")
        for e, d in data.items():
            rec = d["scenarios"].get(sid)
            if rec:
                out.extend(render_engine(sid, e, rec, round2=True, extra_fields=ROUND3_FIELDS))
    return out


if __name__ == "__main__":
    main()

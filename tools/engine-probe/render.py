#!/usr/bin/env python3
"""Render docs/engine-observations/*.json into the generated part of docs/engine-observations.md.

Everything above the MARKER line in the .md is hand-written and kept; everything below is
regenerated. Usage: python3 render.py
"""
import json
import os
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


def render_engine(sid, eng, rec):
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
    if s.get("api") == "xhr":
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
        for r in reqs:
            extra = []
            for name, short in (("origin", "Origin"), ("access-control-request-method", "ACRM"),
                                ("access-control-request-headers", "ACRH"), ("content-type", "Content-Type"),
                                ("authorization", "Authorization")):
                v = hdr(r, name)
                if v is not None:
                    extra.append("%s: `%s`" % (short, v))
            out.append("  - :%d `%s %s` %s" % (r["port"], r["method"], r["path"], " ".join(extra)))
    if rec.get("cdp_issues"):
        kinds = []
        for i in rec["cdp_issues"]:
            d = i.get("details", {})
            if "corsIssueDetails" in d:
                st = d["corsIssueDetails"]["corsErrorStatus"]
                kinds.append("CorsIssue %s%s" % (st["corsError"], (" (" + st["failedParameter"] + ")") if st.get("failedParameter") else ""))
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
    open(MD, "w").write(head + "\n".join(out) + "\n")


if __name__ == "__main__":
    main()

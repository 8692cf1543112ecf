"""Shared helpers for the engine drivers: run loop, capture record, JSON output."""
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import server  # noqa: E402
import scenarios as SC  # noqa: E402

OUT_DIR = os.path.abspath(os.path.join(HERE, "..", "..", "docs", "engine-observations"))


def select(argv):
    """Scenario ids from argv; none = all round-1 scenarios; `--round2` = all round-2 scenarios."""
    ids = [a for a in argv if not a.startswith("-")]
    if not ids and "--round2" in argv:
        return list(SC.ROUND2.keys())
    if not ids and "--round3" in argv:
        return list(SC.ROUND3.keys())
    return ids or list(SC.SCENARIOS.keys())


def table_for(ids):
    """(table, json name prefix): round-2 ids go to round2-<engine>.json, the rest to <engine>.json."""
    if ids and all(i in SC.ROUND2 for i in ids):
        return SC.ROUND2, "round2-"
    if ids and all(i in SC.ROUND3 for i in ids):
        return SC.ROUND3, "round3-"
    if any(i in SC.ROUND2 or i in SC.ROUND3 for i in ids):
        raise SystemExit("do not mix scenario ids of different rounds in one run")
    return SC.SCENARIOS, ""


def run_all(engine, version, run_one, ids, run_tag, settle=1.0, report_timeout=20.0, out_name=None):
    """run_one(key, url) -> dict(console=[...], extra={...}); called once per scenario."""
    server.start()
    table, prefix = table_for(ids)
    out_path = os.path.join(OUT_DIR, (out_name or (prefix + engine)) + ".json")
    os.makedirs(OUT_DIR, exist_ok=True)
    doc = {"engine": engine, "version": version, "run": run_tag,
           "page_origin": server.origins()["P"], "api_origins": {k: server.origins()[k] for k in "ABC"},
           "scenarios": {}}
    if os.path.exists(out_path) and len(ids) < len(table):
        try:
            old = json.load(open(out_path))
            if old.get("version", {}).get("--version") == version.get("--version"):
                doc["scenarios"] = old.get("scenarios", {})
        except Exception:
            pass
    for sid in ids:
        key = "%s.%s" % (run_tag, sid)
        url = server.page_url(key)
        t0 = time.time()
        cap = run_one(key, url, lambda: server.wait_report(key, report_timeout), settle)
        dt = time.time() - t0
        rec = {
            "desc": table[sid]["desc"],
            "key": key,
            "page_url": url,
            "seconds": round(dt, 2),
            "script": server.wait_report(key, 0),
            "console": cap.get("console", []),
            "requests": [r for r in server.requests_for(key) if not r["path"].startswith("/page/")],
        }
        for k, v in cap.items():
            if k != "console":
                rec[k] = v
        doc["scenarios"][sid] = rec
        s = rec["script"] or {}
        print("%-5s %5.1fs %-9s console=%d reqs=%d" % (sid, dt, s.get("outcome"), len(rec["console"]),
                                                    len(rec["requests"])), file=sys.stderr)
        with open(out_path, "w") as fh:
            json.dump(doc, fh, indent=1, ensure_ascii=False)
    return doc

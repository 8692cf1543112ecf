#!/usr/bin/python3
"""Cross-check: which console lines does Firefox's WebDriver BiDi log.entryAdded deliver?

Compares with the Marionette/Services.console capture of firefox_probe.py. Writes
docs/engine-observations/firefox-bidi.json. Usage: /usr/bin/python3 firefox_bidi_check.py [ids...]
"""
import json
import os
import shutil
import subprocess
import sys
import threading
import time

import websocket

import common
from firefox_probe import PREFS, BIN

PORT = 9334


def main():
    ids = common.select(sys.argv[1:])
    prof = "/tmp/engine-probe-firefox-bidi"
    shutil.rmtree(prof, ignore_errors=True)
    os.makedirs(prof)
    with open(os.path.join(prof, "user.js"), "w") as fh:
        for k, v in PREFS.items():
            fh.write("user_pref(%s, %s);\n" % (json.dumps(k), json.dumps(v)))
    verline = subprocess.run([BIN, "--version"], capture_output=True, text=True).stdout.strip()
    proc = subprocess.Popen([BIN, "--headless", "--remote-debugging-port", str(PORT), "-profile", prof,
                             "-no-remote", "about:blank"],
                            stdout=open("/tmp/engine-probe-firefox-bidi.log", "w"), stderr=subprocess.STDOUT,
                            env=dict(os.environ, MOZ_HEADLESS="1"))
    try:
        ws = None
        for _ in range(100):
            try:
                ws = websocket.create_connection("ws://127.0.0.1:%d/session" % PORT, timeout=60,
                                                 suppress_origin=True)
                break
            except Exception:
                time.sleep(0.2)
        results, events, cv = {}, [], threading.Condition()
        n = [0]

        def reader():
            while True:
                try:
                    m = json.loads(ws.recv())
                except Exception:
                    return
                with cv:
                    if "id" in m:
                        results[m["id"]] = m
                    else:
                        events.append(m)
                    cv.notify_all()
        threading.Thread(target=reader, daemon=True).start()

        def call(method, **params):
            n[0] += 1
            i = n[0]
            ws.send(json.dumps({"id": i, "method": method, "params": params}))
            with cv:
                cv.wait_for(lambda: i in results, timeout=60)
            return results.get(i)

        call("session.new", capabilities={})
        call("session.subscribe", events=["log.entryAdded"])
        tag = "b%d" % (int(time.time()) % 100000)

        def run_one(key, url, wait, settle):
            ctx = call("browsingContext.create", type="tab")["result"]["context"]
            with cv:
                start = len(events)
            call("browsingContext.navigate", context=ctx, url=url, wait="none")
            rep = wait()
            time.sleep(settle)
            with cv:
                evs = events[start:]
            call("browsingContext.close", context=ctx)
            cons = []
            for e in evs:
                p = e.get("params", {})
                if (p.get("source") or {}).get("context") not in (ctx, None):
                    continue
                cons.append({"via": "bidi log.entryAdded", "type": p.get("type"), "level": p.get("level"),
                             "text": p.get("text"), "method": p.get("method")})
            return {"console": cons, "report_arrived": rep is not None}

        common.run_all("firefox-bidi", {"--version": verline}, run_one, ids, tag)
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except Exception:
            proc.kill()


if __name__ == "__main__":
    main()

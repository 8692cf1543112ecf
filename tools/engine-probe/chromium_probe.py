#!/usr/bin/python3
"""Drive Debian's headless Chromium over the DevTools Protocol; one new tab per scenario.

Captures Log.entryAdded, Runtime.consoleAPICalled, Runtime.exceptionThrown (the console),
plus Network.loadingFailed (corsErrorStatus) and Audits.issueAdded as extras.
Usage: /usr/bin/python3 chromium_probe.py [scenario-id ...]
"""
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request

import websocket  # python3-websocket (Debian) or pip websocket-client

import common

PORT = 9333
BIN = os.environ.get("CHROMIUM", "chromium")


class Tab:
    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, suppress_origin=True, timeout=30)
        self.n = 0
        self.events = []
        self.results = {}
        self.lock = threading.Condition()
        self.alive = True
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        while self.alive:
            try:
                msg = json.loads(self.ws.recv())
            except Exception:
                break
            with self.lock:
                if "id" in msg:
                    self.results[msg["id"]] = msg
                else:
                    msg["_t"] = time.time()
                    self.events.append(msg)
                self.lock.notify_all()

    def call(self, method, **params):
        self.n += 1
        i = self.n
        self.ws.send(json.dumps({"id": i, "method": method, "params": params}))
        with self.lock:
            self.lock.wait_for(lambda: i in self.results, timeout=30)
            return self.results.get(i)

    def close(self):
        self.alive = False
        try:
            self.ws.close()
        except Exception:
            pass


def http(method, path):
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (PORT, path), method=method)
    return json.loads(urllib.request.urlopen(req, timeout=10).read().decode())


def start_browser():
    prof = "/tmp/engine-probe-chromium"
    shutil.rmtree(prof, ignore_errors=True)
    args = [BIN, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--no-default-browser-check", "--user-data-dir=" + prof,
            "--remote-debugging-port=%d" % PORT, "--remote-allow-origins=*", "about:blank"]
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=open("/tmp/engine-probe-chromium.log", "w"))
    for _ in range(100):
        try:
            v = http("GET", "/json/version")
            return p, v
        except Exception:
            time.sleep(0.2)
    raise SystemExit("chromium did not come up")


def simplify(ev):
    m, p = ev["method"], ev["params"]
    if m == "Log.entryAdded":
        e = p["entry"]
        return {"via": m, "level": e.get("level"), "source": e.get("source"), "text": e.get("text"),
                "url": e.get("url"), "networkRequestId": e.get("networkRequestId")}
    if m == "Runtime.consoleAPICalled":
        return {"via": m, "level": p.get("type"),
                "text": " ".join(str(a.get("value", a.get("description"))) for a in p.get("args", []))}
    if m == "Runtime.exceptionThrown":
        d = p["exceptionDetails"]
        return {"via": m, "level": "error", "text": d.get("text"),
                "exception": (d.get("exception") or {}).get("description")}
    return None


def main():
    ids = common.select(sys.argv[1:])
    proc, ver = start_browser()
    verline = subprocess.run([BIN, "--version"], capture_output=True, text=True).stdout.strip()
    version = {"--version": verline, "Browser": ver.get("Browser"), "User-Agent": ver.get("User-Agent")}
    tag = "c%d" % (int(time.time()) % 100000)

    def run_one(key, url, wait, settle):
        t = http("PUT", "/json/new?about:blank")
        tab = Tab(t["webSocketDebuggerUrl"])
        try:
            for m in ("Log.enable", "Runtime.enable", "Network.enable", "Audits.enable", "Page.enable"):
                tab.call(m)
            tab.call("Page.navigate", url=url)
            rep = wait()
            time.sleep(settle)
            with tab.lock:
                evs = list(tab.events)
        finally:
            tab.close()
            try:
                http("GET", "/json/close/" + t["id"])
            except Exception:
                pass
        console = [c for c in (simplify(e) for e in evs) if c]
        failed = [e["params"] for e in evs if e["method"] == "Network.loadingFailed"]
        issues = [e["params"]["issue"] for e in evs if e["method"] == "Audits.issueAdded"]
        reqs = {}
        for e in evs:
            if e["method"] == "Network.requestWillBeSent":
                p = e["params"]
                reqs.setdefault(p["requestId"], []).append(p["request"]["url"])
        return {"console": console, "cdp_loadingFailed": failed, "cdp_issues": issues,
                "cdp_request_urls": reqs, "report_arrived": rep is not None}

    try:
        common.run_all("chromium", version, run_one, ids, tag)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except Exception:
            proc.kill()


if __name__ == "__main__":
    main()

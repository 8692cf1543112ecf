#!/usr/bin/env python3
"""Open a cors-harness HTML report in headless Chromium and use it as a person would.

    python3 tools/report-check/check.py Reports/index.html --screenshot Reports/report.png

Drives Debian's `chromium --headless=new` over the DevTools Protocol (a small WebSocket client
below, Python standard library only) and checks, through the DOM:

  * the page renders the matrix (one column per browser, a row per case, roll-up rows per file)
    with no console error, no uncaught exception, no CSP violation and no dialog;
  * every cell carries a symbol and a word, not colour alone;
  * the filters work: failures only, browser columns, outcome, engines disagree, text search,
    reset and paging, each compared with counts computed independently from the page's data;
  * the detail view of a cell shows the requests, scripted responses, algorithm steps, console
    messages per browser and the expectation difference, and closes with Escape;
  * opening the detail of every cell on the first page injects nothing (no new script or image
    element, no dialog): hostile case text stays text;
  * the first render and each filter finish within --budget-ms (no freezing on large reports);
  * screenshots of the matrix and of a detail view are written (--screenshot).

Exit status 0 when every check passes, 1 when one fails, 2 when Chromium cannot be started.
With --install, a missing Chromium is installed with apt-get (Debian: package `chromium`).
"""
import argparse
import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

# ---------------------------------------------------------------------------------------------
# Minimal WebSocket client (RFC 6455): text frames, client masking, ping/pong, continuation.


class WebSocket:
    def __init__(self, url, timeout=60):
        assert url.startswith("ws://"), url
        hostport, _, path = url[len("ws://"):].partition("/")
        host, _, port = hostport.partition(":")
        self.sock = socket.create_connection((host, int(port or 80)), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET /{path} HTTP/1.1\r\nHost: {hostport}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("the DevTools endpoint closed the connection during the handshake")
            response += chunk
        head, _, self.buffer = response.partition(b"\r\n\r\n")
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise ConnectionError("WebSocket handshake refused: " + head.decode(errors="replace"))

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(max(65536, n - len(self.buffer)))
            if not chunk:
                raise ConnectionError("the DevTools connection closed")
            self.buffer += chunk
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def send(self, text, opcode=0x1):
        payload = text.encode() if isinstance(text, str) else text
        header = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def recv(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            opcode, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if b1 & 0x80 else None
            payload = self._read(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if opcode == 0x9:  # ping
                self.send(payload, opcode=0xA)
                continue
            if opcode == 0x8:
                raise ConnectionError("the DevTools connection closed")
            message += payload
            if b0 & 0x80:
                return message.decode()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


# ---------------------------------------------------------------------------------------------
# Chromium over the DevTools Protocol


class Browser:
    def __init__(self, binary, width, height):
        self.profile = tempfile.mkdtemp(prefix="cors-report-check-")
        args = [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--mute-audio",
                "--remote-debugging-port=0", f"--user-data-dir={self.profile}", f"--window-size={width},{height}",
                "about:blank"]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.time() + 30
        while not os.path.exists(port_file) or not open(port_file).read().strip():
            if self.process.poll() is not None or time.time() > deadline:
                err = self.process.stderr.read().decode(errors="replace") if self.process.poll() is not None else ""
                self.quit()
                raise RuntimeError(f"Chromium did not start ({binary}): {err[-2000:]}")
            time.sleep(0.05)
        port = int(open(port_file).read().split()[0])
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10))
        page = next(t for t in targets if t.get("type") == "page")
        self.ws = WebSocket(page["webSocketDebuggerUrl"])
        self.next_id = 0
        self.events = []

    def call(self, method, timeout=120, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        deadline = time.time() + timeout
        while time.time() < deadline:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)
                if msg["method"] == "Page.javascriptDialogOpening":
                    self.ws.send(json.dumps({"id": 10**9 + len(self.events), "method": "Page.handleJavaScriptDialog",
                                             "params": {"accept": False}}))
        raise TimeoutError(method)

    def evaluate(self, expression, timeout=120):
        r = self.call("Runtime.evaluate", timeout=timeout, expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            d = r["exceptionDetails"]
            raise RuntimeError("check script failed: " + (d.get("exception", {}).get("description") or d.get("text", "")))
        return r.get("result", {}).get("value")

    def drain(self, seconds):
        """Collect events for a while (the page may log after load)."""
        self.ws.sock.settimeout(seconds)
        try:
            while True:
                msg = json.loads(self.ws.recv())
                if "method" in msg:
                    self.events.append(msg)
        except (socket.timeout, TimeoutError):
            pass
        finally:
            self.ws.sock.settimeout(60)

    def problems(self):
        """Console errors, uncaught exceptions, CSP reports and dialogs seen so far."""
        out = []
        for e in self.events:
            m, p = e["method"], e.get("params", {})
            if m == "Runtime.exceptionThrown":
                d = p.get("exceptionDetails", {})
                out.append("uncaught exception: " + (d.get("exception", {}).get("description") or d.get("text", "")))
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
                out.append(f"console.{p['type']}: " + " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") in ("error", "warning"):
                entry = p["entry"]
                out.append(f"{entry.get('source')} {entry['level']}: {entry.get('text')}")
            elif m == "Page.javascriptDialogOpening":
                out.append(f"a {p.get('type')} dialog opened: {p.get('message')!r}")
        return out

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def quit(self):
        try:
            self.ws.close()
        except AttributeError:
            pass
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        # Chromium's helper processes may still be writing the profile for a moment.
        for _ in range(20):
            shutil.rmtree(self.profile, ignore_errors=True)
            if not os.path.exists(self.profile):
                break
            time.sleep(0.1)


# ---------------------------------------------------------------------------------------------
# The checks: JavaScript run in the page; each returns {ok, detail, ms?}. The expected numbers are
# computed from the page's data island, independently of the report's own script.

PRELUDE = r"""
const D = JSON.parse(document.getElementById("report-data").textContent);
const $ = (s) => document.querySelector(s);
const $$ = (s) => [...document.querySelectorAll(s)];
const body = document.body;
const matched = () => +body.dataset.matched;
const rows = () => $$("#matrix tbody tr.case");
const timed = (f) => { const t0 = performance.now(); f(); return performance.now() - t0; };
const setBox = (el, on) => { el.checked = on; el.dispatchEvent(new Event("change", { bubbles: true })); };
const reset = () => timed(() => $("#f-reset").click());
const WORDS = /^(✓ pass|✗ FAIL|⚠ ERROR|○ unchecked|– skip)/;
// How the page shows text: control characters as \xNN.
const vis = (s) => String(s).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g,
  (c) => "\\x" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"));
"""

CHECKS = {
    "matrix renders": r"""
        const heads = $$("#matrix thead tr:first-child th").slice(1).map((th) => th.firstChild.textContent);
        const want = D.browsers.map((b) => vis(b.displayName));
        const pageSize = +$("#page-size").value;
        const cells = $$("#matrix tbody tr.case button.cell");
        const groups = $$("#matrix tbody tr.group");
        const rollups = $$("#matrix td.roll").map((td) => td.textContent);
        const words = cells.every((c) => WORDS.test(c.textContent.trim()));
        const ok = JSON.stringify(heads) === JSON.stringify(want) && rows().length === Math.min(D.cases.length, pageSize)
          && matched() === D.cases.length && groups.length >= 1 && rollups.every((t) => /^\d+ \/ \d+/.test(t)) && words
          && cells.length === rows().length * D.browsers.length - $$("#matrix tbody tr.case span.cell.none").length;
        return { ok, detail: `${rows().length} rows, ${cells.length} cells, ${groups.length} group rows, columns ${heads.join(", ")}, status "${$("#status").textContent}"`, ms: +body.dataset.renderMs };
    """,
    "cells are readable without colour": r"""
        const byVerdict = {};
        for (const c of $$("#matrix tbody button.cell")) {
          const v = [...c.classList].find((k) => k.startsWith("v-"));
          byVerdict[v] = byVerdict[v] || { text: c.textContent.trim().split(/\s+/).slice(0, 2).join(" "), bg: getComputedStyle(c).backgroundColor };
        }
        const texts = new Set(Object.values(byVerdict).map((x) => x.text));
        const colours = new Set(Object.values(byVerdict).map((x) => x.bg));
        return { ok: texts.size === Object.keys(byVerdict).length && colours.size === Object.keys(byVerdict).length,
                 detail: Object.entries(byVerdict).map(([k, x]) => `${k}: "${x.text}" on ${x.bg}`).join("; ") };
    """,
    "filter: failures only": r"""
        const want = D.cases.filter((c) => c.cells.some((x) => x && (x.v === "fail" || x.v === "error"))).length;
        const ms = timed(() => $("#f-failing").click());
        const shown = rows();
        const ok = matched() === want && shown.every((r) => /✗ FAIL|⚠ ERROR/.test(r.textContent));
        const got = matched(); reset();
        return { ok, detail: `${got} of ${D.cases.length} cases fail or err (expected ${want})`, ms };
    """,
    "filter: browser columns": r"""
        const boxes = $$('input[name="browser"]');
        const last = boxes[boxes.length - 1];
        const ms = timed(() => setBox(last, false));
        const heads = $$("#matrix thead tr:first-child th").length - 1;
        const cellsPerRow = rows().length ? rows()[0].querySelectorAll("td").length : 0;
        const ok = heads === D.browsers.length - 1 && cellsPerRow === heads;
        setBox(last, true);
        const back = $$("#matrix thead tr:first-child th").length - 1 === D.browsers.length;
        return { ok: ok && back, detail: `without ${last.value}: ${heads} columns, ${cellsPerRow} cells per row; restored: ${back}`, ms };
    """,
    "filter: outcome": r"""
        const counts = {};
        for (const c of D.cases) for (const o of new Set(c.cells.filter(Boolean).map((x) => x.o).filter(Boolean))) counts[o] = (counts[o] || 0) + 1;
        const outcome = Object.keys(counts).sort((a, b) => counts[b] - counts[a])[0];
        if (!outcome) return { ok: true, detail: "no outcomes in this report" };
        const sel = $("#f-outcome");
        sel.value = outcome;
        const ms = timed(() => sel.dispatchEvent(new Event("change", { bubbles: true })));
        const ok = matched() === counts[outcome] && rows().every((r) => [...r.querySelectorAll("button.cell .o")].some((o) => o.textContent === outcome));
        const got = matched(); sel.value = ""; reset();
        return { ok, detail: `outcome ${outcome}: ${got} cases (expected ${counts[outcome]})`, ms };
    """,
    "filter: engines disagree": r"""
        const want = D.cases.filter((c) => new Set(c.cells.filter((x) => x && x.v !== "skipped" && x.v !== "error").map((x) => x.o)).size > 1).length;
        const ms = timed(() => setBox($("#f-disagree"), true));
        const got = matched();
        reset();
        return { ok: got === want, detail: `${got} cases where the engines' outcomes differ (expected ${want})`, ms };
    """,
    "filter: text search": r"""
        const c = D.cases[Math.floor(D.cases.length / 2)];
        const input = $("#f-text");
        // What a person can type: a search box drops line breaks, so stop at the first control character.
        const query = c.id.split(/[\u0000-\u001f\u007f]/)[0];
        input.value = query;
        const ms = timed(() => input.dispatchEvent(new Event("change", { bubbles: true })));
        const want = D.cases.filter((x) => x.id.toLowerCase().includes(query.trim().toLowerCase())).length;
        const first = rows()[0] && rows()[0].dataset.case;
        const ok = matched() >= want && matched() >= 1 && rows().some((r) => r.dataset.case === c.id);
        const got = matched();
        input.value = "no-such-case-zzzz";
        input.dispatchEvent(new Event("change", { bubbles: true }));
        const none = matched() === 0 && /No case matches/.test($("#status").textContent);
        input.value = ""; reset();
        return { ok: ok && none && matched() === D.cases.length, detail: `${JSON.stringify(query)}: ${got} match, first row ${JSON.stringify(first)}; nonsense: ${none ? "none" : "some"}`, ms };
    """,
    "paging": r"""
        const size = +$("#page-size").value;
        if (!$("#page-next") || $("#page-next").disabled) return { ok: D.cases.length <= size, detail: `one page (${D.cases.length} cases)` };
        const before = rows()[0].dataset.case;
        const ms = timed(() => $("#page-next").click());
        const after = rows()[0] && rows()[0].dataset.case;
        const ok = after === D.cases[size].id && /page 2 of/.test($("#page-info").textContent) && !$("#page-prev").disabled
          && rows().length === Math.min(size, D.cases.length - size);
        $("#page-prev").click();
        return { ok: ok && rows()[0].dataset.case === before, detail: `page 2 starts at ${after}; ${$("#page-info").textContent}`, ms };
    """,
    "detail view": r"""
        const cells = $$("#matrix tbody button.cell");
        const target = cells.find((c) => c.classList.contains("v-fail")) || cells.find((c) => !c.classList.contains("v-skipped")) || cells[0];
        const ms = timed(() => target.click());
        const panel = $("#detail");
        const c = D.cases[+target.dataset.i];
        const headings = $$("#detail h3, #detail h4").map((h) => h.textContent);
        const need = ["Expectation difference", "Requests the browser sends", "Algorithm steps", "Console messages, per browser", "Scripted responses"];
        const consoles = $$("#detail .console").length;
        const perStep = D.browsers.filter((b, j) => c.cells[j]).length * c.n;
        const diff = $("#detail pre.diff");
        const ok = !panel.hidden && $("#detail h2").textContent === vis(c.id) && need.every((n) => headings.includes(n))
          && consoles === perStep && (!target.classList.contains("v-fail") || (diff && diff.textContent.length > 0))
          && $$("#detail ol.trace li").length > 0;
        return { ok, detail: `${c.id} [${target.dataset.b}]: ${headings.length} headings, ${consoles} console blocks, difference: ${diff ? JSON.stringify(diff.textContent.split("\n")[0]) : "none"}`, ms };
    """,
    "detail closes with Escape": r"""
        document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
        return { ok: $("#detail").hidden, detail: "hidden after Escape" };
    """,
    "every detail on the page opens and injects nothing": r"""
        const scripts = document.scripts.length;
        let opened = 0;
        const t0 = performance.now();
        for (const cell of $$("#matrix tbody button.cell").slice(0, 400)) { cell.click(); opened++; }
        const ms = performance.now() - t0;
        document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
        const hostile = $$("img, iframe, object, embed, link, base, form").length;
        const handlers = $$("*").filter((e) => [...e.attributes].some((a) => a.name.startsWith("on"))).length;
        const links = $$("a[href]").filter((a) => !/^https?:\/\//.test(a.getAttribute("href"))).length;
        return { ok: scripts === 2 && document.scripts.length === 2 && hostile === 0 && handlers === 0 && links === 0 && window.__pwned === undefined,
                 detail: `${opened} details opened; scripts ${document.scripts.length}, injected elements ${hostile}, on* attributes ${handlers}, non-http links ${links}`, ms };
    """,
}


def find_chromium(explicit):
    for name in [explicit, os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]:
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def install_chromium():
    cmd = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]
    if os.geteuid() != 0:
        cmd = ["sudo"] + cmd
        update = ["sudo", "apt-get", "update"]
    else:
        update = ["apt-get", "update"]
    print("report-check: installing Chromium: " + " ".join(cmd), flush=True)
    subprocess.run(update, check=False)
    subprocess.run(cmd, check=True, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("report", help="path of the HTML report (index.html)")
    ap.add_argument("--screenshot", help="PNG of the matrix (default: report.png next to the report); a second one, "
                    "with a detail view open, gets -detail before .png")
    ap.add_argument("--budget-ms", type=float, default=1500, help="longest acceptable first render or filter, in ms (default 1500)")
    ap.add_argument("--load-budget-ms", type=float, default=10000, help="longest acceptable time from navigation to a rendered matrix")
    ap.add_argument("--chromium", help="Chromium binary (default: $CHROMIUM, then chromium on PATH)")
    ap.add_argument("--install", action="store_true", help="install Chromium with apt-get when it is missing")
    ap.add_argument("--size", default="1400x1000", help="window size (default 1400x1000)")
    args = ap.parse_args()

    path = os.path.abspath(args.report)
    if not args.screenshot:
        args.screenshot = os.path.join(os.path.dirname(path), "report.png")
    if not os.path.isfile(path):
        print(f"report-check: no such file: {path}", file=sys.stderr)
        return 2
    binary = find_chromium(args.chromium)
    if not binary and args.install:
        install_chromium()
        binary = find_chromium(args.chromium)
    if not binary:
        print("report-check: Chromium not found. Install it (Debian: apt-get install chromium) or run with --install.", file=sys.stderr)
        return 2
    width, height = (int(x) for x in args.size.split("x"))
    try:
        browser = Browser(binary, width, height)
    except Exception as e:  # noqa: BLE001 - report any start-up failure plainly
        print(f"report-check: {e}", file=sys.stderr)
        return 2

    failures = 0

    def report(name, ok, detail, ms=None):
        nonlocal failures
        if not ok:
            failures += 1
        timing = f" ({ms:.0f} ms)" if ms is not None else ""
        print(f"{'✓' if ok else '✗'} {name}{timing}: {detail}", flush=True)

    try:
        for domain in ("Page", "Runtime", "Log"):
            browser.call(f"{domain}.enable")
        version = browser.call("Browser.getVersion").get("product", "?")
        size = os.path.getsize(path)
        print(f"report-check: {path} ({size / 1048576:.1f} MiB) in {version}", flush=True)
        t0 = time.time()
        browser.call("Page.navigate", url="file://" + path)
        ready = False
        while time.time() - t0 < args.load_budget_ms / 1000 + 30:
            if browser.evaluate("document.body && document.body.dataset.ready") == "1":
                ready = True
                break
            time.sleep(0.05)
        load_ms = (time.time() - t0) * 1000
        report("opens", ready and load_ms <= args.load_budget_ms,
               f"matrix rendered {load_ms:.0f} ms after navigation (budget {args.load_budget_ms:.0f} ms)" if ready else "the matrix never rendered")
        if not ready:
            return 1
        browser.drain(0.3)
        if args.screenshot:
            browser.screenshot(args.screenshot)
        for name, code in CHECKS.items():
            if name == "detail closes with Escape" and args.screenshot:
                root, ext = os.path.splitext(args.screenshot)
                browser.screenshot(f"{root}-detail{ext or '.png'}")
            try:
                result = browser.evaluate("(() => {" + PRELUDE + code + "})()")
            except Exception as e:  # noqa: BLE001
                report(name, False, str(e))
                continue
            ms = result.get("ms")
            within = ms is None or name.startswith("every detail") or ms <= args.budget_ms
            report(name, result["ok"] and within, result["detail"] + ("" if within else f" — slower than {args.budget_ms:.0f} ms"), ms)
        browser.drain(0.3)
        problems = browser.problems()
        report("no console errors, exceptions, CSP violations or dialogs", not problems,
               "none" if not problems else "; ".join(problems[:10]))
        if args.screenshot:
            print(f"report-check: screenshots {args.screenshot} and {os.path.splitext(args.screenshot)[0]}-detail.png")
    finally:
        browser.quit()
    print(f"report-check: {'all checks passed' if failures == 0 else f'{failures} check(s) failed'}")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Round 4: cookies. Replays Cases/cookies/*.yaml in real engines over https on loopback.

The scenario table (ROUND4) is built from the case files themselves, with host names mapped onto
/etc/hosts entries that point at 127.0.0.1 (site relationships kept):

    myapp.com            -> myapp.test            api.myapp.com -> api.myapp.test
    www.myapp.com        -> www.myapp.test        api.otherdomain.com -> api.otherdomain.test
    auth.example-idp.com -> auth.example-idp.test Domain=com -> Domain=test
    http://localhost:3000 and http://localhost:8080 stay as they are.

Needs (root): the /etc/hosts line
    127.0.0.1 myapp.test api.myapp.test www.myapp.test api.otherdomain.test auth.example-idp.test
and free ports 443 (https, one self-signed certificate for all names, generated here with
openssl into /tmp/engine-probe-r4cert), 3000 and 8080 (http, 127.0.0.1 and ::1).

Engines accept the certificate as follows:
  chromium  --ignore-certificate-errors-spki-list=<sha256 of the SPKI, base64> (the cert is then
            treated as valid, no interstitial / error state) plus --user-data-dir
  firefox   Marionette session capability acceptInsecureCerts: true
  webkitgtk WebKit2.WebsiteDataManager.set_tls_errors_policy(TLSErrorsPolicy.IGNORE)

Each case: cookies are cleared, then each step navigates the tab to a page on the step's page
origin (GET /__p4/<key>/<n>); the page makes the step's request (fetch or XHR) and POSTs what the
script saw to /__r4/<key>/<n>. API requests keep the case's literal paths (cookie Path matters);
the server knows the running case. After each step the engine's cookie jar is dumped.

Usage:
  /usr/bin/python3 round4.py --round4 --engine chromium [case-id ...]
  /usr/bin/python3 round4.py --round4 --engine firefox  [case-id ...]
  xvfb-run -a /usr/bin/python3 round4.py --round4 --engine webkitgtk [case-id ...]
Output: docs/engine-observations/round4-<engine>.json
"""
import glob
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT_DIR = os.path.join(ROOT, "docs", "engine-observations")
CERT_DIR = "/tmp/engine-probe-r4cert"
HOSTS = ["myapp.test", "api.myapp.test", "www.myapp.test", "api.otherdomain.test", "auth.example-idp.test"]
HOST_MAP = [("otherdomain.com", "otherdomain.test"), ("example-idp.com", "example-idp.test"),
            ("myapp.com", "myapp.test"), ("Domain=com", "Domain=test")]
HTTPS_PORT = 443
HTTP_PORTS = [3000, 8080]


def mapped(v):
    if isinstance(v, str):
        for a, b in HOST_MAP:
            v = v.replace(a, b)
        return v
    if isinstance(v, list):
        return [mapped(x) for x in v]
    if isinstance(v, dict):
        return {mapped(k): mapped(x) for k, x in v.items()}
    return v


def load_cases():
    out = {}
    for fn in sorted(glob.glob(os.path.join(ROOT, "Cases", "cookies", "*.yaml"))):
        for c in yaml.safe_load(open(fn))["cases"]:
            c = mapped(c)
            c["_file"] = os.path.relpath(fn, ROOT)
            out[c["id"]] = c
    return out


ROUND4 = load_cases()
PRIORITY = ["cookie-samesite-none-secure-cross-site", "cookie-samesite-lax-not-sent-cross-site",
            "cookie-unspecified-samesite-cross-site", "cookie-secure-on-http-localhost",
            "cookie-set-by-response-that-fails-cors", "cookie-domain-attribute-parent-domain",
            "cookie-host-only-stays-on-its-host", "cookie-path-mismatch-not-sent",
            "cookie-samesite-none-without-secure-rejected", "cookie-credentials-only-on-login-call",
            "cookie-omit-never-sends-or-stores", "cookie-same-origin-credentials-cross-origin",
            "cookie-host-scoped-not-port-scoped", "cookie-xhr-with-credentials-sends",
            "cookie-not-sent-on-preflight"]
ORDER = PRIORITY + [k for k in ROUND4 if k not in PRIORITY]


def plan(case):
    """[(page_origin, request_dict)] per step; a step's request = the case's request + overrides."""
    base = dict(case.get("request") or {})
    page = case["page"]
    out = []
    for st in (case.get("steps") or [{}]):
        page = st.get("page", page)
        req = dict(base)
        req.update(st.get("request") or {})
        out.append({"page": page, "req": req, "expect": st.get("expect", case.get("expect"))})
    return out


# ---------------------------------------------------------------- server
LOCK = threading.Lock()
STATE = {"key": None, "case": None}
LOG = {}
REPORTS = {}


def norm_origin(scheme, hostport):
    host, _, port = hostport.partition(":")
    if (scheme, port) in (("https", "443"), ("http", "80")):
        port = ""
    return "%s://%s%s" % (scheme, host.lower(), (":" + port) if port else "")


PAGE = """<!doctype html><meta charset=utf-8><title>r4</title><script>
const R = %(req)s, KEY = %(key)s, N = %(n)d;
function hdrs(list) { return (list || []).map(l => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]); }
function viaXhr() {
  return new Promise(res => {
    const x = new XMLHttpRequest();
    x.open(R.method || 'GET', R.url);
    if (R.withCredentials) x.withCredentials = true;
    for (const [k, v] of hdrs(R.headers)) x.setRequestHeader(k, v);
    x.onload = () => res({outcome: 'allowed', status: x.status, api: 'xhr'});
    x.onerror = () => res({outcome: 'blocked', error: 'xhr error event', status: x.status, api: 'xhr'});
    x.send(R.body == null ? null : R.body);
  });
}
async function viaFetch() {
  const init = {method: R.method || 'GET'};
  if (R.credentials) init.credentials = R.credentials;
  if (R.mode) init.mode = R.mode;
  if (R.headers) init.headers = hdrs(R.headers);
  if (R.body != null) init.body = R.body;
  try {
    const r = await fetch(R.url, init);
    await r.text();
    return {outcome: 'allowed', status: r.status, type: r.type, api: 'fetch'};
  } catch (e) { return {outcome: 'blocked', error: String(e), api: 'fetch'}; }
}
(async () => {
  const rep = await (R.api === 'xhr' ? viaXhr() : viaFetch());
  navigator.sendBeacon('/__r4/' + KEY + '/' + N, JSON.stringify(rep));
  fetch('/__r4/' + KEY + '/' + N, {method: 'POST', body: JSON.stringify(rep), credentials: 'omit'}).catch(() => 0);
})();
</script>"""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "probe4"

    def log_message(self, *a):
        pass

    def __getattr__(self, name):
        if name.startswith("do_"):
            return self._any
        raise AttributeError(name)

    def _send(self, status, lines, body=b""):
        reason = {200: "OK", 204: "No Content", 401: "Unauthorized", 404: "Not Found"}.get(status, "Status")
        head = "HTTP/1.1 %d %s\r\n" % (status, reason) + "".join(l + "\r\n" for l in lines)
        head += "Content-Length: %d\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n" % len(body)
        self.wfile.write(head.encode("latin-1") + body)
        self.wfile.flush()
        self.close_connection = True

    def _any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        scheme = self.server.scheme
        origin = norm_origin(scheme, self.headers.get("Host", ""))
        u = urlsplit(self.path)
        parts = u.path.split("/")
        if len(parts) >= 4 and parts[1] == "__r4":
            with LOCK:
                try:
                    REPORTS.setdefault((parts[2], int(parts[3])), json.loads(body.decode()))
                except Exception:
                    pass
            return self._send(204, [])
        with LOCK:
            key, case = STATE["key"], STATE["case"]
        rec = {"t": time.time(), "url": origin + self.path, "method": self.command,
               "cookie": self.headers.get("Cookie"), "origin_hdr": self.headers.get("Origin"),
               "sec_fetch_site": self.headers.get("Sec-Fetch-Site"), "sec_fetch_mode": self.headers.get("Sec-Fetch-Mode"),
               "headers": [[k, v] for k, v in self.headers.items()]}
        if len(parts) >= 4 and parts[1] == "__p4":
            rec["kind"] = "page"
            with LOCK:
                LOG.setdefault(parts[2], []).append(rec)
            st = plan(case)[int(parts[3])]
            html = PAGE % {"req": json.dumps(st["req"]), "key": json.dumps(parts[2]), "n": int(parts[3])}
            return self._send(200, ["Content-Type: text/html; charset=utf-8"], html.encode())
        rec["kind"] = "api"
        spec = (case or {}).get("server", {}).get("%s %s%s" % (self.command, origin, u.path))
        with LOCK:
            LOG.setdefault(key or "_none", []).append(rec)
        if spec is None:
            rec["unscripted"] = True
            return self._send(404, ["Content-Type: text/plain"], b"no script")
        rec["answered"] = spec.get("headers", [])
        return self._send(spec.get("status", 200), ["Content-Type: text/plain"] + list(spec.get("headers", [])),
                          b"" if spec.get("status") == 204 else b"ok")


class Srv(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class Srv6(Srv):
    address_family = socket.AF_INET6


def ensure_cert():
    os.makedirs(CERT_DIR, exist_ok=True)
    c, k = os.path.join(CERT_DIR, "cert.pem"), os.path.join(CERT_DIR, "key.pem")
    if not os.path.exists(c):
        san = ",".join(["DNS:" + h for h in HOSTS] + ["DNS:localhost", "IP:127.0.0.1"])
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", k, "-out", c,
                        "-days", "30", "-subj", "/CN=myapp.test", "-addext", "subjectAltName=" + san,
                        "-addext", "basicConstraints=critical,CA:FALSE", "-addext", "extendedKeyUsage=serverAuth"],
                       check=True, capture_output=True)
    spki = subprocess.run("openssl x509 -in %s -pubkey -noout | openssl pkey -pubin -outform der | "
                          "openssl dgst -sha256 -binary | base64" % c, shell=True, capture_output=True,
                          text=True, check=True).stdout.strip()
    return c, k, spki


SERVERS = []


def start_servers():
    cert, key, spki = ensure_cert()
    s = Srv(("127.0.0.1", HTTPS_PORT), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    s.socket = ctx.wrap_socket(s.socket, server_side=True)
    s.scheme = "https"
    SERVERS.append(s)
    for p in HTTP_PORTS:
        for cls, addr in ((Srv, "127.0.0.1"), (Srv6, "::1")):
            try:
                h = cls((addr, p), Handler)
            except OSError:
                continue
            h.scheme = "http"
            SERVERS.append(h)
    for s in SERVERS:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    return spki


def wait_report(key, n, timeout, pump=None):
    end = time.time() + timeout
    while time.time() < end:
        with LOCK:
            if (key, n) in REPORTS:
                return REPORTS[(key, n)]
        if pump:
            pump(0.02)
        else:
            time.sleep(0.02)
    return None


# ---------------------------------------------------------------- comparison
def cookie_names(hdr):
    if not hdr:
        return []
    return [p.split("=", 1)[0].strip() for p in hdr.split(";") if p.strip()]


def pick(expect, engine_key):
    """Flatten an expect block for one browser: generic keys overridden by the browser's block."""
    if not expect:
        return {}
    out = {k: v for k, v in expect.items() if k not in ("chrome", "chromium", "edge", "firefox", "safari",
                                                         "chrome-incognito", "firefox-private", "safari-private")}
    for b in ({"chromium": ["chromium", "chrome"], "firefox": ["firefox"], "webkitgtk": ["safari"]}[engine_key]):
        if b in expect:
            ov = expect[b]
            for k, v in ov.items():
                if k == "cookies":
                    out["cookies"] = dict(out.get("cookies") or {}, **v)
                else:
                    out[k] = v
    return out


# ---------------------------------------------------------------- run loop
def run(engine, version, drv, ids):
    tag = "%s%d" % (engine[0], int(time.time()) % 100000)
    out_path = os.path.join(OUT_DIR, "round4-%s%s.json" % (engine, os.environ.get("R4_SUFFIX", "")))
    doc = {"engine": engine, "version": version, "run": tag, "hosts": HOSTS, "host_map": HOST_MAP,
           "https_port": HTTPS_PORT, "http_ports": HTTP_PORTS, "cert_setup": drv.cert_setup, "cases": {}}
    if os.path.exists(out_path) and len(ids) < len(ROUND4):
        try:
            old = json.load(open(out_path))
            if old.get("version", {}).get("--version") == version.get("--version"):
                doc["cases"] = old.get("cases", {})
        except Exception:
            pass
    for cid in ids:
        case = ROUND4[cid]
        key = "%s.%d" % (tag, ORDER.index(cid))
        with LOCK:
            STATE["key"], STATE["case"] = key, case
        drv.begin_case()
        steps = []
        for n, st in enumerate(plan(case)):
            t0 = time.time()
            with LOCK:
                nlog = len(LOG.get(key, []))
            url = "%s/__p4/%s/%d" % (st["page"], key, n)
            drv.navigate(url)
            rep = wait_report(key, n, 15, drv.pump)
            drv.pump(0.4)
            with LOCK:
                reqs = [r for r in LOG.get(key, [])[nlog:]]
            api = [r for r in reqs if r["kind"] == "api" and "/favicon.ico" not in r["url"]]
            jar = drv.jar()
            exp = pick(st["expect"], engine)
            steps.append({"page": st["page"], "request": st["req"], "script": rep,
                          "requests": [{k: r[k] for k in ("kind", "method", "url", "cookie", "origin_hdr",
                                                          "sec_fetch_site", "sec_fetch_mode") if k in r}
                                       for r in reqs],
                          "sent": [{"method": r["method"], "url": r["url"], "cookies": cookie_names(r["cookie"])}
                                   for r in api],
                          "jar_after": jar, "expect": exp, "seconds": round(time.time() - t0, 2)})
        extra = drv.end_case()
        doc["cases"][cid] = {"title": case.get("title"), "file": case["_file"], "key": key, "steps": steps, **extra}
        print("%-48s %s" % (cid, " | ".join("%s %s jar=%s" % ((s["script"] or {}).get("outcome"),
                                                           [x["cookies"] for x in s["sent"]],
                                                           sorted(c["name"] for c in s["jar_after"]))
                                             for s in steps)), file=sys.stderr)
        with open(out_path, "w") as fh:
            json.dump(doc, fh, indent=1, ensure_ascii=False)
    return doc


# ---------------------------------------------------------------- chromium
class Chromium:
    PORT = 9334

    def __init__(self, spki):
        import urllib.request
        import websocket
        self.ur, self.websocket = urllib.request, websocket
        self.cert_setup = "--ignore-certificate-errors-spki-list=%s (+ --user-data-dir)" % spki
        prof = "/tmp/engine-probe-r4-chromium"
        shutil.rmtree(prof, ignore_errors=True)
        # R4_CHROMIUM_COOKIE_CONTROLS=<n>: seed Default/Preferences profile.cookie_controls_mode
        # (0 allow third-party cookies, 1 block them, 2 block in Incognito only)
        ccm = os.environ.get("R4_CHROMIUM_COOKIE_CONTROLS")
        if ccm:
            os.makedirs(prof + "/Default")
            json.dump({"profile": {"cookie_controls_mode": int(ccm)}}, open(prof + "/Default/Preferences", "w"))
        headless = [] if os.environ.get("R4_HEADFUL") else ["--headless=new"]
        args = ["chromium"] + headless + [ "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--no-default-browser-check", "--user-data-dir=" + prof, "--ignore-certificate-errors-spki-list=" + spki,
                "--remote-debugging-port=%d" % self.PORT, "--remote-allow-origins=*", "about:blank"]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=open("/tmp/engine-probe-r4-chromium.log", "w"))
        for _ in range(100):
            try:
                self.ver = self.http("GET", "/json/version")
                break
            except Exception:
                time.sleep(0.2)
        self.version = {"--version": subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip(),
                        "Browser": self.ver.get("Browser"), "headless": not os.environ.get("R4_HEADFUL"),
                        "seeded_cookie_controls_mode": ccm}
        self.browser = self._conn(self.ver["webSocketDebuggerUrl"])

    def http(self, method, path):
        req = self.ur.Request("http://127.0.0.1:%d%s" % (self.PORT, path), method=method)
        return json.loads(self.ur.urlopen(req, timeout=10).read().decode())

    def _conn(self, url):
        c = {"ws": self.websocket.create_connection(url, suppress_origin=True, timeout=30), "n": 0,
             "events": [], "results": {}, "cv": threading.Condition()}

        def reader():
            while True:
                try:
                    m = json.loads(c["ws"].recv())
                except Exception:
                    return
                with c["cv"]:
                    if "id" in m:
                        c["results"][m["id"]] = m
                    else:
                        c["events"].append(m)
                    c["cv"].notify_all()
        threading.Thread(target=reader, daemon=True).start()
        return c

    def call(self, c, method, **params):
        c["n"] += 1
        i = c["n"]
        c["ws"].send(json.dumps({"id": i, "method": method, "params": params}))
        with c["cv"]:
            c["cv"].wait_for(lambda: i in c["results"], timeout=30)
            return c["results"].get(i)

    def pump(self, s):
        time.sleep(s)

    def begin_case(self):
        # R4_CHROMIUM_OTR=1: run each case in a fresh off-the-record browser context
        # (Target.createBrowserContext, what headless uses for Incognito-like contexts)
        self.ctx = None
        if os.environ.get("R4_CHROMIUM_OTR"):
            self.ctx = self.call(self.browser, "Target.createBrowserContext", disposeOnDetach=False)["result"]["browserContextId"]
            tid = self.call(self.browser, "Target.createTarget", url="about:blank", browserContextId=self.ctx)["result"]["targetId"]
            self.t = {"id": tid, "webSocketDebuggerUrl": "ws://127.0.0.1:%d/devtools/page/%s" % (self.PORT, tid)}
        else:
            self.call(self.browser, "Storage.clearCookies")
            self.t = self.http("PUT", "/json/new?about:blank")
        self.tab = self._conn(self.t["webSocketDebuggerUrl"])
        for m in ("Log.enable", "Runtime.enable", "Network.enable", "Audits.enable", "Page.enable"):
            self.call(self.tab, m)

    def navigate(self, url):
        self.call(self.tab, "Page.navigate", url=url)

    def jar(self):
        r = self.call(self.browser, "Storage.getCookies", **({"browserContextId": self.ctx} if self.ctx else {})) or {}
        return [{k: c.get(k) for k in ("name", "domain", "path", "secure", "httpOnly", "sameSite",
                                       "partitionKey", "sourceScheme", "sourcePort")}
                for c in (r.get("result") or {}).get("cookies", [])]

    def end_case(self):
        time.sleep(0.3)
        with self.tab["cv"]:
            evs = list(self.tab["events"])
        try:
            self.tab["ws"].close()
            self.http("GET", "/json/close/" + self.t["id"])
            if self.ctx:
                self.call(self.browser, "Target.disposeBrowserContext", browserContextId=self.ctx)
        except Exception:
            pass
        urls = {}
        for e in evs:
            if e["method"] == "Network.requestWillBeSent":
                urls[e["params"]["requestId"]] = e["params"]["request"]["url"]
        cdp = []
        for e in evs:
            m, p = e["method"], e["params"]
            if m == "Network.requestWillBeSentExtraInfo":
                cdp.append({"event": m, "url": urls.get(p["requestId"]), "requestId": p["requestId"],
                            "cookieHeader": (p.get("headers") or {}).get("Cookie") or (p.get("headers") or {}).get("cookie"),
                            "associatedCookies": [{"name": a["cookie"]["name"], "blockedReasons": a.get("blockedReasons"),
                                                   "exemptionReason": a.get("exemptionReason")}
                                                  for a in p.get("associatedCookies", [])]})
            elif m == "Network.responseReceivedExtraInfo":
                h = p.get("headers") or {}
                cdp.append({"event": m, "url": urls.get(p["requestId"]), "requestId": p["requestId"],
                            "setCookie": h.get("set-cookie") or h.get("Set-Cookie"),
                            "blockedCookies": [{"name": (b.get("cookie") or {}).get("name"), "cookieLine": b.get("cookieLine"),
                                                "blockedReasons": b.get("blockedReasons")} for b in p.get("blockedCookies", [])],
                            "exemptedCookies": [{"name": (x.get("cookie") or {}).get("name"), "exemptionReason": x.get("exemptionReason")}
                                                for x in p.get("exemptedCookies", []) or []],
                            "cookiePartitionKey": p.get("cookiePartitionKey"),
                            "cookiePartitionKeyOpaque": p.get("cookiePartitionKeyOpaque")})
            elif m == "Network.loadingFailed":
                cdp.append({"event": m, "url": urls.get(p["requestId"]), "errorText": p.get("errorText"),
                            "corsErrorStatus": p.get("corsErrorStatus"), "blockedReason": p.get("blockedReason")})
        issues = [e["params"]["issue"] for e in evs if e["method"] == "Audits.issueAdded"]
        console = []
        for e in evs:
            if e["method"] == "Log.entryAdded":
                en = e["params"]["entry"]
                console.append({"via": "Log.entryAdded", "level": en.get("level"), "source": en.get("source"), "text": en.get("text")})
            elif e["method"] == "Runtime.exceptionThrown":
                console.append({"via": "Runtime.exceptionThrown", "text": e["params"]["exceptionDetails"].get("text")})
        return {"console": console, "cdp_cookie_events": [c for c in cdp if not (c.get("url") or "").count("/__r4/")],
                "cdp_issues": issues}

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except Exception:
            self.proc.kill()


# ---------------------------------------------------------------- firefox
FX_JAR = """return Services.cookies.cookies.map(c => ({name: c.name, host: c.host, path: c.path,
 isSecure: c.isSecure, isHttpOnly: c.isHttpOnly, sameSite: c.sameSite, rawSameSite: c.rawSameSite,
 isPartitioned: c.isPartitioned, partitionKey: c.originAttributes.partitionKey,
 schemeMap: c.schemeMap}));"""
FX_PREFS_JS = """const P = ['network.cookie.cookieBehavior', 'network.cookie.sameSite.laxByDefault',
 'network.cookie.sameSite.noneRequiresSecure', 'network.cookie.sameSite.schemeful', 'network.cookie.CHIPS.enabled'];
 const o = {}; for (const p of P) { try { o[p] = Services.prefs.getPrefType(p) == 128 ? Services.prefs.getBoolPref(p) : Services.prefs.getIntPref(p); } catch (e) { o[p] = String(e); } } return o;"""


class Firefox:
    MPORT = 2829

    def __init__(self, spki):
        sys.path.insert(0, HERE)
        import firefox_probe as fp
        self.fp = fp
        self.cert_setup = ("Marionette acceptInsecureCerts: true plus, in the chrome context, nsICertOverrideService"
                           ".setDisableAllSecurityChecksAndLetAttackersInterceptMyData(true)")
        prof = "/tmp/engine-probe-r4-firefox"
        shutil.rmtree(prof, ignore_errors=True)
        os.makedirs(prof)
        prefs = dict(fp.PREFS, **{"marionette.port": self.MPORT})
        with open(os.path.join(prof, "user.js"), "w") as fh:
            for k, v in prefs.items():
                fh.write("user_pref(%s, %s);\n" % (json.dumps(k), json.dumps(v)))
        env = dict(os.environ, MOZ_HEADLESS="1")
        self.proc = subprocess.Popen(["firefox-esr", "--headless", "--marionette", "-remote-allow-system-access",
                                      "-profile", prof, "-no-remote", "about:blank"],
                                     stdout=open("/tmp/engine-probe-r4-firefox.log", "w"), stderr=subprocess.STDOUT, env=env)
        self.m = fp.Marionette(self.MPORT)
        caps = self.m.call("WebDriver:NewSession", {"capabilities": {"alwaysMatch": {"acceptInsecureCerts": True}}})
        c = caps.get("capabilities", caps)
        self.version = {"--version": subprocess.run(["firefox-esr", "--version"], capture_output=True, text=True).stdout.strip(),
                        "browserVersion": c.get("browserVersion")}
        self.home = self.m.call("WebDriver:GetWindowHandle")["value"]
        # acceptInsecureCerts alone still gave 'insecure certificate' on navigation (153.8.0esr);
        # this is the switch Marionette itself flips for acceptInsecureCerts.
        self.chrome("Cc['@mozilla.org/security/certoverride;1'].getService(Ci.nsICertOverrideService)"
                    ".setDisableAllSecurityChecksAndLetAttackersInterceptMyData(true); return 1;")
        self.version["prefs"] = self.chrome(FX_PREFS_JS)

    def chrome(self, js, args=None):
        self.m.call("Marionette:SetContext", {"value": "chrome"})
        try:
            return self.m.call("WebDriver:ExecuteScript", {"script": js, "args": args or []})["value"]
        finally:
            self.m.call("Marionette:SetContext", {"value": "content"})

    def pump(self, s):
        time.sleep(s)

    def begin_case(self):
        self.chrome("Services.cookies.removeAll(); return 1;")
        self.since = self.chrome("return Date.now();")
        self.private = bool(os.environ.get("R4_FIREFOX_PRIVATE"))  # R4_FIREFOX_PRIVATE=1: private window
        if self.private:
            self.h = self.m.call("WebDriver:NewWindow", {"type": "window", "private": True})["handle"]
        else:
            self.h = self.m.call("WebDriver:NewWindow", {"type": "tab"})["handle"]
        self.m.call("WebDriver:SwitchToWindow", {"handle": self.h})

    def navigate(self, url):
        try:
            self.m.call("WebDriver:Navigate", {"url": url})
        except RuntimeError as e:
            print("navigate:", e, file=sys.stderr)

    def jar(self):
        if self.private:
            return self.chrome(FX_JAR.replace("Services.cookies.cookies",
                               "Services.cookies.getCookiesWithOriginAttributes(JSON.stringify({privateBrowsingId: 1}))"))
        return self.chrome(FX_JAR)

    def end_case(self):
        time.sleep(0.3)
        msgs = self.chrome(self.fp.CONSOLE_JS, [self.since - 1])
        self.m.call("WebDriver:CloseWindow")
        self.m.call("WebDriver:SwitchToWindow", {"handle": self.home})
        page = [{k: x.get(k) for k in ("level", "category", "text", "sourceName")} for x in msgs if not self.fp.is_noise(x)]
        return {"console": page}

    def close(self):
        try:
            self.m.call("WebDriver:DeleteSession")
        except Exception:
            pass
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except Exception:
            self.proc.kill()


# ---------------------------------------------------------------- webkitgtk
class WebKitGTK:
    ERRLOG = "/tmp/engine-probe-r4-webkit-stderr.log"

    def __init__(self, spki):
        os.environ.setdefault("WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS", "1")
        os.environ.setdefault("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        import gi
        gi.require_version("Gtk", "3.0")
        gi.require_version("WebKit2", "4.1")
        from gi.repository import Gtk, WebKit2
        self.Gtk, self.W = Gtk, WebKit2
        self.real_err = os.dup(2)
        self.fd = os.open(self.ERRLOG, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(self.fd, 2)
        sys.stderr = os.fdopen(self.real_err, "w", buffering=1)
        self.log = open(self.ERRLOG, "rb")
        base = "/tmp/engine-probe-r4-webkit"
        shutil.rmtree(base, ignore_errors=True)
        self.mgr = WebKit2.WebsiteDataManager(base_data_directory=base + "/data", base_cache_directory=base + "/cache")
        self.mgr.set_tls_errors_policy(WebKit2.TLSErrorsPolicy.IGNORE)
        self.ctx = WebKit2.WebContext.new_with_website_data_manager(self.mgr)
        self.cm = self.ctx.get_cookie_manager()
        # R4_WEBKIT_ACCEPT=always|never|no-third-party: override the default accept policy
        acc = os.environ.get("R4_WEBKIT_ACCEPT")
        if acc:
            self.cm.set_accept_policy({"always": WebKit2.CookieAcceptPolicy.ALWAYS, "never": WebKit2.CookieAcceptPolicy.NEVER,
                                       "no-third-party": WebKit2.CookieAcceptPolicy.NO_THIRD_PARTY}[acc])
        self.cert_setup = "WebKit2.WebsiteDataManager.set_tls_errors_policy(WebKit2.TLSErrorsPolicy.IGNORE)"
        pkg = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "libwebkit2gtk-4.1-0"], capture_output=True, text=True).stdout
        box = {}
        self.cm.get_accept_policy(None, lambda o, r: box.setdefault("p", o.get_accept_policy_finish(r)))
        self.spin(lambda: "p" in box, 5)
        self.version = {"--version": "WebKitGTK %d.%d.%d (libwebkit2gtk-4.1-0 %s)" % (
            WebKit2.get_major_version(), WebKit2.get_minor_version(), WebKit2.get_micro_version(), pkg),
            "cookie_accept_policy": str(box.get("p")), "itp_enabled": self.mgr.get_itp_enabled(),
            "note": "libsoup cookie jar, not Safari/CFNetwork"}

    def spin(self, cond, timeout):
        end = time.time() + timeout
        while time.time() < end and not cond():
            while self.Gtk.events_pending():
                self.Gtk.main_iteration_do(False)
            time.sleep(0.01)

    def pump(self, s):
        self.spin(lambda: False, s)

    def begin_case(self):
        box = {}
        self.mgr.clear(self.W.WebsiteDataTypes.COOKIES, 0, None, lambda o, r: box.setdefault("d", o.clear_finish(r)))
        self.spin(lambda: "d" in box, 5)
        s = self.W.Settings()
        s.set_property("enable-write-console-messages-to-stdout", True)
        self.view = self.W.WebView(web_context=self.ctx, settings=s)
        self.win = self.Gtk.OffscreenWindow()
        self.win.add(self.view)
        self.win.show_all()
        self.start = os.lseek(self.fd, 0, os.SEEK_CUR)

    def navigate(self, url):
        self.view.load_uri(url)

    def jar(self):
        box = {}
        self.cm.get_all_cookies(None, lambda o, r: box.setdefault("c", o.get_all_cookies_finish(r)))
        self.spin(lambda: "c" in box, 5)
        out = []
        for c in box.get("c") or []:
            out.append({"name": c.get_name(), "domain": c.get_domain(), "path": c.get_path(), "secure": c.get_secure(),
                        "httpOnly": c.get_http_only(), "sameSite": str(c.get_same_site_policy())})
        return out

    def end_case(self):
        self.pump(0.3)
        self.win.destroy()
        self.pump(0.1)
        self.log.seek(self.start)
        raw = self.log.read().decode("utf-8", "replace")
        return {"console": [l for l in raw.split("\n") if "CONSOLE" in l], "stderr_other": [l for l in raw.split("\n") if l and "CONSOLE" not in l][:20]}

    def close(self):
        os.dup2(self.real_err, 2)


def main():
    argv = sys.argv[1:]
    if "--compare" in argv:  # round4.py --compare <json>...: verdicts per case step
        for fn in [a for a in argv if a.endswith(".json")]:
            print("##", fn)
            for r in compare(json.load(open(fn))):
                print(" | ".join(map(str, r)))
        return
    eng = argv[argv.index("--engine") + 1]
    ids = [a for a in argv if not a.startswith("-") and a in ROUND4] or ORDER
    spki = start_servers()
    drv = {"chromium": Chromium, "firefox": Firefox, "webkitgtk": WebKitGTK}[eng](spki)
    try:
        run(eng, drv.version, drv, ids)
    finally:
        drv.close()
        for s in SERVERS:
            s.shutdown()



# ---------------------------------------------------------------- comparison report
def compare(doc):
    """Rows (case, step, verdict, details) for one engine's round-4 JSON."""
    rows = []
    for cid in ORDER:
        c = doc["cases"].get(cid)
        if not c:
            continue
        for i, s in enumerate(c["steps"]):
            exp = s.get("expect") or {}
            ck = exp.get("cookies") or {}
            jar = sorted({j["name"] for j in s["jar_after"]})
            main = [x for x in s["sent"] if x["method"] != "OPTIONS"]
            sent = sorted(set(sum((x["cookies"] for x in main), [])))
            pre = [x["cookies"] for x in s["sent"] if x["method"] == "OPTIONS"]
            out = (s.get("script") or {}).get("outcome")
            bad = []
            if exp.get("outcome") and exp["outcome"] != out:
                bad.append("outcome %s (expected %s)" % (out, exp["outcome"]))
            for n in ck.get("stored", []):
                if n not in jar:
                    bad.append("%s not stored" % n)
            for n in ck.get("rejected", []):
                if n in jar and not any(n in x["cookies"] for x in main):
                    bad.append("%s stored (expected rejected)" % n)
            if "sent" in ck and sorted(ck["sent"]) != sent:
                bad.append("sent %s (expected %s)" % (sent, sorted(ck["sent"])))
            det = "outcome=%s sent=%s%s jar=%s" % (out, sent, (" preflight-cookies=%s" % pre) if pre else "", jar)
            pk = [j.get("partitionKey") for j in s["jar_after"] if j.get("partitionKey")]
            if pk:
                det += " partitionKey=%s" % pk
            rows.append((cid, i, "agree" if not bad else "DISAGREE: " + "; ".join(bad), det))
    return rows


if __name__ == "__main__":
    main()

"""Scenario table for the engine probe.

Each scenario: desc, req (what the page script does), resp (scripted responses per hop and
method: (status, [raw header lines], body?)). Placeholders in URLs and header lines:
{P} page origin, {A} {B} {C} API origins, {AP} {BP} {CP} host:port, {K} "/s/<key>",
{DEAD} an origin where nothing listens.
"""
import json

ACAO_STAR = "Access-Control-Allow-Origin: *"
ACAO_P = "Access-Control-Allow-Origin: {P}"
CT = "Content-Type: text/plain"


def ok(*lines, status=200, body="ok"):
    return (status, [CT] + list(lines), body)


def f(url="{A}{K}/r", **init):
    return {"api": "fetch", "url": url, "init": init}


def x(url="{A}{K}/r", method="GET", withCredentials=False, headers=None, body=None):
    return {"api": "xhr", "url": url, "method": method, "withCredentials": withCredentials,
            "headers": headers or {}, "body": body}


def loop(method, q):
    n = int(q.get("n", ["0"])[0])
    if n < 30:
        return {"*": (302, ["Location: {K}/loop?n=%d" % (n + 1), ACAO_STAR], "")}
    return {"*": ok(ACAO_STAR)}


JSON_PUT = dict(method="PUT", headers={"Content-Type": "application/json"}, body="{}")

SCENARIOS = {
    "s01": dict(desc="fetch GET include; ACAO *",
                req=f(credentials="include"), resp={"r": {"GET": ok(ACAO_STAR)}}),
    "s02": dict(desc="fetch GET include; ACAO exact; no ACAC",
                req=f(credentials="include"), resp={"r": {"GET": ok(ACAO_P)}}),
    "s03": dict(desc="fetch GET include; ACAO exact; ACAC: True",
                req=f(credentials="include"),
                resp={"r": {"GET": ok(ACAO_P, "Access-Control-Allow-Credentials: True")}}),
    "s03b": dict(desc="control: fetch GET include; ACAO exact; ACAC: true",
                 req=f(credentials="include"),
                 resp={"r": {"GET": ok(ACAO_P, "Access-Control-Allow-Credentials: true")}}),
    "s04": dict(desc="XHR GET withCredentials; ACAO *",
                req=x(withCredentials=True), resp={"r": {"GET": ok(ACAO_STAR)}}),
    "s05": dict(desc="XHR GET withCredentials; ACAO exact; ACAC missing",
                req=x(withCredentials=True), resp={"r": {"GET": ok(ACAO_P)}}),
    "s06": dict(desc="fetch GET; two ACAO lines, both the page origin",
                req=f(), resp={"r": {"GET": ok(ACAO_P, ACAO_P)}}),
    "s07": dict(desc="fetch GET; ACAO: http://a.example, <page origin>",
                req=f(), resp={"r": {"GET": ok("Access-Control-Allow-Origin: http://a.example, {P}")}}),
    "s08": dict(desc="fetch GET; no ACAO; 200", req=f(), resp={"r": {"GET": ok()}}),
    "s09": dict(desc="fetch GET; no ACAO; 500", req=f(), resp={"r": {"GET": ok(status=500)}}),
    "s10": dict(desc="fetch GET; ACAO page origin + '/'", req=f(),
                resp={"r": {"GET": ok("Access-Control-Allow-Origin: {P}/")}}),
    "s11": dict(desc="fetch GET; ACAO foo", req=f(),
                resp={"r": {"GET": ok("Access-Control-Allow-Origin: foo")}}),
    "s12": dict(desc="fetch GET; ACAO null", req=f(),
                resp={"r": {"GET": ok("Access-Control-Allow-Origin: null")}}),
    "s13": dict(desc="fetch GET; ACAO empty value (line 'Access-Control-Allow-Origin:')", req=f(),
                resp={"r": {"GET": ok("Access-Control-Allow-Origin:")}}),
    "s14": dict(desc="fetch PUT json; preflight 204 ACAO exact, ACAM 'GET, POST'",
                req=f(**JSON_PUT),
                resp={"r": {"OPTIONS": (204, [ACAO_P, "Access-Control-Allow-Methods: GET, POST",
                                              "Access-Control-Allow-Headers: Content-Type"]),
                            "PUT": ok(ACAO_P)}}),
    "s15": dict(desc="fetch GET X-Token; preflight 204 ACAO *, no ACAH",
                req=f(headers={"X-Token": "1"}),
                resp={"r": {"OPTIONS": (204, [ACAO_STAR]), "GET": ok(ACAO_STAR)}}),
    "s16": dict(desc="fetch GET Authorization; preflight 204 ACAO *, ACAH *; actual 200 ACAO *",
                req=f(headers={"Authorization": "Bearer x"}),
                resp={"r": {"OPTIONS": (204, [ACAO_STAR, "Access-Control-Allow-Headers: *"]),
                            "GET": ok(ACAO_STAR)}}),
    "s17": dict(desc="fetch GET include + X-Token; preflight ACAO exact, ACAC true, ACAH *",
                req=f(credentials="include", headers={"X-Token": "1"}),
                resp={"r": {"OPTIONS": (204, [ACAO_P, "Access-Control-Allow-Credentials: true",
                                              "Access-Control-Allow-Headers: *"]),
                            "GET": ok(ACAO_P, "Access-Control-Allow-Credentials: true")}}),
    "s18": dict(desc="fetch DELETE include; preflight ACAO exact, ACAC true, ACAM *",
                req=f(method="DELETE", credentials="include"),
                resp={"r": {"OPTIONS": (204, [ACAO_P, "Access-Control-Allow-Credentials: true",
                                              "Access-Control-Allow-Methods: *"]),
                            "DELETE": ok(ACAO_P, "Access-Control-Allow-Credentials: true")}}),
    "s19": dict(desc="fetch PUT json; preflight 404 with ACAO * and ACAM PUT",
                req=f(**JSON_PUT),
                resp={"r": {"OPTIONS": ok(ACAO_STAR, "Access-Control-Allow-Methods: PUT",
                                          "Access-Control-Allow-Headers: Content-Type", status=404),
                            "PUT": ok(ACAO_STAR)}}),
    "s20": dict(desc="fetch PUT json; preflight 500 without ACAO",
                req=f(**JSON_PUT),
                resp={"r": {"OPTIONS": ok(status=500), "PUT": ok(ACAO_STAR)}}),
    "s21": dict(desc="fetch PUT json; preflight 302 to another path, ACAO *",
                req=f(**JSON_PUT),
                resp={"r": {"OPTIONS": (302, ["Location: {K}/other", ACAO_STAR], ""),
                            "PUT": ok(ACAO_STAR)},
                      "other": {"*": (204, [ACAO_STAR, "Access-Control-Allow-Methods: PUT",
                                            "Access-Control-Allow-Headers: Content-Type"])}}),
    "s22": dict(desc="fetch PUT json; preflight 204 ACAO *, ACAM 'PUT DELETE' (invalid)",
                req=f(**JSON_PUT),
                resp={"r": {"OPTIONS": (204, [ACAO_STAR, "Access-Control-Allow-Methods: PUT DELETE",
                                              "Access-Control-Allow-Headers: Content-Type"]),
                            "PUT": ok(ACAO_STAR)}}),
    "s23": dict(desc="fetch GET A -> 302 to B without ACAO on the 302; B 200 ACAO *",
                req=f(),
                resp={"r": {"GET": (302, ["Location: {B}{K}/final"], "")},
                      "final": {"GET": ok(ACAO_STAR)}}),
    "s24": dict(desc="fetch GET A 302(ACAO *) -> B 302(ACAO *) -> C 200 ACAO page origin",
                req=f(),
                resp={"r": {"GET": (302, ["Location: {B}{K}/hop2", ACAO_STAR], "")},
                      "hop2": {"GET": (302, ["Location: {C}{K}/final", ACAO_STAR], "")},
                      "final": {"GET": ok(ACAO_P)}}),
    "s24b": dict(desc="as s24 but C answers ACAO * (should succeed; shows Origin per hop)",
                 req=f(),
                 resp={"r": {"GET": (302, ["Location: {B}{K}/hop2", ACAO_STAR], "")},
                       "hop2": {"GET": (302, ["Location: {C}{K}/final", ACAO_STAR], "")},
                       "final": {"GET": ok(ACAO_STAR)}}),
    "s24c": dict(desc="as s24 but C answers ACAO null",
                 req=f(),
                 resp={"r": {"GET": (302, ["Location: {B}{K}/hop2", ACAO_STAR], "")},
                       "hop2": {"GET": (302, ["Location: {C}{K}/final", ACAO_STAR], "")},
                       "final": {"GET": ok("Access-Control-Allow-Origin: null")}}),
    "s25": dict(desc="fetch mode same-origin to A", req=f(mode="same-origin"),
                resp={"r": {"GET": ok(ACAO_STAR)}}),
    "s26": dict(desc="fetch redirect:'error' to A which answers 302 (ACAO *) to B",
                req=f(redirect="error"),
                resp={"r": {"GET": (302, ["Location: {B}{K}/final", ACAO_STAR], "")},
                      "final": {"GET": ok(ACAO_STAR)}}),
    "s27": dict(desc="fetch GET A 302 Location http://user:pass@B/x with ACAO *",
                req=f(),
                resp={"r": {"GET": (302, ["Location: http://user:pass@{BP}{K}/final", ACAO_STAR], "")},
                      "final": {"GET": ok(ACAO_STAR)}}),
    "s28": dict(desc="fetch GET ACAO *, ACEH X-Custom; X-Custom, X-Other, Set-Cookie, text/plain",
                req=dict(f(), get=["x-custom", "x-other", "set-cookie", "content-type",
                                   "content-length", "cache-control"]),
                resp={"r": {"GET": (200, [ACAO_STAR, "Access-Control-Expose-Headers: X-Custom",
                                          "X-Custom: 1", "X-Other: 2", "Set-Cookie: a=b", CT])}}),
    "s29": dict(desc="fetch POST text/plain body 'x'; ACAO * (no preflight expected)",
                req=f(method="POST", headers={"Content-Type": "text/plain"}, body="x"),
                resp={"r": {"OPTIONS": (204, [ACAO_STAR]), "POST": ok(ACAO_STAR)}}),
    "s30": dict(desc="fetch GET A redirects to itself 30 times (ACAO * each), then 200",
                req=f("{A}{K}/loop?n=0"), resp={"loop": loop}),
    # ---- extras ----
    "s31": dict(desc="fetch method 'patch' (lowercase); preflight ACAO *, ACAM PATCH",
                req=f(method="patch"),
                resp={"r": {"OPTIONS": (204, [ACAO_STAR, "Access-Control-Allow-Methods: PATCH"]),
                            "PATCH": ok(ACAO_STAR), "patch": ok(ACAO_STAR)}}),
    "s31b": dict(desc="fetch method 'patch' (lowercase); preflight ACAO *, ACAM patch",
                 req=f(method="patch"),
                 resp={"r": {"OPTIONS": (204, [ACAO_STAR, "Access-Control-Allow-Methods: patch"]),
                             "PATCH": ok(ACAO_STAR), "patch": ok(ACAO_STAR)}}),
    "s32": dict(desc="XHR variant of s14 (PUT json; ACAM 'GET, POST')",
                req=x(method="PUT", headers={"Content-Type": "application/json"}, body="{}"),
                resp={"r": {"OPTIONS": (204, [ACAO_P, "Access-Control-Allow-Methods: GET, POST",
                                              "Access-Control-Allow-Headers: Content-Type"]),
                            "PUT": ok(ACAO_P)}}),
    "s33": dict(desc="XHR variant of s23 (302 without ACAO)",
                req=x(),
                resp={"r": {"GET": (302, ["Location: {B}{K}/final"], "")},
                      "final": {"GET": ok(ACAO_STAR)}}),
    "s34": dict(desc="XHR GET; no ACAO; 200", req=x(), resp={"r": {"GET": ok()}}),
    "s35": dict(desc="fetch PUT json; preflight OK (ACAO *, ACAM PUT, ACAH Content-Type); actual 200 no ACAO",
                req=f(**JSON_PUT),
                resp={"r": {"OPTIONS": (204, [ACAO_STAR, "Access-Control-Allow-Methods: PUT",
                                              "Access-Control-Allow-Headers: Content-Type"]),
                            "PUT": ok()}}),
    "s36": dict(desc="fetch GET include + X-Token; preflight ACAO * (wildcard with credentials on preflight)",
                req=f(credentials="include", headers={"X-Token": "1"}),
                resp={"r": {"OPTIONS": (204, [ACAO_STAR, "Access-Control-Allow-Credentials: true",
                                              "Access-Control-Allow-Headers: X-Token"]),
                            "GET": ok(ACAO_P, "Access-Control-Allow-Credentials: true")}}),
    "s37": dict(desc="fetch GET include + X-Token; preflight ACAO exact, ACAH X-Token, no ACAC",
                req=f(credentials="include", headers={"X-Token": "1"}),
                resp={"r": {"OPTIONS": (204, [ACAO_P, "Access-Control-Allow-Headers: X-Token"]),
                            "GET": ok(ACAO_P, "Access-Control-Allow-Credentials: true")}}),
    "s38": dict(desc="fetch GET; lowercase header name 'access-control-allow-origin: *' (control)",
                req=f(), resp={"r": {"GET": ok("access-control-allow-origin: *")}}),
    "s39": dict(desc="fetch mode no-cors to A without ACAO", req=f(mode="no-cors"),
                resp={"r": {"GET": ok()}}),
    "s40": dict(desc="fetch GET X-Token; preflight ACAO *, ACAH 'x-token' (control, should pass)",
                req=f(headers={"X-Token": "1"}),
                resp={"r": {"OPTIONS": (204, [ACAO_STAR, "Access-Control-Allow-Headers: x-token"]),
                            "GET": ok(ACAO_STAR)}}),
    "s41": dict(desc="fetch GET to a loopback port where nothing listens (connection refused)",
                req=f("{DEAD}{K}/r"), resp={}),
    "s42": dict(desc="fetch PUT json; preflight ACAO *, ACAM 'put' lowercase",
                req=f(**JSON_PUT),
                resp={"r": {"OPTIONS": (204, [ACAO_STAR, "Access-Control-Allow-Methods: put",
                                              "Access-Control-Allow-Headers: Content-Type"]),
                            "PUT": ok(ACAO_STAR)}}),
    "s43": dict(desc="fetch GET X-Token + X-Other; preflight ACAO *, ACAH X-Token only (which name is reported)",
                req=f(headers={"X-Token": "1", "X-Other": "2"}),
                resp={"r": {"OPTIONS": (204, [ACAO_STAR, "Access-Control-Allow-Headers: X-Token"]),
                            "GET": ok(ACAO_STAR)}}),
    "s44": dict(desc="fetch GET; ACAO '*, *' one line", req=f(),
                resp={"r": {"GET": ok("Access-Control-Allow-Origin: *, *")}}),
    "s45": dict(desc="fetch GET; two ACAO lines '*' and '*'", req=f(),
                resp={"r": {"GET": ok(ACAO_STAR, ACAO_STAR)}}),
    "s46": dict(desc="fetch GET; ACAO '*' with ACAC true, credentials include", req=f(credentials="include"),
                resp={"r": {"GET": ok(ACAO_STAR, "Access-Control-Allow-Credentials: true")}}),
    "s47": dict(desc="XHR PUT to A; preflight 500 no ACAO (XHR preflight status wording)",
                req=x(method="PUT", headers={"Content-Type": "application/json"}, body="{}"),
                resp={"r": {"OPTIONS": ok(status=500), "PUT": ok(ACAO_STAR)}}),
    "s48": dict(desc="fetch GET X-Token; preflight ACAO *, ACAH 'X-Token, bad header' (invalid token)",
                req=f(headers={"X-Token": "1"}),
                resp={"r": {"OPTIONS": (204, [ACAO_STAR, "Access-Control-Allow-Headers: X-Token, bad header"]),
                            "GET": ok(ACAO_STAR)}}),
    "s49": dict(desc="fetch GET; ACAO is the page origin with different case 'HTTP://LOCALHOST:18000'", req=f(),
                resp={"r": {"GET": ok("Access-Control-Allow-Origin: HTTP://LOCALHOST:18000")}}),
    "s50": dict(desc="fetch GET to A; 302 (ACAO *) to the page origin itself (same-origin final, Origin null?) with ACAO *",
                req=f(),
                resp={"r": {"GET": (302, ["Location: {P}{K}/final", ACAO_STAR], "")},
                      "final": {"GET": ok()}}),
}

PAGE = """<!doctype html><meta charset=utf-8><title>probe %(KEY)s</title>
<link rel=icon href="data:,">
<body><pre id=out></pre><script>
const KEY = %(KEYJ)s;
const REQ = %(REQ)s;
function report(out) {
  document.title = 'done';
  document.getElementById('out').textContent = JSON.stringify(out, null, 1);
  return fetch('/report/' + KEY, {method: 'POST', body: JSON.stringify(out)});
}
function doXhr(r) {
  return new Promise((resolve) => {
    const out = {events: []};
    const xhr = new XMLHttpRequest();
    const fin = (ev) => {
      out.events.push(ev);
      if (ev === 'loadend') {
        out.outcome = (out.events.indexOf('load') >= 0) ? 'load' : 'error';
        out.readyState = xhr.readyState; out.status = xhr.status; out.statusText = xhr.statusText;
        try { out.body = xhr.responseText; } catch (e) { out.bodyError = String(e); }
        out.allHeaders = xhr.getAllResponseHeaders();
        for (const h of (r.get || [])) out['get:' + h] = xhr.getResponseHeader(h);
        resolve(out);
      }
    };
    for (const ev of ['load', 'error', 'abort', 'timeout', 'loadend']) xhr.addEventListener(ev, () => fin(ev));
    try {
      xhr.open(r.method, r.url, true);
      xhr.withCredentials = r.withCredentials;
      xhr.timeout = 15000;
      for (const [k, v] of Object.entries(r.headers)) xhr.setRequestHeader(k, v);
      xhr.send(r.body);
    } catch (e) {
      out.outcome = 'threw'; out.errorName = e.name; out.errorMessage = e.message; out.errorString = String(e);
      resolve(out);
    }
  });
}
async function run() {
  let out = {api: REQ.api};
  const t0 = performance.now();
  try {
    if (REQ.api === 'fetch') {
      const res = await fetch(REQ.url, REQ.init);
      out.outcome = 'resolved';
      out.status = res.status; out.statusText = res.statusText; out.type = res.type;
      out.url = res.url; out.redirected = res.redirected;
      out.headers = []; res.headers.forEach((v, k) => out.headers.push([k, v]));
      for (const h of (REQ.get || [])) out['get:' + h] = res.headers.get(h);
      try { out.body = await res.text(); } catch (e) { out.bodyError = String(e); }
    } else {
      out = Object.assign(out, await doXhr(REQ));
    }
  } catch (e) {
    out.outcome = 'rejected';
    out.errorName = e && e.name; out.errorMessage = e && e.message; out.errorString = String(e);
  }
  out.ms = Math.round(performance.now() - t0);
  out.userAgent = navigator.userAgent;
  await report(out);
}
run();
</script>
"""


def page_html(sid, key, subst):
    req = SCENARIOS[sid]["req"]
    reqj = subst(json.dumps(req), key)
    return PAGE % {"KEY": key, "KEYJ": json.dumps(key), "REQ": reqj}

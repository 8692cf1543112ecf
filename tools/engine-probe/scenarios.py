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


def x(url="{A}{K}/r", method="GET", withCredentials=False, headers=None, body=None, uploadListener=False):
    r = {"api": "xhr", "url": url, "method": method, "withCredentials": withCredentials,
         "headers": headers or {}, "body": body}
    if uploadListener:
        r["uploadListener"] = uploadListener  # True: xhr.upload.onprogress; "add": addEventListener
    return r


def steps(*items):
    """Several requests made one after another by the same page. items: (label, at_ms, req);
    step n starts when step n-1 has settled AND at least at_ms after the first step started."""
    return {"api": "steps", "steps": [dict(label=l, at_ms=t, req=r) for (l, t, r) in items]}


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

# ---------------------------------------------------------------------------------------------
# Round 2: disputed expectations. Kept in a separate table (own JSON: round2-<engine>.json).
# Response specs may use the key "OPTIONS:<ACRM>" to answer a preflight by its requested method.

ACAO_P_CRED = [ACAO_P, "Access-Control-Allow-Credentials: true"]
SETCOOKIE = ("cookie", 0, f("{A}{K}/setcookie", credentials="include"))
SETCOOKIE_RESP = {"GET": ok(*ACAO_P_CRED, "Set-Cookie: pc=1; Path=/; SameSite=None; Secure",
                            "Set-Cookie: lc=1; Path=/")}


def ranged(v):
    return dict(req=dict(f(headers={"Range": v}), get=["content-range", "content-type", "content-length"]),
                resp={"r": {"OPTIONS": (204, [ACAO_STAR, "Access-Control-Allow-Headers: Range"]),
                            "GET": (206, [CT, ACAO_STAR, "Content-Range: bytes 0-1/2"], "ok")}})


def put_cache(max_age_line, *at):
    pre = [ACAO_STAR, "Access-Control-Allow-Methods: PUT"] + ([max_age_line] if max_age_line else [])
    return dict(req=steps(*[("PUT #%d" % (i + 1), t, f(method="PUT")) for i, t in enumerate(at)]),
                resp={"r": {"OPTIONS": (204, pre), "PUT": ok(ACAO_STAR)}})


CRED_PUT_RESP = {"setcookie": SETCOOKIE_RESP,
                 "r": {"OPTIONS": (204, ACAO_P_CRED + ["Access-Control-Allow-Methods: PUT",
                                                       "Access-Control-Max-Age: 60"]),
                       "PUT": ok(*ACAO_P_CRED)}}
REDIR_B = {"r": {"GET": (302, ["Location: {B}{K}/final", ACAO_STAR], "")},
           "final": {"GET": ok(ACAO_STAR)}}

ROUND2 = {
    "s60": dict(desc="fetch GET with Range: bytes=0- ; 206 ACAO * (preflight would get ACAO *, ACAH Range)",
                **ranged("bytes=0-")),
    "s60b": dict(desc="as s60 with Range: bytes=-5 (suffix range)", **ranged("bytes=-5")),
    "s60c": dict(desc="as s60 with Range: bytes=0-10", **ranged("bytes=0-10")),
    "s61": dict(desc="preflight cache vs credentials: [cookie GET], PUT include (preflight ACAO P, ACAC true, "
                     "ACAM PUT, Max-Age 60), then PUT omit 0.5 s later",
                req=steps(SETCOOKIE, ("PUT include", 0, f(method="PUT", credentials="include")),
                          ("PUT omit", 500, f(method="PUT", credentials="omit"))),
                resp=CRED_PUT_RESP),
    "s61b": dict(desc="as s61, reverse order: PUT omit first, then PUT include",
                 req=steps(SETCOOKIE, ("PUT omit", 0, f(method="PUT", credentials="omit")),
                           ("PUT include", 500, f(method="PUT", credentials="include"))),
                 resp=CRED_PUT_RESP),
    "s61c": dict(desc="as s61 with the second request credentials 'same-origin'",
                 req=steps(SETCOOKIE, ("PUT include", 0, f(method="PUT", credentials="include")),
                           ("PUT same-origin", 500, f(method="PUT", credentials="same-origin"))),
                 resp=CRED_PUT_RESP),
    "s61d": dict(desc="control for s61: PUT include, then PUT include again 0.5 s later",
                 req=steps(SETCOOKIE, ("PUT include", 0, f(method="PUT", credentials="include")),
                           ("PUT include again", 500, f(method="PUT", credentials="include"))),
                 resp=CRED_PUT_RESP),
    # extra controls for Firefox, whose cache hits were not reproducible across runs (see the doc)
    "s61e": dict(desc="PUT include, PUT include 0.3 s later (no cookie step)",
                 req=steps(("PUT include", 0, f(method="PUT", credentials="include")),
                           ("PUT include again", 300, f(method="PUT", credentials="include"))),
                 resp=CRED_PUT_RESP),
    "s61f": dict(desc="PUT omit, PUT omit 0.5 s later (no cookie step)",
                 req=steps(("PUT omit", 0, f(method="PUT", credentials="omit")),
                           ("PUT omit again", 500, f(method="PUT", credentials="omit"))),
                 resp=CRED_PUT_RESP),
    "s61g": dict(desc="PUT include, PUT include 0.5 s later (no cookie step)",
                 req=steps(("PUT include", 0, f(method="PUT", credentials="include")),
                           ("PUT include again", 500, f(method="PUT", credentials="include"))),
                 resp=CRED_PUT_RESP),
    "s61h": dict(desc="PUT include, PUT omit 0.5 s later (no cookie step)",
                 req=steps(("PUT include", 0, f(method="PUT", credentials="include")),
                           ("PUT omit", 500, f(method="PUT", credentials="omit"))),
                 resp=CRED_PUT_RESP),
    "s61i": dict(desc="[cookie GET], PUT include at 0, 0.5 s, 1 s",
                 req=steps(SETCOOKIE, ("PUT include", 0, f(method="PUT", credentials="include")),
                           ("PUT include 2", 500, f(method="PUT", credentials="include")),
                           ("PUT include 3", 1000, f(method="PUT", credentials="include"))),
                 resp=CRED_PUT_RESP),
    "s62": dict(desc="fetch mode same-origin to the page's own origin, which 302s (ACAO *) to A (ACAO *)",
                req=f("{P}{K}/r", mode="same-origin"),
                resp={"r": {"GET": (302, ["Location: {A}{K}/final", ACAO_STAR], "")},
                      "final": {"GET": ok(ACAO_STAR)}}),
    "s63": dict(desc="fetch GET include; ACAO exact; two 'Access-Control-Allow-Credentials: true' lines",
                req=f(credentials="include"),
                resp={"r": {"GET": ok(ACAO_P, "Access-Control-Allow-Credentials: true",
                                      "Access-Control-Allow-Credentials: true")}}),
    "s64": dict(desc="XHR POST body 'x' with xhr.upload.onprogress set before send(); preflight ACAO * only; actual ACAO *",
                req=x(method="POST", body="x", uploadListener=True),
                resp={"r": {"OPTIONS": (204, [ACAO_STAR]), "POST": ok(ACAO_STAR)}}),
    "s64c": dict(desc="as s64 but upload listeners added with xhr.upload.addEventListener (loadstart, progress, load, loadend)",
                 req=x(method="POST", body="x", uploadListener="add"),
                 resp={"r": {"OPTIONS": (204, [ACAO_STAR]), "POST": ok(ACAO_STAR)}}),
    "s64b": dict(desc="control for s64: same XHR POST without the upload listener",
                 req=x(method="POST", body="x"),
                 resp={"r": {"OPTIONS": (204, [ACAO_STAR]), "POST": ok(ACAO_STAR)}}),
    "s65": dict(desc="fetch redirect:'manual' to A; A 302 (ACAO *) Location B", req=f(redirect="manual"),
                resp=REDIR_B),
    "s66": dict(desc="fetch mode:'no-cors' redirect:'manual' to A; A 302 (ACAO *) Location B",
                req=f(mode="no-cors", redirect="manual"), resp=REDIR_B),
    "s67": dict(desc="fetch GET; ACAO '<page origin> http://a.example' (space-separated, one line)", req=f(),
                resp={"r": {"GET": ok("Access-Control-Allow-Origin: {P} http://a.example")}}),
    "s68": dict(desc="preflight cache: PUT (ACAO *, ACAM PUT, Max-Age 2) at 0 s, 1 s, 3.5 s",
                **put_cache("Access-Control-Max-Age: 2", 0, 1000, 3500)),
    "s68b": dict(desc="preflight cache: Max-Age -1; PUT twice back to back", **put_cache("Access-Control-Max-Age: -1", 0, 0)),
    "s68c": dict(desc="preflight cache: no Max-Age; PUT at 0 s, 1 s, 6.5 s", **put_cache(None, 0, 1000, 6500)),
    "s68d": dict(desc="preflight cache: Max-Age abc; PUT at 0 s, 1 s, 6.5 s",
                 **put_cache("Access-Control-Max-Age: abc", 0, 1000, 6500)),
    "s68e": dict(desc="preflight cache: Max-Age 2; PUT every 0.3 s from 0 to 2.1 s, then at 2.7 s",
                 **put_cache("Access-Control-Max-Age: 2", 0, 300, 600, 900, 1200, 1500, 1800, 2100, 2700)),
    "s68f": dict(desc="preflight cache: Max-Age 2; PUT at 0 s, 1 s", **put_cache("Access-Control-Max-Age: 2", 0, 1000)),
    "s68g": dict(desc="preflight cache: Max-Age 2; PUT at 0 s, 0.7 s", **put_cache("Access-Control-Max-Age: 2", 0, 700)),
    "s68h": dict(desc="preflight cache: Max-Age 10; PUT at 0 s, 1 s, 2 s", **put_cache("Access-Control-Max-Age: 10", 0, 1000, 2000)),
    "s68i": dict(desc="preflight cache: Max-Age 3; PUT at 0 s, 1 s, 2 s", **put_cache("Access-Control-Max-Age: 3", 0, 1000, 2000)),
    "s69": dict(desc="fetch GET; A 302 with two different Location lines (B, then C), ACAO *", req=f(),
                resp={"r": {"GET": (302, ["Location: {B}{K}/one", "Location: {C}{K}/two", ACAO_STAR], "")},
                      "one": {"GET": ok(ACAO_STAR)}, "two": {"GET": ok(ACAO_STAR)},
                      # WebKit joins the two values and follows '{B}{K}/one, {C}{K}/two' as one URL:
                      "one,%20http:": {"GET": ok(ACAO_STAR)}}),
    "s70": dict(desc="preflight cache per method: PUT (ACAM PUT, Max-Age 60), DELETE (ACAM DELETE, Max-Age 60), "
                     "PUT again, DELETE again",
                req=steps(("PUT", 0, f(method="PUT")), ("DELETE", 300, f(method="DELETE")),
                          ("PUT again", 600, f(method="PUT")), ("DELETE again", 900, f(method="DELETE"))),
                resp={"r": {"OPTIONS:PUT": (204, [ACAO_STAR, "Access-Control-Allow-Methods: PUT",
                                                  "Access-Control-Max-Age: 60"]),
                            "OPTIONS:DELETE": (204, [ACAO_STAR, "Access-Control-Allow-Methods: DELETE",
                                                     "Access-Control-Max-Age: 60"]),
                            "PUT": ok(ACAO_STAR), "DELETE": ok(ACAO_STAR)}}),
}

ALL = dict(SCENARIOS, **ROUND2)

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
    const onUp = (e) => { out.uploadEvents = (out.uploadEvents || []).concat([e.type]); };
    if (r.uploadListener === 'add') {
      for (const t of ['loadstart', 'progress', 'load', 'loadend']) xhr.upload.addEventListener(t, onUp);
    } else if (r.uploadListener) {
      xhr.upload.onprogress = onUp;
    }
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
async function one(R) {
  let out = {api: R.api};
  const t0 = performance.now();
  out.t_start = Math.round(t0);
  try {
    if (R.api === 'fetch') {
      const res = await fetch(R.url, R.init);
      out.outcome = 'resolved';
      out.status = res.status; out.statusText = res.statusText; out.type = res.type;
      out.url = res.url; out.redirected = res.redirected;
      out.headers = []; res.headers.forEach((v, k) => out.headers.push([k, v]));
      for (const h of (R.get || [])) out['get:' + h] = res.headers.get(h);
      try { out.body = await res.text(); } catch (e) { out.bodyError = String(e); }
    } else {
      out = Object.assign(out, await doXhr(R));
    }
  } catch (e) {
    out.outcome = 'rejected';
    out.errorName = e && e.name; out.errorMessage = e && e.message; out.errorString = String(e);
  }
  out.ms = Math.round(performance.now() - t0);
  return out;
}
async function run() {
  let out;
  if (REQ.api === 'steps') {
    out = {api: 'steps', steps: []};
    const t0 = performance.now();
    for (const st of REQ.steps) {
      const wait = t0 + st.at_ms - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const o = await one(st.req);
      o.label = st.label; o.at_ms = Math.round(performance.now() - t0 - o.ms);
      out.steps.push(o);
    }
    out.outcome = out.steps.map((o) => o.outcome).join(' / ');
  } else {
    out = await one(REQ);
  }
  out.userAgent = navigator.userAgent;
  await report(out);
}
run();
</script>
"""


def page_html(sid, key, subst):
    req = ALL[sid]["req"]
    reqj = subst(json.dumps(req), key)
    return PAGE % {"KEY": key, "KEYJ": json.dumps(key), "REQ": reqj}

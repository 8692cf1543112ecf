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

# ---------------------------------------------------------------------------------------------
# Round 3: WPT scenario classes whose engine behaviour neither the references nor rounds 1-2
# settle (table `ROUND3`, run with `--round3`; own JSON: round3-<engine>.json).
# Helpers: `Seq(METHOD=[resp1, resp2, ...])` answers the n-th request of a method with the n-th
# response (the last repeats; one counter per driver process, and each scenario runs once per
# process); a response spec key "OPTIONS~<ACRH>" answers a preflight by its
# Access-Control-Request-Headers value.


class Seq:
    def __init__(self, **by_method):
        self.by_method = by_method
        self.n = {}

    def __call__(self, method, q):
        lst = self.by_method.get(method) or self.by_method.get("*")
        if lst is None:
            return {}
        i = self.n.get(method, 0)
        self.n[method] = i + 1
        return {method: lst[min(i, len(lst) - 1)]}

    def describe(self):
        return [(m, "#%d" % (i + 1), r) for m, lst in self.by_method.items() for i, r in enumerate(lst)]


PF_ANY = (204, [ACAO_STAR, "Access-Control-Allow-Headers: *", "Access-Control-Allow-Methods: *"])
OK_STAR = ok(ACAO_STAR)


def hdr_probe(headers, method="GET", body=None):
    init = dict(headers=headers)
    if method != "GET":
        init["method"] = method
    if body is not None:
        init["body"] = body
    return dict(req=f(**init), resp={"r": {"OPTIONS": PF_ANY, "GET": OK_STAR, "POST": OK_STAR}})


def one_hdr(name, value):
    return hdr_probe({name: value})


A100 = "application/json, " + "x" * 82   # 100 bytes
A120 = "application/json, " + "x" * 102  # 120 bytes
REDIR_PUT_PF = (204, [ACAO_STAR, "Access-Control-Allow-Methods: PUT", "Access-Control-Allow-Headers: Content-Type"])

ROUND3 = {
    # O6: ACAO with VT/FF (not HTTP whitespace, so not trimmed)
    "s80": dict(desc="fetch GET; ACAO '*<VT>' (vertical tab after the star)", req=f(),
                resp={"r": {"GET": ok("Access-Control-Allow-Origin: *\x0b")}}),
    "s80b": dict(desc="fetch GET; ACAO '<page origin><FF>' (form feed after the origin)", req=f(),
                 resp={"r": {"GET": ok("Access-Control-Allow-Origin: {P}\x0c")}}),
    # P11: repeated safelisted names in fetch() (Headers.append keeps separate entries)
    "s81": dict(desc="fetch GET with two 'Accept' entries of 100 bytes each (combined 202 bytes, total < 1024)",
                **hdr_probe([["Accept", A100], ["Accept", A100]])),
    "s81b": dict(desc="fetch GET with nine 'Accept' entries of 120 bytes each (total 1080 > 1024)",
                 **hdr_probe([["Accept", A120]] * 9)),
    # P7 / P9 / P13: safelist edge values
    "s82": dict(desc="fetch POST Content-Type 'text/plain;garbage' (strict MIME parse ok)",
                **hdr_probe({"Content-Type": "text/plain;garbage"}, method="POST", body="x")),
    "s83": dict(desc="fetch POST Content-Type 'text /plain' (strict MIME parse fails)",
                **hdr_probe({"Content-Type": "text /plain"}, method="POST", body="x")),
    "s84": dict(desc="fetch GET Range 'bytes=200-100' (start > end)", **one_hdr("Range", "bytes=200-100")),
    # P14: Last-Event-ID and client hints
    "s85": dict(desc="fetch GET Last-Event-ID: abc123", **one_hdr("Last-Event-ID", "abc123")),
    "s86": dict(desc="fetch GET DPR: 2", **one_hdr("DPR", "2")),
    "s86b": dict(desc="fetch GET Save-Data: on", **one_hdr("Save-Data", "on")),
    "s86c": dict(desc="fetch GET Device-Memory: 8", **one_hdr("Device-Memory", "8")),
    "s86d": dict(desc="fetch GET Width: 100", **one_hdr("Width", "100")),
    "s86e": dict(desc="fetch GET Viewport-Width: 100", **one_hdr("Viewport-Width", "100")),
    "s86f": dict(desc="fetch GET RTT: 50", **one_hdr("RTT", "50")),
    "s86g": dict(desc="fetch GET Downlink: 10", **one_hdr("Downlink", "10")),
    "s86h": dict(desc="fetch GET ECT: 4g", **one_hdr("ECT", "4g")),
    # P17: forbidden request headers
    "s87": dict(desc="fetch GET with Date, DNT, Keep-Alive, Via, Expect, Access-Control-Request-Method/-Headers set by script",
                **hdr_probe({"Date": "Mon, 30 Nov 2026 00:00:00 GMT", "DNT": "1", "Keep-Alive": "timeout=5", "Via": "1.1 x",
                             "Expect": "100-continue", "Access-Control-Request-Method": "PUT",
                             "Access-Control-Request-Headers": "x-a"})),
    "s87b": dict(desc="fetch GET X-HTTP-Method-Override: TRACE", **one_hdr("X-HTTP-Method-Override", "TRACE")),
    "s87c": dict(desc="fetch GET X-HTTP-Method-Override: PUT (control)", **one_hdr("X-HTTP-Method-Override", "PUT")),
    # V1 / V2: preflight status
    "s88": dict(desc="fetch PUT; preflight status 299 (ACAO *, ACAM PUT)", req=f(method="PUT"),
                resp={"r": {"OPTIONS": (299, [ACAO_STAR, "Access-Control-Allow-Methods: PUT"], ""), "PUT": OK_STAR}}),
    "s89": dict(desc="fetch PUT; preflight status 680 (ACAO *, ACAM PUT)", req=f(method="PUT"),
                resp={"r": {"OPTIONS": (680, [ACAO_STAR, "Access-Control-Allow-Methods: PUT"], ""), "PUT": OK_STAR}}),
    # V15: ACAM parse failure on a GET preflighted for a header
    "s90": dict(desc="fetch GET X-Test; preflight ACAO *, ACAM 'Bad value', ACAH X-Test", req=f(headers={"X-Test": "1"}),
                resp={"r": {"OPTIONS": (204, [ACAO_STAR, "Access-Control-Allow-Methods: Bad value",
                                              "Access-Control-Allow-Headers: X-Test"]), "GET": OK_STAR}}),
    # V9 / V12: literal '*' method and header name with credentials
    "s91": dict(desc="fetch method '*' credentials include; preflight ACAO P, ACAC true, ACAM *",
                req=f(method="*", credentials="include"),
                resp={"r": {"OPTIONS": (204, ACAO_P_CRED + ["Access-Control-Allow-Methods: *"]),
                            "*": ok(*ACAO_P_CRED)}}),
    "s92": dict(desc="fetch GET credentials include with a header named '*'; preflight ACAO P, ACAC true, ACAH *",
                req=f(credentials="include", headers={"*": "1"}),
                resp={"r": {"OPTIONS": (204, ACAO_P_CRED + ["Access-Control-Allow-Headers: *"]),
                            "GET": ok(*ACAO_P_CRED)}}),
    # V14: two ACAM lines
    "s93": dict(desc="fetch PUT; preflight ACAO *, two lines 'ACAM: GET' and 'ACAM: PUT'", req=f(method="PUT"),
                resp={"r": {"OPTIONS": (204, [ACAO_STAR, "Access-Control-Allow-Methods: GET",
                                              "Access-Control-Allow-Methods: PUT"]), "PUT": OK_STAR}}),
    # K5: header entries merge (spec) or are replaced
    "s94": dict(desc="preflight cache per header: PUT+X-A (ACAH X-A, Max-Age 60), PUT+X-B (ACAH X-B), PUT+X-A again",
                req=steps(("PUT X-A", 0, f(method="PUT", headers={"X-A": "1"})),
                          ("PUT X-B", 300, f(method="PUT", headers={"X-B": "1"})),
                          ("PUT X-A again", 600, f(method="PUT", headers={"X-A": "1"}))),
                resp={"r": {"OPTIONS~x-a": (204, [ACAO_STAR, "Access-Control-Allow-Methods: PUT",
                                                  "Access-Control-Allow-Headers: X-A", "Access-Control-Max-Age: 60"]),
                            "OPTIONS~x-b": (204, [ACAO_STAR, "Access-Control-Allow-Methods: PUT",
                                                  "Access-Control-Allow-Headers: X-B", "Access-Control-Max-Age: 60"]),
                            "PUT": OK_STAR}}),
    # K12: a CORS failure of the actual response clears the entry
    "s95": dict(desc="preflight cache cleared by a failure: PUT (pf Max-Age 60) ok, PUT whose response lacks ACAO, PUT again",
                req=steps(("PUT #1", 0, f(method="PUT")), ("PUT #2 (fails)", 300, f(method="PUT")),
                          ("PUT #3", 600, f(method="PUT"))),
                resp={"r": Seq(OPTIONS=[(204, [ACAO_STAR, "Access-Control-Allow-Methods: PUT", "Access-Control-Max-Age: 60"])],
                               PUT=[OK_STAR, ok(), OK_STAR])}),
    "s94b": dict(desc="control for s94: PUT+X-A (ACAH X-A, Max-Age 60), then PUT+X-A again 300 ms later",
                 req=steps(("PUT X-A", 0, f(method="PUT", headers={"X-A": "1"})),
                           ("PUT X-A again", 300, f(method="PUT", headers={"X-A": "1"}))),
                 resp={"r": {"OPTIONS~x-a": (204, [ACAO_STAR, "Access-Control-Allow-Methods: PUT",
                                                   "Access-Control-Allow-Headers: X-A", "Access-Control-Max-Age: 60"]),
                             "PUT": OK_STAR}}),
    "s95b": dict(desc="control for s95: three PUTs (pf Max-Age 60), every response with ACAO *",
                 req=steps(("PUT #1", 0, f(method="PUT")), ("PUT #2", 300, f(method="PUT")),
                           ("PUT #3", 600, f(method="PUT"))),
                 resp={"r": {"OPTIONS": (204, [ACAO_STAR, "Access-Control-Allow-Methods: PUT", "Access-Control-Max-Age: 60"]),
                             "PUT": OK_STAR}}),
    # E3 / E4 / E5 / E6: Access-Control-Expose-Headers
    "s96": dict(desc="fetch GET include; ACAO P, ACAC true, ACEH *; headers '*: whoa', X-Test",
                req=dict(f(credentials="include"), get=["*", "x-test", "content-type"]),
                resp={"r": {"GET": ok(*ACAO_P_CRED, "Access-Control-Expose-Headers: *", "*: whoa", "X-Test: 1")}}),
    "s97": dict(desc="fetch GET; ACAO *, ACEH 'set-cookie,*'; headers Test, Set-Cookie, '*'",
                req=dict(f(), get=["test", "set-cookie", "*"]),
                resp={"r": {"GET": ok(ACAO_STAR, "Access-Control-Expose-Headers: set-cookie,*", "Test: X",
                                      "Set-Cookie: X=1", "*: whoa")}}),
    "s98": dict(desc="fetch GET; ACAO *, ACEH 'Set-Cookie2, X-A'; headers Set-Cookie2, X-A",
                req=dict(f(), get=["set-cookie2", "x-a"]),
                resp={"r": {"GET": ok(ACAO_STAR, "Access-Control-Expose-Headers: Set-Cookie2, X-A", "Set-Cookie2: a=1",
                                      "X-A: 1")}}),
    "s99": dict(desc="fetch GET; ACAO *, ACEH 'X-A, bad header' (parse failure); headers X-A, X-B",
                req=dict(f(), get=["x-a", "x-b"]),
                resp={"r": {"GET": ok(ACAO_STAR, "Access-Control-Expose-Headers: X-A, bad header", "X-A: 1", "X-B: 2")}}),
    "s99b": dict(desc="fetch GET; ACAO *, two ACEH lines 'X-A' and 'X-B'",
                 req=dict(f(), get=["x-a", "x-b"]),
                 resp={"r": {"GET": ok(ACAO_STAR, "Access-Control-Expose-Headers: X-A", "Access-Control-Expose-Headers: X-B",
                                       "X-A: 1", "X-B: 2")}}),
    "s99c": dict(desc="fetch GET; ACAO *, two ACEH lines 'X-A' and '@' (one line fails to parse)",
                 req=dict(f(), get=["x-a"]),
                 resp={"r": {"GET": ok(ACAO_STAR, "Access-Control-Expose-Headers: X-A", "Access-Control-Expose-Headers: @",
                                       "X-A: 1")}}),
    # R1: second hop (same API origin) lacks ACAO
    "s100": dict(desc="fetch GET A/r 302 (ACAO *) -> A/hop2 302 without ACAO -> A/final",
                 req=f(),
                 resp={"r": {"GET": (302, ["Location: {A}{K}/hop2", ACAO_STAR], "")},
                       "hop2": {"GET": (302, ["Location: {A}{K}/final"], "")},
                       "final": {"GET": OK_STAR}}),
    # R8 / R9 / R10: odd Location values
    "s101": dict(desc="fetch GET A 302 (ACAO *) Location data:,HI", req=f(),
                 resp={"r": {"GET": (302, ["Location: data:,HI", ACAO_STAR], "")}}),
    "s102": dict(desc="fetch GET A 302 (ACAO *) with an empty Location, redirect follow", req=f(),
                 resp={"r": {"GET": (302, ["Location:", ACAO_STAR], "")}}),
    "s102b": dict(desc="as s102 with redirect manual", req=f(redirect="manual"),
                  resp={"r": {"GET": (302, ["Location:", ACAO_STAR], "")}}),
    "s102c": dict(desc="fetch GET A 302 (ACAO *) Location 'http://[' (does not parse)", req=f(),
                  resp={"r": {"GET": (302, ["Location: http://[", ACAO_STAR], "")}}),
    "s103": dict(desc="fetch GET A 302 (ACAO *) without Location", req=f(),
                 resp={"r": {"GET": (302, [CT, ACAO_STAR], "moved")}}),
    # R13: redirect after a successful preflight
    "s104": dict(desc="fetch PUT A (pf ok) -> 307 (ACAO *) to B; B answers a preflight and the PUT",
                 req=f(method="PUT"),
                 resp={"r": {"OPTIONS": (204, [ACAO_STAR, "Access-Control-Allow-Methods: PUT"]),
                             "PUT": (307, ["Location: {B}{K}/final", ACAO_STAR], "")},
                       "final": {"OPTIONS": (204, [ACAO_STAR, "Access-Control-Allow-Methods: PUT"]), "PUT": OK_STAR}}),
    # R15: Authorization removed on a cross-origin redirect
    "s105": dict(desc="same-origin fetch GET with Authorization -> 302 to A; A allows Authorization on a preflight",
                 req=f("{P}{K}/r", headers={"Authorization": "Bearer secret"}),
                 resp={"r": {"GET": (302, ["Location: {A}{K}/final"], "")},
                       "final": {"OPTIONS": (204, [ACAO_STAR, "Access-Control-Allow-Headers: Authorization"]),
                                 "GET": OK_STAR}}),
    # R7: empty userinfo
    "s106": dict(desc="fetch GET A 302 (ACAO *) Location http://:@B/final", req=f(),
                 resp={"r": {"GET": (302, ["Location: http://:@{BP}{K}/final", ACAO_STAR], "")},
                       "final": {"GET": OK_STAR}}),
    # R17: no-cors with redirect 'error'
    "s107": dict(desc="fetch mode no-cors redirect error to A (A 302 to B)", req=f(mode="no-cors", redirect="error"),
                 resp=REDIR_B),
    # R12: 303 turns PUT into GET
    "s108": dict(desc="fetch PUT json A (pf ok) -> 303 (ACAO *) to B; B GET ACAO *",
                 req=f(**JSON_PUT),
                 resp={"r": {"OPTIONS": REDIR_PUT_PF, "PUT": (303, ["Location: {B}{K}/final", ACAO_STAR], "")},
                       "final": {"OPTIONS": REDIR_PUT_PF, "GET": OK_STAR, "PUT": OK_STAR}}),
    # R6: back to the page origin with ACAO *
    "s109": dict(desc="fetch GET A 302 (ACAO *) -> page origin /final with ACAO *", req=f(),
                 resp={"r": {"GET": (302, ["Location: {P}{K}/final", ACAO_STAR], "")},
                       "final": {"GET": OK_STAR}}),
    # P19: conditional request header
    "s110": dict(desc="XHR GET If-None-Match; preflight ACAO *, ACAH IF-NONE-MATCH; actual 304 with ACAO *",
                 req=x(headers={"If-None-Match": "\"v1\""}),
                 resp={"r": {"OPTIONS": (204, [ACAO_STAR, "Access-Control-Allow-Headers: IF-NONE-MATCH"]),
                             "GET": (304, [ACAO_STAR, "ETag: \"v1\""], "")}}),
    # H3: same-origin POST carries Origin
    "s111": dict(desc="same-origin fetch POST text body to the page origin", req=f("{P}{K}/r", method="POST", body="x"),
                 resp={"r": {"POST": ok()}}),
    # C13: credentialed CORS request answered 401
    "s112": dict(desc="fetch GET include; 401 WWW-Authenticate Basic, ACAO P, ACAC true",
                 req=f(credentials="include"),
                 resp={"r": {"GET": ok(*ACAO_P_CRED, 'WWW-Authenticate: Basic realm="probe"', status=401)}}),
    # ---- round 3, second batch: checks of corpus cases (Cases/wpt/) whose engine behaviour was only inferred ----
    "s113": dict(desc="preflight cache keyed by URL: PUT ?page=1, PUT ?page=2, PUT ?page=1 again (Max-Age 600)",
                 req=steps(("PUT page=1", 0, f("{A}{K}/r?page=1", method="PUT")),
                           ("PUT page=2", 300, f("{A}{K}/r?page=2", method="PUT")),
                           ("PUT page=1 again", 600, f("{A}{K}/r?page=1", method="PUT"))),
                 resp={"r": {"OPTIONS": (204, [ACAO_STAR, "Access-Control-Allow-Methods: PUT", "Access-Control-Max-Age: 600"]),
                             "PUT": OK_STAR}}),
    "s114": dict(desc="fetch GET; 302 without Location and without ACAO", req=f(),
                 resp={"r": {"GET": (302, [CT], "moved")}}),
    "s115": dict(desc="XHR GET with setRequestHeader Referer and User-Agent; preflight ACAO *, ACAH *",
                 req=x(headers={"Referer": "https://evil.example/", "User-Agent": "probe/1.0"}),
                 resp={"r": {"OPTIONS": PF_ANY, "GET": OK_STAR}}),
    "s116": dict(desc="fetch PUT; preflight status 300 without Location (ACAO *, ACAM PUT)", req=f(method="PUT"),
                 resp={"r": {"OPTIONS": (300, [ACAO_STAR, "Access-Control-Allow-Methods: PUT"], ""), "PUT": OK_STAR}}),
    "s117": dict(desc="same-origin XHR HEAD to the page origin", req=x("{P}{K}/r", method="HEAD"),
                 resp={"r": {"HEAD": ok()}}),
    "s118": dict(desc="fetch GET; ACAO page origin + '/dashboard'", req=f(),
                 resp={"r": {"GET": ok("Access-Control-Allow-Origin: {P}/dashboard")}}),
    "s119": dict(desc="XHR method FOO; preflight 200 without any CORS header", req=x(method="FOO"),
                 resp={"r": {"OPTIONS": ok("Allow: GET, HEAD, POST"), "FOO": ok(ACAO_STAR)}}),
    "s120": dict(desc="XHR GET; setRequestHeader X-Test twice ('t1', 't2'); preflight ACAO *, ACAH X-Test",
                 req=x(headers=[["X-Test", "t1"], ["x-test", "t2"]]),
                 resp={"r": {"OPTIONS": (204, [ACAO_STAR, "Access-Control-Allow-Headers: X-Test"]), "GET": OK_STAR}}),
    "s121": dict(desc="fetch GET Accept: 'application/json; profile=\"feed\"'", **one_hdr("Accept", 'application/json; profile="feed"')),
    "s121b": dict(desc="fetch GET Accept-Language: @; preflight ACAO *, ACAH X-Requested-With only", req=f(headers={"Accept-Language": "@"}),
                  resp={"r": {"OPTIONS": (204, [ACAO_STAR, "Access-Control-Allow-Headers: X-Requested-With"]), "GET": OK_STAR}}),
    "s122": dict(desc="fetch POST Content-Type 'text/plain; long=' + 112 a (129 bytes); preflight ACAO * only",
                 req=f(method="POST", headers={"Content-Type": "text/plain; long=" + "a" * 112}, body="x"),
                 resp={"r": {"OPTIONS": (204, [ACAO_STAR]), "POST": OK_STAR}}),
    "s123": dict(desc="XHR GET same-origin; response Set-Cookie, Set-Cookie2, X-Custom, Server",
                 req=dict(x("{P}{K}/r"), get=["set-cookie", "set-cookie2", "x-custom", "server"]),
                 resp={"r": {"GET": ok("Set-Cookie: sid=1; HttpOnly", "Set-Cookie2: old=1", "X-Custom: here", "Server: node")}}),
    "s124": dict(desc="XHR PUT; preflight 301 Location elsewhere with ACAO P, ACAM PUT", req=x(method="PUT", body="lamp"),
                 resp={"r": {"OPTIONS": (301, ["Location: {A}{K}/other", ACAO_P, "Access-Control-Allow-Methods: PUT"], ""),
                             "PUT": ok(ACAO_P)}}),
    "s125": dict(desc="fetch no-cors POST referrerPolicy no-referrer (which Origin is sent?)",
                 req=f(method="POST", mode="no-cors", referrerPolicy="no-referrer", body="event=view"),
                 resp={"r": {"POST": (204, [], "")}}),
    "s126": dict(desc="same-origin fetch method PURGE with X-Custom and Content-Type application/xml",
                 req=f("{P}{K}/r", method="PURGE", headers={"X-Custom": "1", "Content-Type": "application/xml"}, body="<purge/>"),
                 resp={"r": {"PURGE": ok("X-Purged: 1")}}),
    "s127": dict(desc="fetch no-cors POST with Content-Type application/json (dropped by the no-cors guard?)",
                 req=f(method="POST", mode="no-cors", headers={"Content-Type": "application/json"}, body='{"event":"view"}'),
                 resp={"r": {"OPTIONS": (500, [], ""), "POST": (204, [], "")}}),
    "s128": dict(desc="fetch DELETE; preflight ACAO *, ACAM 'Get, Delete'", req=f(method="DELETE"),
                 resp={"r": {"OPTIONS": (204, [ACAO_STAR, "Access-Control-Allow-Methods: Get, Delete"]), "DELETE": OK_STAR}}),
    "s129": dict(desc="fetch method SUPER with X-Test; preflight ACAO *, ACAM *, ACAH x-test", req=f(method="SUPER", headers={"X-Test": "1"}),
                 resp={"r": {"OPTIONS": (204, [ACAO_STAR, "Access-Control-Allow-Methods: *", "Access-Control-Allow-Headers: x-test"]),
                             "SUPER": OK_STAR}}),
    "s130": dict(desc="fetch GET include + Authorization; preflight ACAO P, ACAC true, ACAH *",
                 req=f(credentials="include", headers={"Authorization": "Bearer x"}),
                 resp={"r": {"OPTIONS": (204, ACAO_P_CRED + ["Access-Control-Allow-Headers: *"]), "GET": ok(*ACAO_P_CRED)}}),
    "s131": dict(desc="XHR GET; ACEH 'x-Foo', headers X-FOO and X-Test", req=dict(x(), get=["X-FOO", "x-foo", "x-test"]),
                 resp={"r": {"GET": ok(ACAO_STAR, "Access-Control-Expose-Headers: x-Foo", "X-FOO: BAR", "X-Test: 1")}}),
    "s132": dict(desc="fetch PUT; preflight 204 with an empty ACAO line and ACAM PUT", req=f(method="PUT", body="lamp"),
                 resp={"r": {"OPTIONS": (204, ["Access-Control-Allow-Origin:", "Access-Control-Allow-Methods: PUT"]), "PUT": ok(ACAO_P)}}),
    "s133": dict(desc="fetch GET; ACAO '<TAB><page origin><TAB>'", req=f(),
                 resp={"r": {"GET": ok("Access-Control-Allow-Origin:\t{P}\t")}}),
    "s134": dict(desc="XHR GET withCredentials; ACAO *, ACAC true", req=x(withCredentials=True),
                 resp={"r": {"GET": ok(ACAO_STAR, "Access-Control-Allow-Credentials: true")}}),
    "s135": dict(desc="XHR GET withCredentials; ACAO P, ACAC 'true,'", req=x(withCredentials=True),
                 resp={"r": {"GET": ok(ACAO_P, "Access-Control-Allow-Credentials: true,")}}),
}

ALL = dict(SCENARIOS, **ROUND2, **ROUND3)

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
      for (const [k, v] of (Array.isArray(r.headers) ? r.headers : Object.entries(r.headers))) xhr.setRequestHeader(k, v);
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

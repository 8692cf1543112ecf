import CORSCorpus
import CORSModel
import Foundation

/// The pages the mock server serves to a real browser: the runner (at a page origin, it runs that
/// origin's cases with real `fetch`/XHR exactly as each case describes and posts what the script
/// observed to `/__report`), the sandboxed frame for `page: "null"` cases, and the index.
/// The page script follows tools/engine-probe/scenarios.py, which ran in Chromium, Firefox and WebKitGTK.
enum RunnerPage {
    /// A case as the page script needs it: local URLs with a `{RUN}` placeholder, and the model's
    /// prediction per browser (outcome, status, readable headers) to compare with.
    static func caseJSON(_ c: Case, map: OriginMap) -> [String: Any] {
        let prefix = OriginMap.prefix(case: c.id, run: "{RUN}")
        let lengthKeys = MappedNetwork.keysScriptingLength(c)
        let steps: [[String: Any]] = c.steps.map { s in
            let r = s.request
            let url = map.localURL(r.url, prefix: prefix) ?? r.url.serialized
            let page = s.page.serialized
            return [
                "page": page, "pageLocal": page == "null" ? "null" : (map.localOrigin(page) ?? page),
                // The server adds Content-Length where the script has none; the comparison ignores it there.
                "scriptsLength": lengthKeys.contains(ScriptedServer.key(method: Method.normalize(r.method), url: r.url)),
                "after": s.after, "api": r.api.rawValue, "url": url, "method": r.method,
                "headers": r.headers.map { [$0.name, $0.rawValue] },
                "credentials": r.credentials.rawValue, "withCredentials": r.withCredentials, "mode": r.mode.rawValue,
                "redirect": r.redirect.rawValue, "body": r.body as Any, "uploadListener": r.uploadListener,
                "referrerPolicy": r.referrerPolicy.rawValue, "cache": r.cache.rawValue, "bodyStream": r.bodyIsStream,
            ]
        }
        var predicted: [String: Any] = [:]
        for b in Browser.defaultSet where c.applies(to: b) {
            predicted[b.rawValue] = Runner(browsers: [b]).run(c, browser: b).map { res -> [String: Any] in
                guard let f = res.result else { return ["outcome": "error"] }
                return ["outcome": f.outcome.rawValue, "status": f.status as Any, "exposed": f.exposed,
                        "reason": f.reason?.rawValue as Any, "caseError": f.caseError as Any]
            }
        }
        // A 401 with WWW-Authenticate can make a browser prompt for credentials (headless: wait forever).
        return ["id": c.id, "title": c.title, "page": c.steps.first?.page.serialized ?? "", "steps": steps, "predicted": predicted,
                "prompts": c.asksForLogin]
    }

    static func jsonText(_ object: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("null".utf8)
        // Safe inside <script>: no `</script>` or `<!--` can close it.
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "<", with: "\\u003c")
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func runner(origin: OriginMap.Entry, cases: [Case], map: OriginMap) -> String {
        let list = jsonText(cases.map { caseJSON($0, map: map) })
        let isNull = origin.origin == "null"
        return """
        <!doctype html><meta charset=utf-8><title>cors-harness runner — \(escape(origin.origin))</title>
        <link rel=icon href="data:,">
        <style>body{font:14px system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}.agree{background:#e6f4e6}.differ{background:#fbe3e3}</style>
        <h1>Runner for \(escape(origin.origin))</h1>
        <p>Page origin of these cases: <code>\(escape(origin.origin))</code>, served here as <code>\(escape(origin.local))</code>\(isNull ? " (each case runs in a sandboxed frame, whose origin is null)" : ""). Status: <b id=status>running</b></p>
        <table><thead><tr><th>case</th><th>step</th><th>observed</th><th>model (<span id=fam></span>)</th><th></th></tr></thead><tbody id=rows></tbody></table>
        <script>
        const CASES = \(list);
        const NULL_PAGE = \(isNull ? "true" : "false");
        // `?run=TOKEN` (cors-harness verify) names the run, so the server's records can be matched.
        const RUN = new URLSearchParams(location.search).get('run') || ('r' + Date.now().toString(36) + Math.random().toString(36).slice(2, 8));
        \(script)
        </script>
        """
    }

    /// The frame that runs one step of a case from that step's page origin (a sandboxed frame,
    /// `sandbox="allow-scripts"`, for `page: "null"`), posting what the script saw to the runner.
    static func frame(case c: Case, map: OriginMap) -> String {
        """
        <!doctype html><meta charset=utf-8><script>
        const C = \(jsonText(caseJSON(c, map: map)));
        \(stepScript)
        (async () => {
          const q = new URLSearchParams(location.search);
          const step = Number(q.get('step')), run = q.get('run');
          const observed = await doStep(C.steps[step], run);
          parent.postMessage({case: C.id, step: step, observed: observed}, '*');
        })();
        </script>
        """
    }

    static func index(map: OriginMap, cases: [Case]) -> String {
        var rows = ""
        for e in map.entries {
            let n = cases.filter { $0.steps.first?.page.serialized == e.origin }.count
            rows += "<tr><td><code>\(escape(e.origin))</code></td><td><code>\(escape(e.local))</code></td><td>"
            rows += n > 0 ? "<a href=\"\(escape(e.local))/__runner\">runner (\(n) case\(n == 1 ? "" : "s"))</a>" : ""
            rows += "</td></tr>\n"
        }
        return """
        <!doctype html><meta charset=utf-8><title>cors-harness serve</title><link rel=icon href="data:,">
        <style>body{font:14px system-ui,sans-serif;margin:1.5em}td,th{border:1px solid #ccc;padding:2px 6px}table{border-collapse:collapse}</style>
        <h1>cors-harness serve: \(cases.count) case\(cases.count == 1 ? "" : "s")</h1>
        <p>Each origin of the cases has its own loopback listener. Open a runner in the browser under test;
        it runs its cases with real fetch/XHR and posts what the script saw to <a href="/__reports">/__reports</a>.
        Every request received: <a href="/__requests">/__requests</a> (<code>?case=ID&amp;run=R</code>).</p>
        <table><tr><th>case origin</th><th>served as</th><th></th></tr>
        \(rows)</table>
        """
    }

    /// Runs one case's steps (fetch or XHR as the case says) and returns what the script observed.
    static let stepScript = #"""
    function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }
    function doXhr(s, url) {
      return new Promise((resolve) => {
        const out = {api: 'xhr', events: []};
        const xhr = new XMLHttpRequest();
        const fin = (ev) => {
          out.events.push(ev);
          if (ev !== 'loadend') return;
          out.outcome = out.events.indexOf('load') >= 0 ? 'resolved' : 'rejected';
          out.status = xhr.status;
          out.headers = xhr.getAllResponseHeaders().trim().split(/\r?\n/).filter((l) => l).map((l) => {
            const i = l.indexOf(':'); return [l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()];
          });
          resolve(out);
        };
        for (const ev of ['load', 'error', 'abort', 'timeout', 'loadend']) xhr.addEventListener(ev, () => fin(ev));
        if (s.uploadListener) xhr.upload.onprogress = () => {};
        try {
          xhr.open(s.method, url, true);
          xhr.withCredentials = s.withCredentials;
          xhr.timeout = 15000;
          for (const [k, v] of s.headers) xhr.setRequestHeader(k, v);
          xhr.send(s.body);
        } catch (e) {
          out.outcome = 'rejected'; out.threw = String(e); resolve(out);
        }
      });
    }
    async function doStep(s, run) {
      const url = s.url.split('{RUN}').join(run);
      if (s.api === 'xhr') return doXhr(s, url);
      const out = {api: 'fetch'};
      try {
        const init = {method: s.method, headers: s.headers, credentials: s.credentials, mode: s.mode,
                      redirect: s.redirect, referrerPolicy: s.referrerPolicy, cache: s.cache};
        if (s.body !== null && s.body !== undefined) init.body = s.body;
        if (s.bodyStream && init.body !== undefined) {
          // A ReadableStream body (fetch upload streaming) needs duplex: 'half'.
          const bytes = new TextEncoder().encode(init.body);
          init.body = new ReadableStream({start(c) { c.enqueue(bytes); c.close(); }});
          init.duplex = 'half';
        }
        const res = await fetch(url, init);
        out.outcome = 'resolved'; out.status = res.status; out.type = res.type;
        out.headers = []; res.headers.forEach((v, k) => out.headers.push([k, v]));
        try { await res.text(); } catch (e) { out.bodyError = String(e); }
      } catch (e) {
        out.outcome = 'rejected'; out.error = String(e);
      }
      return out;
    }
    """#

    static let script = stepScript + #"""
    function family() {
      const ua = navigator.userAgent;
      if (/Firefox\//.test(ua)) return 'firefox';
      if (/Edg\//.test(ua)) return 'edge';
      if (/Chrom(e|ium)\//.test(ua)) return 'chrome';
      if (/Safari\//.test(ua) || /AppleWebKit\//.test(ua)) return 'safari';
      return 'chrome';
    }
    function compare(C, i, obs, fam) {
      const p = ((C.predicted[fam] || [])[i]) || null;
      if (!p || p.outcome === 'error') return {predicted: p, agree: null, differences: []};
      if (obs.outcome !== 'resolved' && obs.outcome !== 'rejected') return {predicted: p, agree: null, differences: ['not observed: ' + obs.outcome]};
      const d = [];
      const resolved = p.outcome !== 'blocked';
      if ((obs.outcome === 'resolved') !== resolved) d.push('outcome: model ' + p.outcome + ', script ' + obs.outcome);
      if (resolved && obs.outcome === 'resolved' && p.status !== null && p.status !== obs.status) d.push('status: model ' + p.status + ', script ' + obs.status);
      if (resolved && obs.outcome === 'resolved') {
        // The server adds Content-Length when the case does not script it; a browser exposes it.
        const seen = (obs.headers || []).map((h) => h[0]).filter((n) => C.steps[i].scriptsLength || n !== 'content-length');
        const want = p.exposed.slice();
        const a = Array.from(new Set(seen)).sort().join(','), b = Array.from(new Set(want)).sort().join(',');
        if (a !== b) d.push('readable headers: model [' + b + '], script [' + a + ']');
      }
      return {predicted: p, agree: d.length === 0, differences: d};
    }
    // A step whose page is another origin runs in a frame served by that origin's listener
    // (a sandboxed frame, whose origin is null, for page "null").
    function stepInFrame(C, i, pageLocal) {
      return new Promise((resolve) => {
        const f = document.createElement('iframe');
        if (pageLocal === 'null') f.setAttribute('sandbox', 'allow-scripts');
        f.style.display = 'none';
        const timer = setTimeout(() => finish({outcome: 'frame-timeout'}), 60000);
        const finish = (o) => { clearTimeout(timer); window.removeEventListener('message', done); f.remove(); resolve(o); };
        const done = (ev) => {
          if (ev.source !== f.contentWindow || !ev.data || ev.data.case !== C.id || ev.data.step !== i) return;
          finish(ev.data.observed);
        };
        window.addEventListener('message', done);
        f.src = (pageLocal === 'null' ? '' : pageLocal) + '/__frame?case=' + encodeURIComponent(C.id) + '&step=' + i + '&run=' + RUN;
        document.body.appendChild(f);
      });
    }
    async function runCase(C, run) {
      const steps = [];
      for (let i = 0; i < C.steps.length; i++) {
        const s = C.steps[i];
        if (s.after > 0) await sleep(s.after * 1000);
        // A step that never settles (a browser prompting for WWW-Authenticate credentials, say) is
        // reported as not observed after 20 s, and the runner moves on.
        const step = s.pageLocal === location.origin ? doStep(s, run) : stepInFrame(C, i, s.pageLocal);
        steps.push(await Promise.race([step, sleep(20000).then(() => ({outcome: 'step-timeout'}))]));
      }
      return steps;
    }
    async function main() {
      const fam = family();
      document.getElementById('fam').textContent = fam;
      const rows = document.getElementById('rows');
      let agree = 0, differ = 0;
      const params = new URLSearchParams(location.search);
      for (const C of CASES) {
        const steps = C.prompts && !params.has('prompts')
          ? C.steps.map(() => ({outcome: 'not-run', why: 'a 401 with WWW-Authenticate makes the browser prompt; add ?prompts=1 to run it'}))
          : await runCase(C, RUN);
        const judged = steps.map((o, i) => Object.assign({observed: o}, compare(C, i, o, fam)));
        let requests = [];
        try { requests = await (await fetch('/__requests?case=' + encodeURIComponent(C.id) + '&run=' + RUN)).json(); } catch (e) {}
        const report = {case: C.id, run: RUN, page: C.page, browser: fam, userAgent: navigator.userAgent, steps: judged,
                        requests: requests.map((r) => ({method: r.method, target: r.target, headers: r.headers, status: r.status}))};
        await fetch('/__report', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(report)});
        judged.forEach((j, i) => {
          const tr = document.createElement('tr');
          tr.className = j.agree === false ? 'differ' : j.agree ? 'agree' : '';
          if (j.agree === false) differ++; else if (j.agree) agree++;
          const o = j.observed, p = j.predicted || {};
          tr.innerHTML = '<td></td><td></td><td></td><td></td><td></td>';
          tr.cells[0].textContent = C.id; tr.cells[1].textContent = String(i + 1);
          tr.cells[2].textContent = o.outcome + (o.outcome === 'resolved' ? ' ' + o.status + ' [' + (o.headers || []).map((h) => h[0]).join(', ') + ']' : '');
          tr.cells[3].textContent = (p.outcome || '?') + (p.reason ? ' (' + p.reason + ')' : '') + (p.status !== undefined && p.status !== null ? ' ' + p.status : '');
          tr.cells[4].textContent = j.differences.join('; ');
          rows.appendChild(tr);
        });
      }
      document.getElementById('status').textContent = 'done: ' + agree + ' agree, ' + differ + ' differ';
      document.title = 'done';
    }
    main();
    """#

    /// One line for the server's console per posted report.
    static func summary(_ report: [String: Any]) -> String {
        let id = report["case"] as? String ?? "?"
        let browser = report["browser"] as? String ?? "?"
        let steps = report["steps"] as? [[String: Any]] ?? []
        let parts = steps.enumerated().map { i, s -> String in
            let o = s["observed"] as? [String: Any] ?? [:]
            let outcome = o["outcome"] as? String ?? "?"
            let status = (o["status"] as? Int).map { " \($0)" } ?? ""
            let agree = s["agree"] as? Bool
            let verdict = agree == nil ? "" : agree! ? " (agrees with the model)" : " (DIFFERS: \((s["differences"] as? [String] ?? []).joined(separator: "; ")))"
            return (steps.count > 1 ? "step \(i + 1): " : "") + outcome + (outcome == "resolved" ? status : "") + verdict
        }
        return "report \(id) [\(browser)]: " + parts.joined(separator: ", ")
    }
}

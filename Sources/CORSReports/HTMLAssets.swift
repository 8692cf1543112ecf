/// The HTML report's inline stylesheet and script. The script never builds markup from data: it
/// creates elements and sets `textContent` and attributes, and links only to URLs it builds itself
/// (spec anchors, http(s) refs parsed with `URL`).
enum HTMLAssets {
    static let style = #"""
    :root { --fg:#1b1f24; --muted:#5b6570; --line:#d5d9de; --bg:#fff; --head:#f4f6f8;
      --pass-bg:#dcf3e2; --pass-fg:#0b5a1e; --fail-bg:#fde0de; --fail-fg:#8a0b0b; --error-bg:#fff0c0; --error-fg:#6a4700;
      --unchecked-bg:#eceff3; --unchecked-fg:#3f4751; --skip-fg:#666; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
    header#top { padding: 12px 16px 4px; border-bottom: 1px solid var(--line); }
    h1 { font-size: 20px; margin: 0 0 4px; }
    #headline { font-size: 16px; font-weight: 600; margin: 4px 0; }
    .good { color: var(--pass-fg); } .bad { color: var(--fail-fg); }
    .meta { color: var(--muted); margin: 4px 0 8px; overflow-wrap: anywhere; }
    code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
    table { border-collapse: collapse; }
    #engines { margin: 4px 0 8px; }
    #engines caption { text-align: left; color: var(--muted); font-size: 12px; }
    #engines th, #engines td { border: 1px solid var(--line); padding: 2px 8px; text-align: left; }
    #engines td:nth-child(n+3) { text-align: right; font-variant-numeric: tabular-nums; }
    #engines tr.all { font-weight: 600; }
    #controls { display: flex; flex-wrap: wrap; gap: 6px 12px; padding: 8px 16px; background: var(--head); border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 3; }
    fieldset { border: 1px solid var(--line); border-radius: 6px; padding: 2px 8px 4px; margin: 0; background: var(--bg); }
    legend { font-size: 11px; color: var(--muted); padding: 0 4px; }
    fieldset label { margin-right: 8px; white-space: nowrap; }
    #status { margin: 6px 16px; color: var(--muted); }
    #matrix-wrap { padding: 0 16px; }
    #matrix { width: 100%; table-layout: auto; }
    #matrix th, #matrix td { border: 1px solid var(--line); padding: 2px 4px; vertical-align: top; }
    #matrix thead th { background: var(--head); position: sticky; top: 0; text-align: center; }
    #matrix thead tr.rollup th, #matrix thead tr.rollup td { font-weight: 600; }
    #matrix .case-col { text-align: left; min-width: 18em; }
    #matrix thead .ver { font-weight: normal; font-size: 11px; color: var(--muted); }
    tr.group th, tr.group td { background: var(--head); }
    tr.group .suite { font-weight: 600; }
    tr.group .file { margin-left: 8px; color: var(--muted); font-family: ui-monospace, monospace; font-size: 12px; }
    td.roll { text-align: center; font-variant-numeric: tabular-nums; white-space: nowrap; }
    td.roll .badn { color: var(--fail-fg); font-weight: 600; margin-left: 4px; }
    .toggle { border: 0; background: none; cursor: pointer; font-size: 13px; padding: 0 4px; }
    .cid { font-family: ui-monospace, monospace; font-weight: 600; overflow-wrap: anywhere; }
    .title { color: var(--muted); font-size: 12.5px; font-weight: normal; overflow-wrap: anywhere; }
    .tag { display: inline-block; margin-left: 6px; padding: 0 5px; border-radius: 8px; font-size: 11px; background: #e6e9ee; color: #333; }
    .tag.div { background: #efe3ff; color: #4b1d8f; } .tag.unv { background: #fff0c0; color: #6a4700; }
    button.cell, span.cell { display: block; width: 100%; min-width: 7.5em; border: 1px solid transparent; border-radius: 4px; padding: 3px 4px; font: inherit; font-weight: 600; text-align: center; cursor: pointer; }
    button.cell:focus-visible { outline: 2px solid #1f6feb; outline-offset: 1px; }
    .cell .o { display: block; font-weight: normal; font-size: 11.5px; }
    .v-pass { background: var(--pass-bg); color: var(--pass-fg); border-color: #9fd8ad !important; }
    .v-fail { background: var(--fail-bg); color: var(--fail-fg); border-color: #f0a4a0 !important; }
    .v-error { background: var(--error-bg); color: var(--error-fg); border-color: #e2c25c !important; }
    .v-unchecked { background: var(--unchecked-bg); color: var(--unchecked-fg); }
    .v-skipped { background: repeating-linear-gradient(45deg, #f7f7f7, #f7f7f7 4px, #ebebeb 4px, #ebebeb 8px); color: var(--skip-fg); font-weight: normal; }
    fieldset label.v-pass, fieldset label.v-fail, fieldset label.v-error, fieldset label.v-unchecked, fieldset label.v-skipped { padding: 0 4px; border-radius: 4px; border: 1px solid transparent; }
    #pager { margin: 8px 16px 24px; display: flex; gap: 12px; align-items: center; }
    #detail { position: fixed; top: 0; right: 0; bottom: 0; width: min(56em, 60vw); overflow: auto; background: var(--bg); border-left: 2px solid var(--line); box-shadow: -4px 0 16px rgba(0,0,0,.12); padding: 10px 16px 40px; z-index: 5; }
    #detail h2 { margin: 4px 0; font-size: 18px; font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
    #detail h3 { margin: 14px 0 4px; font-size: 14px; border-bottom: 1px solid var(--line); }
    #detail h4 { margin: 8px 0 2px; font-size: 13px; }
    #detail .close { position: sticky; top: 0; float: right; z-index: 1; }
    #detail pre { background: #f6f8fa; border: 1px solid var(--line); border-radius: 4px; padding: 6px 8px; margin: 4px 0; white-space: pre-wrap; overflow-wrap: anywhere; }
    #detail pre.current { border-color: #1f6feb; }
    #detail .btabs { display: flex; flex-wrap: wrap; gap: 4px; margin: 8px 0; }
    #detail .btabs button.cell { width: auto; display: inline-block; }
    #detail .btabs button.current { outline: 2px solid #1f6feb; }
    #detail table.exp { width: 100%; table-layout: fixed; margin: 4px 0; }
    #detail table.exp th, #detail table.exp td { border: 1px solid var(--line); padding: 2px 6px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
    #detail table.exp th:first-child { width: 7.5em; overflow-wrap: normal; white-space: nowrap; }
    #detail table.exp pre { margin: 0; padding: 2px 4px; border: 0; background: transparent; }
    #detail table.exp td.differs { background: var(--fail-bg); }
    #detail ol.trace { padding-left: 2em; margin: 4px 0; }
    #detail ol.trace a, #detail ol.trace code.anchor { font-family: ui-monospace, monospace; font-size: 12px; margin-right: 6px; }
    #detail .badge { font-size: 11px; padding: 0 5px; border-radius: 8px; background: #e6e9ee; margin-left: 6px; }
    #detail .stepbox { border-top: 3px solid var(--line); margin-top: 12px; }
    .empty { color: var(--muted); font-style: italic; }
    @media (max-width: 800px) { #detail { width: 100vw; } }
    """#

    static let script = #"""
    (() => {
    "use strict";
    const $ = (s) => document.querySelector(s);
    const D = JSON.parse($("#report-data").textContent);
    const B = D.browsers;
    const V = ["pass", "fail", "error", "unchecked", "skipped"];
    const SYM = { pass: "✓", fail: "✗", error: "⚠", unchecked: "○", skipped: "–" };
    const WORD = { pass: "pass", fail: "FAIL", error: "ERROR", unchecked: "unchecked", skipped: "skip" };
    const SPEC = { fetch: "https://fetch.spec.whatwg.org/#", xhr: "https://xhr.spec.whatwg.org/#",
      html: "https://html.spec.whatwg.org/multipage/#", url: "https://url.spec.whatwg.org/#", infra: "https://infra.spec.whatwg.org/#" };
    const CTRL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
    // Control characters become a visible \xNN; text goes into the page only as text nodes.
    const vis = (s) => String(s).replace(CTRL, (c) => "\\x" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"));

    function h(tag, props, ...kids) {
      const e = document.createElement(tag);
      if (props) for (const k of Object.keys(props)) {
        const v = props[k];
        if (v === null || v === undefined || v === false) continue;
        if (k === "class") e.className = v;
        else if (k === "dataset") Object.assign(e.dataset, v);
        else e.setAttribute(k, v === true ? "" : String(v));
      }
      for (const k of kids.flat(2)) {
        if (k === null || k === undefined || k === false) continue;
        e.append(typeof k === "object" ? k : document.createTextNode(vis(k)));
      }
      return e;
    }

    function specLink(anchor) {
      const m = /^([a-z]+)#([A-Za-z0-9._:%-]+)$/.exec(anchor);
      if (m && SPEC[m[1]]) return h("a", { href: SPEC[m[1]] + m[2], rel: "noreferrer noopener", target: "_blank", class: "anchor" }, anchor);
      return h("code", { class: "anchor" }, anchor);
    }
    function refNode(ref) {
      if (/^[a-z]+#[A-Za-z0-9._:%-]+$/.test(ref)) return specLink(ref);
      const wpt = /^wpt:\s*([A-Za-z0-9._\/-]+)$/.exec(ref);
      if (wpt) return h("a", { href: "https://wpt.fyi/results/" + wpt[1].replace(/^\/+/, ""), rel: "noreferrer noopener", target: "_blank" }, ref);
      if (/^https?:\/\/\S+$/.test(ref)) {
        try { const u = new URL(ref); if (u.protocol === "https:" || u.protocol === "http:") return h("a", { href: u.href, rel: "noreferrer noopener", target: "_blank" }, ref); } catch (_) { /* text */ }
      }
      return h("span", null, ref);
    }

    // A case's detail holds indices into D.strings; hydrate() swaps them for the strings, once.
    const T = D.strings;
    const t = (i) => (i === null || i === undefined ? null : T[i]);
    const ts = (a) => a.map((i) => T[i]);
    function hydrate(c) {
      if (c._h) return c;
      c._h = true;
      for (const r of c.results) {
        r.v = t(r.v); r.o = t(r.o); r.stage = t(r.stage); r.reason = t(r.reason); r.rt = t(r.rt); r.page = t(r.page);
        r.exposed = ts(r.exposed);
        r.req = r.req.map((q) => ({ m: t(q.m), u: t(q.u), h: ts(q.h), p: q.p }));
        r.resp = r.resp.map((p) => ({ s: p.s, h: ts(p.h) }));
        r.msg = ts(r.msg);
        r.tr = r.tr.map(([a, x]) => [t(a), t(x)]);
        for (const k of ["outcome", "stage", "reason"]) if (k in r.exp) r.exp[k] = t(r.exp[k]);
        for (const k of ["exposed", "requests", "messages"]) if (k in r.exp) r.exp[k] = ts(r.exp[k]);
        r.diff = ts(r.diff);
      }
      for (const st of c.steps) {
        st.page = t(st.page);
        const q = st.request;
        Object.assign(q, { api: t(q.api), method: t(q.method), url: t(q.url), headers: ts(q.headers), credentials: t(q.credentials),
          mode: t(q.mode), redirect: t(q.redirect), body: t(q.body) });
      }
      for (const e of c.server) {
        e.key = t(e.key);
        for (const p of e.responses) { p.headers = ts(p.headers); p.body = t(p.body); }
      }
      return c;
    }

    D.cases.forEach((c, i) => { c._i = i; });
    const browserIndex = new Map(B.map((b, i) => [b.name, i]));
    const S = { browsers: new Set(B.map((_, i) => i)), verdicts: new Set(V), outcome: "", disagree: false, divergence: false,
      text: "", page: 0, size: 200, collapsed: new Set() };
    let ITEMS = [], ROLL = [], TOTAL = null, MATCHED = 0;

    function hay(c) {
      if (c._hay === undefined) {
        hydrate(c);
        const parts = [c.id, c.title, c.file, D.groups[c.g].suite, c.divergence || "", c.notes || "", c.verifiedNote || ""].concat(c.refs || []);
        for (const r of c.results) { parts.push(r.reason || "", r.o || ""); parts.push(...r.msg, ...r.diff); }
        c._hay = parts.join("\n").toLowerCase();
      }
      return c._hay;
    }
    function matches(c) {
      if (S.divergence && !c.divergence) return false;
      if (S.text && !hay(c).includes(S.text)) return false;
      let any = false;
      const outs = new Set();
      for (const bi of S.browsers) {
        const cell = c.cells[bi];
        if (!cell) continue;
        if (S.verdicts.has(cell.v) && (!S.outcome || cell.o === S.outcome)) any = true;
        if (cell.v !== "skipped" && cell.v !== "error") outs.add(cell.o);
      }
      return any && (!S.disagree || outs.size > 1);
    }
    const zero = () => ({ pass: 0, fail: 0, error: 0, unchecked: 0, skipped: 0 });

    function applyFilters() {
      const t0 = performance.now();
      ITEMS = []; ROLL = D.groups.map(() => B.map(zero)); TOTAL = B.map(zero); MATCHED = 0;
      // One page slot per matching case; a collapsed file takes one slot for all its cases.
      let g = -1;
      for (const c of D.cases) {
        if (!matches(c)) continue;
        MATCHED++;
        if (c.g !== g) { g = c.g; if (S.collapsed.has(g)) ITEMS.push({ g }); }
        if (!S.collapsed.has(g)) ITEMS.push({ c });
        c.cells.forEach((cell, bi) => { if (cell) { ROLL[g][bi][cell.v]++; TOTAL[bi][cell.v]++; } });
      }
      const pages = Math.max(1, Math.ceil(ITEMS.length / S.size));
      if (S.page >= pages) S.page = pages - 1;
      render(t0);
    }

    function rollCell(r, tag) {
      const applicable = r.pass + r.fail + r.error + r.unchecked;
      const bad = r.fail + r.error;
      const ratio = applicable ? r.pass / applicable : 1;
      const td = h(tag, { class: "roll", title: `${r.pass} pass, ${r.fail} fail, ${r.error} error, ${r.unchecked} unchecked, ${r.skipped} skipped` },
        `${r.pass} / ${applicable}`, bad ? h("span", { class: "badn" }, `✗ ${bad}`) : null);
      if (applicable) td.style.backgroundColor = `hsl(${Math.round(ratio * 120)}, 70%, ${bad ? 88 : 90}%)`;
      return td;
    }
    function cellButton(c, bi) {
      const cell = c.cells[bi];
      if (!cell) return h("span", { class: "cell none" }, "—");
      const first = cell.r.map((k) => c.results[k]).find((r) => r.diff.length);
      return h("button", { type: "button", class: "cell v-" + cell.v, dataset: { i: c._i, b: bi },
          title: first ? vis(first.diff[0]) : `${B[bi].displayName}: ${cell.v}${cell.o ? " (" + cell.o + ")" : ""}`,
          "aria-label": `${c.id}, ${B[bi].displayName}: ${cell.v}${cell.o ? ", " + cell.o : ""}` },
        h("span", { class: "sym", "aria-hidden": "true" }, SYM[cell.v] || "?"), " ", WORD[cell.v] || cell.v,
        cell.o ? h("span", { class: "o" }, cell.o) : null);
    }
    function caseRow(c, bs) {
      hydrate(c);
      return h("tr", { class: "case", dataset: { case: c.id } },
        h("th", { scope: "row", class: "case-col" },
          h("span", { class: "cid" }, c.id),
          c.n > 1 ? h("span", { class: "tag" }, `${c.n} steps`) : null,
          c.divergence ? h("span", { class: "tag div", title: vis(c.divergence) }, "◆ divergence") : null,
          c.verified === false ? h("span", { class: "tag unv", title: vis(c.verifiedNote || "not yet checked in a real engine") }, "unverified") : null,
          h("div", { class: "title" }, c.title)),
        bs.map((bi) => h("td", null, cellButton(c, bi))));
    }
    function groupRow(g, bs, continued) {
      const G = D.groups[g];
      const open = !S.collapsed.has(g);
      return h("tr", { class: "group", dataset: { g } },
        h("th", { scope: "rowgroup", class: "case-col" },
          h("button", { type: "button", class: "toggle", dataset: { g }, "aria-expanded": String(open), title: open ? "collapse" : "expand" }, open ? "▾" : "▸"),
          h("span", { class: "suite" }, G.suite), h("span", { class: "file" }, G.file), continued ? h("span", { class: "title" }, " (continued)") : null),
        bs.map((bi) => rollCell(ROLL[g][bi], "td")));
    }

    function render(t0) {
      const bs = [...S.browsers].sort((a, b) => a - b);
      $("#matrix thead").replaceChildren(
        h("tr", null, h("th", { scope: "col", class: "case-col" }, "Case"),
          bs.map((bi) => h("th", { scope: "col", title: B[bi].modelledVersion }, B[bi].displayName, h("div", { class: "ver" }, B[bi].engine)))),
        h("tr", { class: "rollup" }, h("th", { scope: "row", class: "case-col" }, `All matching cases (${MATCHED})`), bs.map((bi) => rollCell(TOTAL[bi], "td"))));
      const start = S.page * S.size;
      const slice = ITEMS.slice(start, start + S.size);
      const rows = [];
      let g = -1;
      for (const [k, it] of slice.entries()) {
        const ig = it.c ? it.c.g : it.g;
        if (ig !== g) {
          g = ig;
          const continued = k === 0 && start > 0 && (ITEMS[start - 1].c ? ITEMS[start - 1].c.g : ITEMS[start - 1].g) === g;
          rows.push(groupRow(g, bs, continued));
        }
        if (it.c) rows.push(caseRow(it.c, bs));
      }
      $("#matrix tbody").replaceChildren(...rows);
      const pages = Math.max(1, Math.ceil(ITEMS.length / S.size));
      const shown = slice.filter((it) => it.c).length;
      $("#status").textContent = MATCHED === 0
        ? `No case matches the filters (${D.cases.length} cases in all).`
        : `${MATCHED} of ${D.cases.length} cases match; showing ${shown} on page ${S.page + 1} of ${pages}.`;
      $("#page-info").textContent = `page ${S.page + 1} of ${pages}`;
      $("#page-prev").disabled = S.page === 0;
      $("#page-next").disabled = S.page >= pages - 1;
      const body = document.body;
      body.dataset.matched = String(MATCHED);
      body.dataset.shown = String(shown);
      body.dataset.renderMs = String(Math.round(performance.now() - t0));
      body.dataset.ready = "1";
    }

    // ---- Detail view --------------------------------------------------------------------------
    const lines = (xs, empty) => xs.length ? h("pre", null, xs.join("\n")) : h("p", { class: "empty" }, empty);
    const show = (v) => v === undefined || v === null ? "—" : Array.isArray(v) ? (v.length ? v.join("\n") : "[]") : String(v);
    const ACTUAL = { outcome: (r) => r.o, stage: (r) => r.stage, reason: (r) => r.reason, preflight: (r) => r.pf, status: (r) => r.status,
      exposed: (r) => r.exposed, requests: (r) => r.req.map((q) => q.m + " " + q.u), messages: (r) => r.msg };

    function scriptLine(rq) {
      if (!rq) return null;
      const opts = [];
      if (rq.api === "xhr") {
        const parts = [`xhr.open(${JSON.stringify(rq.method)}, ${JSON.stringify(rq.url)})`];
        if (rq.withCredentials) parts.push("xhr.withCredentials = true");
        if (rq.uploadListener) parts.push("xhr.upload.onprogress = …");
        for (const hd of rq.headers) { const k = hd.indexOf(":"); parts.push(`xhr.setRequestHeader(${JSON.stringify(hd.slice(0, k))}, ${JSON.stringify(hd.slice(k + 1).replace(/^ /, ""))})`); }
        parts.push(`xhr.send(${rq.body === null ? "" : JSON.stringify(rq.body)})`);
        return h("pre", null, parts.join("\n"));
      }
      if (rq.method !== "GET") opts.push(`method: ${JSON.stringify(rq.method)}`);
      if (rq.credentials !== "same-origin") opts.push(`credentials: ${JSON.stringify(rq.credentials)}`);
      if (rq.mode !== "cors") opts.push(`mode: ${JSON.stringify(rq.mode)}`);
      if (rq.redirect !== "follow") opts.push(`redirect: ${JSON.stringify(rq.redirect)}`);
      if (rq.headers.length) opts.push("headers: [" + rq.headers.map((x) => { const k = x.indexOf(":"); return `[${JSON.stringify(x.slice(0, k))}, ${JSON.stringify(x.slice(k + 1).replace(/^ /, ""))}]`; }).join(", ") + "]");
      if (rq.body !== null) opts.push(`body: ${JSON.stringify(rq.body)}`);
      return h("pre", null, `fetch(${JSON.stringify(rq.url)}${opts.length ? ", { " + opts.join(", ") + " }" : ""})`);
    }

    function expectationTable(r) {
      const keys = Object.keys(r.exp);
      if (!keys.length) return h("p", { class: "empty" }, "The case states no expectation for this browser.");
      return h("table", { class: "exp" },
        h("tr", null, h("th", null, "field"), h("th", null, "expected"), h("th", null, "model")),
        keys.map((k) => {
          const want = show(r.exp[k]);
          const got = show(ACTUAL[k] ? ACTUAL[k](r) : undefined);
          const differs = r.diff.some((d) => d.startsWith(k + ":"));
          return h("tr", null, h("th", null, k), h("td", { class: differs ? "differs" : null }, h("pre", null, want)), h("td", { class: differs ? "differs" : null }, h("pre", null, got)));
        }));
    }

    function stepSection(c, bi, s) {
      const cell = c.cells[bi];
      const r = c.results[cell.r[s]];
      const info = c.steps[s];
      const out = [];
      if (c.n > 1) out.push(h("h3", null, `Step ${s + 1} of ${c.n}`, info && info.after ? ` (after ${info.after} s)` : ""));
      if (!r) { out.push(h("p", { class: "empty" }, "No result for this step.")); return h("section", { class: "stepbox" }, out); }
      out.push(h("p", null, h("strong", { class: "cell-word" }, `${SYM[r.v] || ""} ${WORD[r.v] || r.v}`),
        r.o ? ` — outcome ${r.o}` : "", r.stage ? `, stage ${r.stage}` : "", r.reason ? `, reason ${r.reason}` : "",
        r.status !== null ? `, status ${r.status}` : "", r.rt ? `, response type ${r.rt}` : "", ` — page ${r.page}`, h("span", { class: "badge" }, `${c.file}:${r.line}`)));
      out.push(h("h4", null, "Expectation difference"));
      out.push(r.diff.length ? h("pre", { class: "diff" }, r.diff.join("\n")) : h("p", { class: "empty" }, r.v === "skipped" ? "Not evaluated: the case does not apply to this browser." : "None."));
      if (r.v !== "skipped") out.push(expectationTable(r));
      if (info) { out.push(h("h4", null, "The script")); out.push(scriptLine(info.request)); }
      out.push(h("h4", null, "Requests the browser sends"));
      if (!r.req.length) out.push(h("p", { class: "empty" }, "None."));
      r.req.forEach((q, k) => {
        out.push(h("pre", { class: "req" }, [`→ ${q.m} ${q.u}`, ...q.h].join("\n")));
        if (q.p) out[out.length - 1].prepend(h("span", { class: "badge" }, "preflight"), "\n");
        const p = r.resp[k];
        if (p) out.push(h("pre", { class: "resp" }, [`← ${p.s}`, ...p.h].join("\n")));
      });
      out.push(h("h4", null, "Algorithm steps"));
      out.push(r.tr.length ? h("ol", { class: "trace" }, r.tr.map(([a, t]) => h("li", null, specLink(a), t))) : h("p", { class: "empty" }, "No trace recorded."));
      out.push(h("h4", null, "Console messages, per browser"));
      B.forEach((b, j) => {
        const other = c.cells[j];
        if (!other || !S.browsers.has(j) && j !== bi) return;
        const rr = c.results[other.r[s]];
        out.push(h("div", { class: "console", dataset: { browser: b.name } },
          h("strong", null, b.displayName), j === bi ? " (this cell)" : "",
          !rr || rr.v === "skipped" ? h("p", { class: "empty" }, "Does not apply.")
            : rr.msg.length ? h("pre", { class: j === bi ? "current" : null }, rr.msg.join("\n")) : h("p", { class: "empty" }, "Prints nothing.")));
      });
      return h("section", { class: "stepbox" }, out);
    }

    function openDetail(i, bi) {
      const c = D.cases[i];
      if (!c || !c.cells[bi]) return;
      hydrate(c);
      const panel = $("#detail");
      const parts = [h("button", { type: "button", class: "close", id: "detail-close", "aria-label": "Close detail" }, "✕ close")];
      parts.push(h("h2", null, c.id), h("p", null, c.title));
      parts.push(h("p", { class: "meta" }, D.groups[c.g].suite, " · ", h("code", null, `${c.file}:${c.line}`),
        c.applies ? ` · applies to ${c.applies.join(", ")}` : "", c.verified === false ? " · unverified" : ""));
      if (c.divergence) parts.push(h("p", null, h("span", { class: "tag div" }, "◆ divergence"), " ", c.divergence));
      if (c.verified === false && c.verifiedNote) parts.push(h("p", null, h("span", { class: "tag unv" }, "unverified"), " ", c.verifiedNote));
      if (c.notes) parts.push(h("p", { class: "notes" }, c.notes));
      if (c.refs && c.refs.length) parts.push(h("p", null, "Refs: ", c.refs.map((ref, k) => [k ? ", " : "", refNode(ref)])));
      parts.push(h("nav", { class: "btabs", "aria-label": "Browser" }, B.map((b, j) => {
        const cl = c.cells[j];
        return cl ? h("button", { type: "button", class: "cell v-" + cl.v + (j === bi ? " current" : ""), dataset: { i, b: j }, "aria-pressed": String(j === bi) },
          `${SYM[cl.v] || ""} ${b.displayName}`) : null;
      })));
      for (let s = 0; s < c.n; s++) parts.push(stepSection(c, bi, s));
      parts.push(h("h3", null, "Scripted responses"));
      if (!c.server.length) parts.push(h("p", { class: "empty" }, "Not in this report."));
      for (const e of c.server) {
        parts.push(h("h4", { class: "mono" }, e.key));
        e.responses.forEach((p, k) => parts.push(h("pre", { class: "scripted" },
          [(e.responses.length > 1 ? `#${k + 1}: ` : "") + String(p.status), ...p.headers, ...(p.body !== null ? ["", p.body] : [])].join("\n"))));
      }
      panel.replaceChildren(...parts);
      panel.dataset.case = c.id;
      panel.dataset.browser = B[bi].name;
      panel.dataset.i = String(i);
      panel.dataset.b = String(bi);
      panel.hidden = false;
      panel.scrollTop = 0;
      $("#detail-close").focus();
      setHash("#case=" + encodeURIComponent(c.id) + "&browser=" + encodeURIComponent(B[bi].name));
    }
    // The address keeps the open cell (a link to it reopens it), updated once the user settles.
    let hashTimer = 0;
    function setHash(h) {
      clearTimeout(hashTimer);
      hashTimer = setTimeout(() => { try { history.replaceState(null, "", h || location.pathname + location.search); } catch (_) { /* file: URL */ } }, 300);
    }
    function closeDetail() {
      const panel = $("#detail");
      if (panel.hidden) return;
      panel.hidden = true;
      setHash("");
      const back = document.querySelector(`#matrix button.cell[data-i="${panel.dataset.i}"][data-b="${panel.dataset.b}"]`);
      if (back) back.focus();
    }

    // ---- Wiring -------------------------------------------------------------------------------
    $("#matrix").addEventListener("click", (ev) => {
      const t = ev.target.closest("button");
      if (!t) return;
      if (t.classList.contains("cell")) openDetail(+t.dataset.i, +t.dataset.b);
      else if (t.classList.contains("toggle")) {
        const g = +t.dataset.g;
        if (S.collapsed.has(g)) S.collapsed.delete(g); else S.collapsed.add(g);
        applyFilters();
      }
    });
    $("#detail").addEventListener("click", (ev) => {
      const t = ev.target.closest("button");
      if (!t) return;
      if (t.id === "detail-close") closeDetail();
      else if (t.classList.contains("cell")) openDetail(+t.dataset.i, +t.dataset.b);
    });
    document.addEventListener("keydown", (ev) => { if (ev.key === "Escape") closeDetail(); });
    const refilter = () => { S.page = 0; applyFilters(); };
    for (const box of document.querySelectorAll('input[name="browser"]')) box.addEventListener("change", () => {
      const bi = browserIndex.get(box.value);
      if (box.checked) S.browsers.add(bi); else S.browsers.delete(bi);
      refilter();
    });
    for (const box of document.querySelectorAll('input[name="verdict"]')) box.addEventListener("change", () => {
      if (box.checked) S.verdicts.add(box.value); else S.verdicts.delete(box.value);
      refilter();
    });
    $("#f-failing").addEventListener("click", () => {
      for (const box of document.querySelectorAll('input[name="verdict"]')) box.checked = box.value === "fail" || box.value === "error";
      S.verdicts = new Set(["fail", "error"]);
      refilter();
    });
    $("#f-outcome").addEventListener("change", (ev) => { S.outcome = ev.target.value; refilter(); });
    $("#f-disagree").addEventListener("change", (ev) => { S.disagree = ev.target.checked; refilter(); });
    $("#f-divergence").addEventListener("change", (ev) => { S.divergence = ev.target.checked; refilter(); });
    let timer = 0;
    const search = () => { clearTimeout(timer); const q = $("#f-text").value.trim().toLowerCase(); if (q !== S.text) { S.text = q; refilter(); } };
    $("#f-text").addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, 150); });
    $("#f-text").addEventListener("change", search);
    $("#f-reset").addEventListener("click", () => {
      for (const box of document.querySelectorAll('#controls input[type="checkbox"]')) box.checked = box.name === "browser" || box.name === "verdict";
      $("#f-text").value = ""; $("#f-outcome").value = "";
      Object.assign(S, { browsers: new Set(B.map((_, i) => i)), verdicts: new Set(V), outcome: "", disagree: false, divergence: false, text: "" });
      refilter();
    });
    $("#page-prev").addEventListener("click", () => { if (S.page > 0) { S.page--; applyFilters(); } });
    $("#page-next").addEventListener("click", () => { S.page++; applyFilters(); });
    $("#page-size").addEventListener("change", (ev) => { S.size = +ev.target.value || 200; refilter(); });

    applyFilters();
    const m = /^#case=([^&]*)&browser=(.*)$/.exec(location.hash);
    if (m) {
      const i = D.cases.findIndex((c) => c.id === decodeURIComponent(m[1]));
      const bi = browserIndex.get(decodeURIComponent(m[2]));
      if (i >= 0 && bi !== undefined) openDetail(i, bi);
    }
    })();
    """#
}

// The query page: a SPARQL editor (CodeMirror), results as a table with linked IRIs, timing,
// downloads, and the query kept in the URL so that it can be shared.
(function () {
  const textarea = document.getElementById("query");
  const editor = window.CodeMirror ? CodeMirror.fromTextArea(textarea, { mode: "application/sparql-query", lineNumbers: true }) : null;
  const text = () => (editor ? editor.getValue() : textarea.value);
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const ID = "https://w3id.org/dipkg/";

  function link(iri) {
    const a = document.createElement("a");
    a.href = iri.startsWith(ID) ? "/resource?iri=" + encodeURIComponent(iri) : iri;
    a.textContent = iri.startsWith(ID) ? iri.slice(ID.length) : iri;
    if (!/^https?:\/\//.test(iri)) { const s = document.createElement("span"); s.textContent = iri; return s; }
    return a;
  }

  function render(json, truncated) {
    results.replaceChildren();
    if (typeof json.boolean === "boolean") { results.textContent = json.boolean ? "true" : "false"; return; }
    const vars = json.head.vars, rows = json.results.bindings;
    const table = document.createElement("table");
    const head = table.createTHead().insertRow();
    vars.forEach((v) => { const th = document.createElement("th"); th.textContent = v; head.appendChild(th); });
    const body = table.createTBody();
    rows.forEach((b) => {
      const tr = body.insertRow();
      vars.forEach((v) => {
        const td = tr.insertCell(); const t = b[v];
        if (!t) return;
        if (t.type === "uri") td.appendChild(link(t.value)); else td.textContent = t.value;
      });
    });
    results.appendChild(table);
    if (truncated) { const p = document.createElement("p"); p.className = "truncated"; p.textContent = "The result was cut at the row cap."; results.appendChild(p); }
  }

  function downloads() {
    const q = encodeURIComponent(text());
    document.getElementById("dl-csv").href = "/sparql?query=" + q + "&format=csv";
    document.getElementById("dl-json").href = "/sparql?query=" + q;
  }

  async function run(push) {
    const q = text();
    downloads();
    if (push) history.replaceState(null, "", "/?query=" + encodeURIComponent(q));
    status.className = "status"; status.textContent = "running…";
    const t0 = performance.now();
    try {
      const resp = await fetch("/sparql", { method: "POST", headers: { "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json" }, body: q });
      const ms = Math.round(performance.now() - t0);
      if (!resp.ok) { status.className = "status error"; status.textContent = resp.status + ": " + (await resp.text()).slice(0, 400); results.replaceChildren(); return; }
      const type = resp.headers.get("Content-Type") || "";
      if (type.includes("json")) {
        const json = await resp.json();
        render(json, resp.headers.get("X-KG-Truncated"));
        const n = json.results ? json.results.bindings.length : 1;
        status.textContent = n + " result" + (n === 1 ? "" : "s") + " in " + ms + " ms";
      } else {
        const pre = document.createElement("pre"); pre.textContent = await resp.text(); results.replaceChildren(pre);
        status.textContent = "graph result in " + ms + " ms";
      }
    } catch (e) { status.className = "status error"; status.textContent = String(e); }
  }

  document.getElementById("query-form").addEventListener("submit", (ev) => { ev.preventDefault(); run(true); });
  document.querySelectorAll("a.example").forEach((a) => a.addEventListener("click", (ev) => {
    ev.preventDefault();
    const q = new URL(a.href).searchParams.get("query");
    if (editor) editor.setValue(q); else textarea.value = q;
    run(true);
  }));
  if (new URLSearchParams(location.search).get("query")) run(false); else downloads();
})();

// The graph page: the actors and their alignments drawn with Cytoscape.js; filters; details on click.
(function () {
  const palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"];
  const relColour = { supports: "#2e8b57", opposes: "#c0392b", met: "#9aa5b1", concern: "#d68910", appreciates: "#7d3cb8",
                      commit: "#2e61b8", "calls on": "#138d90", hope: "#b7950b", agree: "#1e8449" };
  const LARGE = 300; // above this many nodes: two-stage layout, cheaper edges, no labels when zoomed out
  let cy = null;

  function make(large) {
    if (cy) cy.destroy();
    cy = cytoscape({
      container: document.getElementById("cy"),
      wheelSensitivity: 0.2,
      textureOnViewport: large,
      hideEdgesOnViewport: large,
      pixelRatio: large ? 1 : "auto",
      style: [
        { selector: "node", style: { "label": "data(label)", "font-size": 10, "text-valign": "center", "color": "#1d2733",
            "width": "data(size)", "height": "data(size)",
            "background-color": (n) => palette[(n.data("community") || 0) % palette.length], "text-outline-color": "#fff", "text-outline-width": 2 } },
        { selector: "node[kind = 'person']", style: { "shape": "round-rectangle", "background-color": "#b0bec5", "width": 14, "height": 14 } },
        { selector: "node[kind = 'meeting']", style: { "shape": "diamond", "background-color": "#cfd8dc", "width": 10, "height": 10, "label": "" } },
        { selector: "node[kind = 'issue']", style: { "shape": "tag", "background-color": "#ffe0b2", "width": 14, "height": 14 } },
        { selector: "edge", style: { "width": "mapData(weight, 1, 20, 1, 8)", "line-color": (e) => relColour[e.data("relation")] || "#90a4ae",
            "curve-style": "bezier", "opacity": 0.7, "target-arrow-shape": (e) => (e.data("relation") === "met" ? "none" : "triangle"),
            "target-arrow-color": (e) => relColour[e.data("relation")] || "#90a4ae" } },
        { selector: ":selected", style: { "border-width": 3, "border-color": "#14324f", "opacity": 1 } },
      ],
    });
    if (large) {
      cy.style().selector("edge").style({ "curve-style": "haystack", "target-arrow-shape": "none" })
        .selector("node[kind != 'actor']").style({ "min-zoomed-font-size": 16 })
        .selector("node[kind = 'actor']").style({ "min-zoomed-font-size": 5, "font-weight": "bold" }).update();
    }
    cy.on("tap", "node", showNode);
    cy.on("tap", "edge", showEdge);
    window.kgCy = cy;
    }

  // Large graphs: lay out the actors (states, organisations) with the force-directed layout, then
  // put each person, meeting and issue at the centre of the actors it is linked to, the nodes that
  // share a centre spread on a sunflower spiral around it.
  function layout(large) {
    if (!large) {
      cy.layout({ name: "cose", animate: false, nodeRepulsion: 40000, idealEdgeLength: 140, randomize: true, numIter: 600, fit: true, padding: 40 }).run();
      return;
    }
    const actors = cy.nodes("[kind = 'actor']");
    actors.union(actors.edgesWith(actors)).layout({ name: "cose", animate: false, nodeRepulsion: 400000, idealEdgeLength: 300, randomize: true, numIter: 300, fit: false }).run();
    const groups = new Map();
    cy.nodes().difference(actors).forEach((n) => {
      const anchors = n.neighborhood().nodes("[kind = 'actor']");
      const key = anchors.map((x) => x.id()).sort().join(" ");
      if (!groups.has(key)) groups.set(key, { anchors, nodes: [] });
      groups.get(key).nodes.push(n);
    });
    const golden = Math.PI * (3 - Math.sqrt(5));
    groups.forEach(({ anchors, nodes }) => {
      let x = 0, y = 0;
      anchors.forEach((a) => { x += a.position("x"); y += a.position("y"); });
      const k = Math.max(anchors.length, 1), offset = anchors.length === 1 ? 30 : 0;
      nodes.forEach((n, i) => {
        const r = offset + 11 * Math.sqrt(i + 1), angle = i * golden;
        n.position({ x: x / k + r * Math.cos(angle), y: y / k + r * Math.sin(angle) });
      });
    });
    cy.fit(undefined, 40);
  }

  const form = document.getElementById("filters");
  const details = document.getElementById("details");
  const figures = document.getElementById("figures");

  function text(tag, value) { const el = document.createElement(tag); el.textContent = value; return el; }

  async function load() {
    const params = new URLSearchParams();
    new FormData(form).forEach((value, key) => { if (value) params.set(key, value); });
    history.replaceState(null, "", params.toString() ? "?" + params.toString() : location.pathname);
    figures.textContent = "loading…";
    const resp = await fetch("/graph.json?" + params.toString());
    const data = await resp.json();
    const large = data.elements.filter((e) => e.data.source === undefined).length > LARGE;
    make(large);
    const ranks = data.elements.filter((e) => e.data.centrality !== undefined).map((e) => e.data.centrality);
    const lo = Math.min(...ranks, 0), hi = Math.max(...ranks, 1e-9);
    data.elements.forEach((e) => { if (e.data.kind === "actor") e.data.size = 16 + 34 * ((e.data.centrality || lo) - lo) / (hi - lo || 1); });
    cy.add(data.elements);
    layout(large);
    if (cy.zoom() > 2) { cy.zoom(2); cy.center(); }
    const f = data.figures;
    figures.textContent = cy.nodes().length + " nodes, " + cy.edges().length + " edges, " + (f.communities || 0) + " communities; most central: " + (f.most_central || []).join(", ");
    document.body.dataset.graphReady = "1";
  }

  function showNode(ev) {
    const n = ev.target.data();
    details.replaceChildren(text("h3", n.label), text("p", (n.kind || "actor") + (n.community !== undefined ? " · community " + n.community : "") + (n.centrality ? " · centrality " + n.centrality : "")));
    ev.target.connectedEdges().forEach((e) => {
      const d = e.data();
      details.appendChild(text("p", d.source + " " + d.relation + " " + d.target + " (" + d.weight + ")"));
    });
  }

  function showEdge(ev) {
    const d = ev.target.data();
    details.replaceChildren(text("h3", d.source + " " + d.relation + " " + d.target), text("p", "weight " + d.weight));
    (d.evidence || []).forEach((e) => {
      details.appendChild(text("p", (e.date || "") + " · " + e.issue));
      details.appendChild(text("blockquote", e.quote));
      details.appendChild(text("p", e.file));
    });
  }

  // Filters come from the URL, so that a filtered graph can be linked to.
  new URLSearchParams(location.search).forEach((value, key) => {
    const field = form.elements.namedItem(key);
    if (field && field.type === "checkbox") field.checked = value === field.value;
    else if (field) field.value = value;
  });
  form.addEventListener("submit", (ev) => { ev.preventDefault(); load(); });
  load();
})();

// The graph page: the actors and their alignments drawn with Cytoscape.js; filters; details on click.
(function () {
  const palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"];
  const relColour = { supports: "#2e8b57", opposes: "#c0392b", met: "#9aa5b1", concern: "#d68910", appreciates: "#7d3cb8",
                      commit: "#2e61b8", "calls on": "#138d90", hope: "#b7950b", agree: "#1e8449" };
  const cy = cytoscape({
    container: document.getElementById("cy"),
    wheelSensitivity: 0.2,
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
  const details = document.getElementById("details");
  const figures = document.getElementById("figures");

  function text(tag, value) { const el = document.createElement(tag); el.textContent = value; return el; }

  async function load() {
    const params = new URLSearchParams(new FormData(document.getElementById("filters")));
    figures.textContent = "loading…";
    const resp = await fetch("/graph.json?" + params.toString());
    const data = await resp.json();
    cy.elements().remove();
    const ranks = data.elements.filter((e) => e.data.centrality !== undefined).map((e) => e.data.centrality);
    const lo = Math.min(...ranks, 0), hi = Math.max(...ranks, 1e-9);
    data.elements.forEach((e) => { if (e.data.kind === "actor") e.data.size = 16 + 34 * ((e.data.centrality || lo) - lo) / (hi - lo || 1); });
    cy.add(data.elements);
    cy.layout({ name: "cose", animate: false, nodeRepulsion: 40000, idealEdgeLength: 140, randomize: true, numIter: 600, fit: true, padding: 40 }).run();
    if (cy.zoom() > 2) { cy.zoom(2); cy.center(); }
    const f = data.figures;
    figures.textContent = cy.nodes().length + " nodes, " + cy.edges().length + " edges, " + (f.communities || 0) + " communities; most central: " + (f.most_central || []).join(", ");
    document.body.dataset.graphReady = "1";
  }

  cy.on("tap", "node", (ev) => {
    const n = ev.target.data();
    details.replaceChildren(text("h3", n.label), text("p", (n.kind || "actor") + (n.community !== undefined ? " · community " + n.community : "") + (n.centrality ? " · centrality " + n.centrality : "")));
    ev.target.connectedEdges().forEach((e) => {
      const d = e.data();
      details.appendChild(text("p", d.source + " " + d.relation + " " + d.target + " (" + d.weight + ")"));
    });
  });
  cy.on("tap", "edge", (ev) => {
    const d = ev.target.data();
    details.replaceChildren(text("h3", d.source + " " + d.relation + " " + d.target), text("p", "weight " + d.weight));
    (d.evidence || []).forEach((e) => {
      details.appendChild(text("p", (e.date || "") + " · " + e.issue));
      details.appendChild(text("blockquote", e.quote));
      details.appendChild(text("p", e.file));
    });
  });
  document.getElementById("filters").addEventListener("submit", (ev) => { ev.preventDefault(); load(); });
  load();
})();

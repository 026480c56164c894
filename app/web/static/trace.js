// The tier graph and its side panel, drawn from the trace document the page embeds (#trace-data).
// No request leaves the page: everything the panel shows is in that document. Text is only ever set
// with textContent, never parsed as markup, because names and addresses are the tenant's own data.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("trace-data").textContent);
  var trace = data.trace;
  var readinessBySourcing = {};
  if (data.readiness) {
    data.readiness.hops.forEach(function (hop) {
      (readinessBySourcing[hop.sourcing_id] = readinessBySourcing[hop.sourcing_id] || []).push(hop);
    });
  }
  var pathsByKey = {};
  data.paths.forEach(function (p) { pathsByKey[p.key] = p; });

  var RED = "#b3261e", AMBER = "#b26a00", INK = "#1d2430", GREY = "#6b7280", BLUE = "#1f5fa8", GREEN = "#2e7d32";

  var cy = cytoscape({
    container: document.getElementById("graph"),
    elements: data.elements,
    layout: { name: "preset", fit: true, padding: 30 },
    minZoom: 0.15,
    maxZoom: 3,
    boxSelectionEnabled: false,
    style: [
      { selector: "node", style: {
        "shape": "round-rectangle", "width": 180, "height": 60,
        "background-color": "#ffffff", "border-width": 2, "border-color": "#9aa4b2",
        "label": "data(label)", "text-wrap": "wrap", "text-max-width": 172,
        "text-valign": "center", "text-halign": "center", "font-size": 11, "color": INK } },
      { selector: "node.product", style: { "background-color": INK, "color": "#fff", "border-color": INK, "font-weight": "bold" } },
      { selector: "node.origin", style: { "border-color": GREEN, "border-width": 3 } },
      { selector: "node.review", style: { "background-color": "#fff4d6", "border-color": AMBER, "border-width": 4 } },
      { selector: "node.presumption", style: { "background-color": "#fde4e1", "border-color": RED, "border-width": 4 } },
      { selector: "node.gap", style: { "border-style": "dashed", "border-color": GREY, "color": GREY,
        "background-color": "#f4f5f7", "shape": "round-rectangle" } },
      { selector: "edge", style: {
        "width": 2, "line-color": "#9aa4b2", "curve-style": "bezier",
        "source-arrow-shape": "triangle", "source-arrow-color": "#9aa4b2", "arrow-scale": 0.9,
        "label": "data(label)", "font-size": 9, "color": GREY, "text-background-color": "#fff",
        "text-background-opacity": 1, "text-background-padding": 1 } },
      { selector: "edge.undocumented", style: { "line-style": "dotted" } },
      { selector: "edge.lot", style: { "line-color": BLUE, "source-arrow-color": BLUE, "width": 4 } },
      { selector: "edge.cycle", style: { "line-color": AMBER, "source-arrow-color": AMBER, "line-style": "dashed" } },
      { selector: "edge.gap", style: { "line-style": "dashed", "line-color": GREY, "source-arrow-shape": "none" } },
      { selector: "edge.gap-path", style: { "line-color": INK, "source-arrow-color": INK, "width": 4 } },
      { selector: "node.gap-path", style: { "border-color": INK, "border-width": 4 } },
      { selector: "edge.risk-path", style: { "line-color": RED, "source-arrow-color": RED, "width": 5, "z-index": 10 } },
      { selector: "node.risk-path", style: { "border-color": RED, "border-width": 5 } },
      { selector: "node:selected", style: { "overlay-color": BLUE, "overlay-opacity": 0.18, "overlay-padding": 6 } }
    ]
  });

  // A small trace would fill the canvas with huge nodes: never start closer than 1:1.
  if (cy.zoom() > 1) { cy.zoom(1); cy.center(); }

  function showPath(key) {
    cy.elements().removeClass("risk-path gap-path");
    document.querySelectorAll(".show-path[aria-pressed]").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
    var path = pathsByKey[key];
    if (!path) { return; }
    var cls = path.kind === "finding" ? "risk-path" : "gap-path";
    path.nodes.concat(path.edges).forEach(function (id) { cy.getElementById(id).addClass(cls); });
    var button = document.querySelector('.show-path[data-path="' + key + '"]');
    if (button) { button.setAttribute("aria-pressed", "true"); }
  }

  // -- the panel -----------------------------------------------------------------------------------
  var panel = document.getElementById("panel");

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }
  function section(title) {
    var s = el("section");
    s.appendChild(el("h3", title));
    panel.appendChild(s);
    return s;
  }
  function facts(parent, rows) {
    var dl = el("dl");
    rows.forEach(function (r) {
      if (r[1] === undefined || r[1] === null || r[1] === "") { return; }
      dl.appendChild(el("dt", r[0]));
      dl.appendChild(el("dd", r[1]));
    });
    parent.appendChild(dl);
  }
  function table(parent, headers, rows, caption) {
    var t = el("table");
    if (caption) { t.appendChild(el("caption", caption)); }
    var head = el("tr");
    headers.forEach(function (h) { var th = el("th", h); th.setAttribute("scope", "col"); head.appendChild(th); });
    var thead = el("thead"); thead.appendChild(head); t.appendChild(thead);
    var body = el("tbody");
    rows.forEach(function (r) {
      var tr = el("tr");
      r.forEach(function (cell) { tr.appendChild(el("td", cell)); });
      body.appendChild(tr);
    });
    t.appendChild(body);
    parent.appendChild(t);
  }
  function badge(severity) {
    return el("span", severity === "presumption" ? "Presumption" : "Review", "badge severity-" + severity);
  }
  function address(f) {
    return [f.address, f.city, f.region, f.postal_code, f.country].filter(Boolean).join(", ");
  }

  function showSignals(facility) {
    var s = section("Why it is flagged");
    if (!facility.signals.length) { s.appendChild(el("p", "No rule fired at this facility.")); return; }
    facility.signals.forEach(function (sig) {
      var box = el("div", null, "signal");
      var h = el("h4");
      h.appendChild(badge(sig.severity));
      h.appendChild(document.createTextNode(" " + sig.rule));
      box.appendChild(h);
      box.appendChild(el("p", sig.explanation, "reason"));
      facts(box, [["Field", sig.subject + " " + sig.subject_id + " · " + sig.field], ["Value", sig.value],
        ["Matched", sig.matched], ["Reference", sig.reference]]);
      if (sig.location) {
        var loc = sig.location;
        box.appendChild(el("p", "Location detector: in XUAR = " + loc.in_xuar + ", confidence " +
          Math.round(loc.confidence * 100) + "% (" + loc.gazetteer_version + ")"));
        table(box, ["Signal", "Field", "Span", "Matched", "Weight"], loc.signals.map(function (x) {
          return [x.kind, x.field, x.span, x.matched, x.weight];
        }), "Location signals");
      }
      if (sig.match) {
        var m = sig.match;
        facts(box, [["List entry", m.entry_name + " (" + m.entry_id + ")"], ["List version", m.list_version],
          ["Score", m.score.toFixed(2) + " · " + m.decision]]);
        table(box, ["Feature", "Score", "Detail"], m.explanation.map(function (x) {
          return [x.feature, x.score.toFixed(2), x.detail];
        }), "List-match explanation");
      }
      s.appendChild(box);
    });
  }

  function showLinks(nodeId) {
    var incoming = cy.getElementById(nodeId).connectedEdges().filter(function (e) {
      return e.data("target") === nodeId && e.data("sourcing_id");
    });
    var s = section("Documents on the link" + (incoming.length > 1 ? "s" : ""));
    incoming.forEach(function (edge) {
      var d = edge.data();
      var buyer = cy.getElementById(d.source).data();
      var box = el("div", null, "link");
      box.appendChild(el("p", "Supplied to " + (buyer.facility_name || "the importer") +
        (d.share !== null && d.share !== undefined ? " · " + d.share + "% of its volume" : "")));
      box.appendChild(el("p", d.sourcing_id, "mono"));
      if (d.lot_ids && d.lot_ids.length) { box.appendChild(el("p", "Lots: " + d.lot_ids.join(", "))); }
      if (!d.document_ids.length) {
        box.appendChild(el("p", "No documents on file for this link.", "missing"));
      } else {
        table(box, ["Document", "Type", "Number", "Issued", "Issuer", "SHA-256"], d.document_ids.map(function (id) {
          var doc = data.documents[id] || {};
          var issuer = doc.issuer_company_id ? (data.companies[doc.issuer_company_id] || {}).name || doc.issuer_company_id : "";
          return [id, doc.type || "", doc.number || "", doc.issued_on || "", issuer, doc.sha256 ? doc.sha256.slice(0, 12) + "…" : "none"];
        }));
      }
      (readinessBySourcing[d.sourcing_id] || []).forEach(function (hop) {
        var r = el("div", null, "hop-readiness");
        r.appendChild(el("p", "Readiness " + Math.round(hop.score * 100) + "%: " + hop.explanation));
        if (hop.missing_required.length) {
          r.appendChild(el("p", "Missing (required): " + hop.missing_required.join(", "), "missing"));
        }
        if (hop.missing_recommended.length) {
          r.appendChild(el("p", "Missing (recommended): " + hop.missing_recommended.join(", ")));
        }
        box.appendChild(r);
      });
      s.appendChild(box);
    });
  }

  function select(nodeId) {
    var node = cy.getElementById(nodeId);
    if (node.empty()) { return; }
    cy.elements().unselect();
    node.select();
    var n = node.data();
    panel.textContent = "";
    if (n.role === "gap") {
      panel.appendChild(el("h2", "Untraced input: " + (n.item_name || n.item_id), "panel-title"));
      panel.appendChild(el("p", n.explanation, "reason"));
      facts(panel, [["Reason", n.reason.replace(/_/g, " ")], ["Needed at", n.at_facility_id || "the importer"]]);
      return;
    }
    if (n.role === "product") {
      panel.appendChild(el("h2", n.item_name, "panel-title"));
      facts(panel, [["Product", n.item_id], ["Verdict", trace.verdict.replace(/_/g, " ")]]);
      panel.appendChild(el("p", trace.summary, "reason"));
      return;
    }
    var facility = data.facilities[n.facility_id] || { signals: [] };
    var title = el("h2", n.facility_name || n.facility_id, "panel-title");
    panel.appendChild(title);
    if (n.risk) { panel.appendChild(badge(n.risk)); }
    facts(panel, [["Item", (n.item_name || "") + " (" + n.item_id + ")"], ["Tier", n.tier], ["Role", n.role]]);
    var f = section("Facility");
    facts(f, [["ID", n.facility_id], ["Activity", facility.activity || n.activity], ["Address", address(facility)],
      ["Coordinates", facility.latitude !== null && facility.latitude !== undefined ? facility.latitude + ", " + facility.longitude : ""]]);
    var company = data.companies[n.company_id] || {};
    var c = section("Company");
    var parent = company.parent_company_id ? data.companies[company.parent_company_id] : null;
    facts(c, [["Name", company.name || n.company_name], ["Local name", company.name_local], ["ID", n.company_id],
      ["Registration", company.registration_id ? company.registration_id + " (" + (company.registration_scheme || "") + ")" : ""],
      ["Owner", parent ? parent.name + (company.ownership_pct !== null ? " (" + company.ownership_pct + "%)" : "") : company.parent_company_id]]);
    showSignals(facility);
    showLinks(nodeId);
  }

  cy.on("tap", "node", function (evt) { select(evt.target.id()); });
  document.querySelectorAll(".show-path").forEach(function (b) {
    b.setAttribute("aria-pressed", "false");
    b.addEventListener("click", function () {
      showPath(b.dataset.path);
      document.getElementById("graph").scrollIntoView({ block: "nearest" });
    });
  });
  document.querySelectorAll(".select-node").forEach(function (b) {
    b.addEventListener("click", function () { select(b.dataset.node); panel.scrollIntoView({ block: "nearest" }); });
  });
  document.getElementById("fit").addEventListener("click", function () {
    cy.fit(undefined, 30);
    if (cy.zoom() > 1) { cy.zoom(1); cy.center(); }
  });

  if (data.default_path) { showPath(data.default_path); }
  window.tracegraph = { cy: cy, data: data, showPath: showPath, select: select };
})();

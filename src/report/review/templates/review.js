(function () {
  "use strict";
  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function fold(s) { return String(s || "").normalize("NFC").toLocaleLowerCase("vi"); }

  var findings = $$("article.finding");
  var docs = $$("details.doc");
  var docRows = $$("#doc-table tbody tr, table.matrix tbody tr");
  var status = $("#f-status");
  var search = $("#f-q");
  var selects = $$("#filters select");
  var texts = null;

  function state() {
    var s = { q: fold(search ? search.value.trim() : "") };
    selects.forEach(function (el) { s[el.getAttribute("data-key")] = el.value; });
    return s;
  }

  function apply() {
    var s = state();
    if (s.q && !texts) { texts = findings.map(function (f) { return fold(f.textContent); }); }
    var shown = 0;
    var docHas = {};
    findings.forEach(function (f, i) {
      var ok = (!s.severity || f.getAttribute("data-severity") === s.severity) &&
        (!s.rule || f.getAttribute("data-rule") === s.rule) &&
        (!s.unit || f.getAttribute("data-unit") === s.unit) &&
        (!s.indicator || f.getAttribute("data-indicator") === s.indicator) &&
        (!s.q || texts[i].indexOf(s.q) >= 0);
      f.hidden = !ok;
      if (ok) { shown += 1; docHas[f.getAttribute("data-doc")] = true; }
    });
    var byFinding = Boolean(s.severity || s.rule || s.indicator || s.q);
    docs.forEach(function (d) {
      var unitOk = !s.unit || d.getAttribute("data-unit") === s.unit;
      d.hidden = byFinding ? !docHas[d.id] : !unitOk;
    });
    docRows.forEach(function (r) { r.hidden = Boolean(s.unit) && r.getAttribute("data-unit") !== s.unit; });
    if (status) { status.textContent = shown + " / " + findings.length + " phát hiện"; }
    return shown;
  }

  function reset() {
    selects.forEach(function (el) { el.value = ""; });
    if (search) { search.value = ""; }
    apply();
  }

  // Packed details (lazy pages): base64 of gzip'ed HTML made by the same
  // template, unpacked when the document is opened.
  function bytes(b64) {
    var bin = atob(b64);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out;
  }
  function unpack(doc) {
    var holder = $("div.heavy[data-state='lazy']", doc);
    if (!holder) { return Promise.resolve(); }
    var src = $("script.lazy", holder);
    holder.setAttribute("data-state", "loading");
    var stream = new Blob([bytes(src.textContent.trim())]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(function (html) {
      holder.innerHTML = html;
      holder.setAttribute("data-state", "done");
    }, function (e) {
      holder.setAttribute("data-state", "lazy");
      window.__cchcErrors.push("unpacking " + doc.id + ": " + e);
    });
  }
  function unpackAll() { return Promise.all(docs.map(unpack)); }
  docs.forEach(function (d) { d.addEventListener("toggle", function () { if (d.open) { unpack(d); } }); });

  function reveal(el) {
    for (var p = el; p; p = p.parentElement) { if (p.tagName === "DETAILS") { p.open = true; } }
    el.scrollIntoView();
  }
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id || id === "selftest") { return; }
    var el = document.getElementById(id);
    if (el) { reveal(el); return; }
    // A table cell of packed details: "d-<16 hex>-t…" names its document.
    var doc = document.getElementById(id.slice(0, 18));
    if (doc && doc.tagName === "DETAILS") {
      doc.open = true;
      unpack(doc).then(function () { var cell = document.getElementById(id); if (cell) { reveal(cell); } });
    }
  }

  function step(dir) {
    var vis = findings.filter(function (f) { return !f.hidden && !(f.closest("details.doc") || {}).hidden; });
    if (!vis.length) { return; }
    var at = vis.indexOf(document.activeElement);
    var next = vis[(at + dir + vis.length) % vis.length];
    if (at < 0 && dir < 0) { next = vis[vis.length - 1]; }
    for (var p = next; p; p = p.parentElement) { if (p.tagName === "DETAILS") { p.open = true; } }
    next.focus();
    next.scrollIntoView({ block: "center" });
  }

  selects.forEach(function (el) { el.addEventListener("change", apply); });
  if (search) {
    search.addEventListener("input", apply);
    search.addEventListener("keydown", function (e) { if (e.key === "Escape") { search.value = ""; apply(); search.blur(); } });
  }
  var resetBtn = $("#f-reset");
  if (resetBtn) { resetBtn.addEventListener("click", reset); }
  var openAll = $("#open-all");
  if (openAll) { openAll.addEventListener("click", function () { docs.forEach(function (d) { if (!d.hidden) { d.open = true; } }); }); }
  var closeAll = $("#close-all");
  if (closeAll) { closeAll.addEventListener("click", function () { docs.forEach(function (d) { d.open = false; }); }); }
  $$("[data-set-rule]").forEach(function (b) {
    b.addEventListener("click", function () {
      var sel = $("#f-rule");
      if (sel) { sel.value = b.getAttribute("data-set-rule"); apply(); $("#documents").scrollIntoView(); }
    });
  });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA");
    if (typing || e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (e.key === "/" && search) { e.preventDefault(); search.focus(); }
    else if (e.key === "j") { step(1); }
    else if (e.key === "k") { step(-1); }
  });
  window.addEventListener("hashchange", openTarget);
  window.addEventListener("beforeprint", function () { $$("details").forEach(function (d) { d.open = true; }); });
  var printBtn = $("#print");
  if (printBtn) {
    printBtn.addEventListener("click", function () {
      unpackAll().then(function () { $$("details").forEach(function (d) { d.open = true; }); window.print(); });
    });
  }

  // Self-test (review.html#selftest): counts, quote marks, the severity
  // filter and the errors seen, written as JSON into script#selftest so
  // that `chromium --dump-dom` carries them to the test.
  function selftest() {
    var r = { errors: (window.__cchcErrors || []).slice(), findings: [], docs: docs.length, filter: null };
    findings.forEach(function (f) {
      var marks = $$("mark.quote", f);
      r.findings.push({ id: f.getAttribute("data-id"), severity: f.getAttribute("data-severity"), quote_marks: marks.length, mark: marks.length ? marks[0].textContent : null });
    });
    var sel = $("#f-severity");
    var sev = sel && sel.options.length > 1 ? sel.options[1].value : "";
    if (sel && sev) {
      sel.value = sev;
      sel.dispatchEvent(new Event("change", { bubbles: true }));
      var visible = findings.filter(function (f) { return !f.hidden && getComputedStyle(f).display !== "none"; });
      var expected = findings.filter(function (f) { return f.getAttribute("data-severity") === sev; }).length;
      r.filter = {
        severity: sev,
        expected: expected,
        visible: visible.length,
        visible_other: visible.filter(function (f) { return f.getAttribute("data-severity") !== sev; }).length,
        hidden_other: findings.filter(function (f) { return f.getAttribute("data-severity") !== sev && f.hidden && getComputedStyle(f).display === "none"; }).length,
        status: status ? status.textContent : ""
      };
      reset();
      r.filter.after_reset = findings.filter(function (f) { return !f.hidden; }).length;
    }
    var nav = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
    r.load_ms = nav ? Math.round(nav.loadEventStart) : null;
    r.packed = $$("div.heavy[data-state='lazy']").length;
    unpackAll().then(function () {
      r.unpacked = $$("div.heavy[data-state='done']").length;
      r.appendix_tables = $$("table.appendix").length;
      r.flagged_cells = $$("table.appendix td.flagged").length;
      r.claims = $$("table.claims tbody tr").length;
      r.sections = $$("ol.tree li").length;
      r.errors = (window.__cchcErrors || []).slice();
      var out = document.createElement("script");
      out.type = "application/json";
      out.id = "selftest";
      out.textContent = JSON.stringify(r).replace(/</g, "\\u003c");
      document.body.appendChild(out);
    });
  }

  apply();
  openTarget();
  if (location.hash === "#selftest") {
    if (document.readyState === "complete") { setTimeout(selftest, 0); } else { window.addEventListener("load", function () { setTimeout(selftest, 0); }); }
  }
})();

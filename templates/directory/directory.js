{% raw %}
// The model directory: builds every row once from the embedded JSON, then filters, sorts and
// plots by toggling and moving those rows. All text goes in through textContent or attribute
// setters, never innerHTML, so ids and names from gateways can only ever show up as text.
(function () {
  "use strict";
  var started = performance.now();
  var data = JSON.parse(document.getElementById("catalog-data").textContent);
  var R = data.rows, P = data.providers, N = R.m.length;
  var CAPS = data.capabilities, MODS = data.modalities, STATUSES = data.statuses;
  var SHORT = { "tools": "tools", "structured output": "json", "reasoning": "reason", "attachments": "files" };
  var $ = function (id) { return document.getElementById(id); };

  var ids = new Array(N), idLower = new Array(N), nameLower = new Array(N);
  var oldStatus = STATUSES.indexOf("deprecated") + 1, deprecated = new Uint8Array(N);
  for (var i = 0; i < N; i++) {
    deprecated[i] = oldStatus > 0 && R.st[i] === oldStatus ? 1 : 0;
    ids[i] = P[R.p[i]].key + "/" + R.m[i];
    idLower[i] = ids[i].toLowerCase();
    nameLower[i] = R.n[i] ? R.n[i].toLowerCase() : "";
  }

  function bits(mask, names) {
    var out = [];
    for (var b = 0; b < names.length; b++) if (mask & (1 << b)) out.push(names[b]);
    return out;
  }
  function popcount(m) { var c = 0; while (m) { c += m & 1; m >>>= 1; } return c; }
  function status(i) { return R.st[i] ? STATUSES[R.st[i] - 1] : ""; }
  function tokens(n) {
    if (n === null || n === undefined) return "";
    if (n >= 1e6) return +(n / 1e6).toFixed(2) + "M";
    if (n >= 1e3) return +(n / 1e3).toFixed(1) + "K";
    return String(n);
  }
  function money(v) {
    if (v === null || v === undefined) return "";
    if (v === 0) return "free";
    if (v < 0.01) return "$" + v.toPrecision(2);
    return "$" + +v.toFixed(v < 1 ? 3 : 2);
  }
  function modalities(i) {
    var a = bits(R.mi[i], MODS).join(" "), b = bits(R.mo[i], MODS).join(" ");
    return a || b ? (a || "?") + " \u2192 " + (b || "?") : "";
  }

  // Columns: label, how to sort (a number or a string per row; null sorts last either way).
  var COLUMNS = [
    { label: "Model id", cls: "", key: function (i) { return idLower[i]; } },
    { label: "Provider", cls: "", key: function (i) { return P[R.p[i]].key; } },
    { label: "Context", cls: "num", key: function (i) { return R.ctx[i]; } },
    { label: "Output", cls: "num", key: function (i) { return R.out[i]; } },
    { label: "Input $", cls: "num", key: function (i) { return R["in"][i]; } },
    { label: "Output $", cls: "num", key: function (i) { return R.oc[i]; } },
    { label: "Cache $ r/w", cls: "num", key: function (i) { return R.cr[i]; } },
    { label: "Capabilities", cls: "", key: function (i) { return popcount(R.cap[i]) || null; } },
    { label: "Modalities", cls: "", key: function (i) { return modalities(i) || null; } },
    { label: "Status", cls: "", key: function (i) { return status(i) || null; } }
  ];

  function span(parent, cls, text, title) {
    var el = document.createElement("span");
    if (cls) el.className = cls;
    if (text) el.textContent = text;
    if (title) el.title = title;
    parent.appendChild(el);
    return el;
  }

  // ---- header -------------------------------------------------------------------------------
  var head = $("head"), headCells = [];
  COLUMNS.forEach(function (col, c) {
    var cell = span(head, col.cls);
    cell.setAttribute("role", "columnheader");
    cell.setAttribute("aria-sort", "none");
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = col.label;
    button.title = "Sort by " + col.label.toLowerCase();
    button.addEventListener("click", function () { sortBy(c); });
    cell.appendChild(button);
    headCells.push(cell);
  });

  // ---- rows: a virtual list -------------------------------------------------------------------
  // Only the rows in (or near) the viewport are in the document; each row element is built the
  // first time it is needed and kept. A filter keystroke or a sort then costs a few dozen rows of
  // DOM work, however many models match.
  var ROW_H = 31, OVERSCAN = 12;
  var grid = $("grid"), rowsEl = $("rows"), rowEls = new Array(N);

  function buildRow(i) {
    var row = document.createElement("div");
    row.className = deprecated[i] ? "row deprecated" : "row";
    row.setAttribute("role", "row");
    row.tabIndex = -1;
    row.dataset.i = i;
    var idCell = span(row, "id");
    var copy = document.createElement("button");
    copy.type = "button";
    copy.className = "copy";
    copy.tabIndex = -1;
    copy.textContent = "copy";
    copy.setAttribute("aria-label", "copy id");
    idCell.appendChild(copy);
    span(idCell, "text", ids[i], ids[i]);
    if (R.n[i]) span(idCell, "name", R.n[i], R.n[i]);
    span(row, "", P[R.p[i]].key, P[R.p[i]].name);
    span(row, "num", tokens(R.ctx[i]), R.ctx[i] === null ? "" : R.ctx[i] + " tokens");
    span(row, "num", tokens(R.out[i]), R.out[i] === null ? "" : R.out[i] + " tokens");
    span(row, "num", money(R["in"][i]));
    span(row, "num", money(R.oc[i]));
    var cache = R.cr[i] === null && R.cw[i] === null ? "" : (money(R.cr[i]) || "-") + (R.cw[i] === null ? "" : " / " + money(R.cw[i]));
    span(row, "num", cache, cache ? "cache read / write" : "");
    var caps = bits(R.cap[i], CAPS), capCell = span(row, "", "", caps.join(", "));
    for (var c = 0; c < caps.length; c++) span(capCell, "badge", SHORT[caps[c]] || caps[c]);
    var mods = modalities(i);
    span(row, "", mods, mods);
    var st = status(i), stCell = span(row, "");
    if (st) span(stCell, "status-badge", st);
    for (var k = 0; k < row.children.length; k++) row.children[k].setAttribute("role", "cell");
    return row;
  }
  function rowEl(i) { return rowEls[i] || (rowEls[i] = buildRow(i)); }

  // Put exactly the rows of the viewport window (plus the active row, which may hold focus) in
  // the document, in display order, moving no row that stays: a moved row would lose focus.
  function renderWindow() {
    var top = rowsEl.getBoundingClientRect().top;
    var first = Math.max(0, Math.floor(-top / ROW_H) - OVERSCAN);
    var last = Math.min(shown.length, Math.ceil((window.innerHeight - top) / ROW_H) + OVERSCAN);
    var wanted = [], at = active >= 0 ? position[active] : -1;
    if (at >= 0 && at < first) wanted.push(at);
    for (var n = first; n < last; n++) wanted.push(n);
    if (at >= last) wanted.push(at);
    var keep = new Set(), els = [];
    for (n = 0; n < wanted.length; n++) {
      var el = rowEl(shown[wanted[n]]);
      el.style.top = wanted[n] * ROW_H + "px";
      el.setAttribute("aria-rowindex", String(wanted[n] + 2));
      keep.add(el);
      els.push(el);
    }
    var focused = document.activeElement;
    for (var child = rowsEl.firstElementChild; child; ) {
      var next = child.nextElementSibling;
      if (!keep.has(child)) rowsEl.removeChild(child);
      child = next;
    }
    var ref = rowsEl.firstElementChild;
    for (n = 0; n < els.length; n++) {
      if (els[n] === ref) ref = ref.nextElementSibling;
      else rowsEl.insertBefore(els[n], ref);
    }
    if (focused && focused !== document.activeElement && rowsEl.contains(focused)) focused.focus({ preventScroll: true });
  }
  var pending = false;
  function scheduleWindow() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; renderWindow(); });
  }
  window.addEventListener("scroll", scheduleWindow, { passive: true });

  var timings = { rows: N, buildMs: 0, firstRenderMs: null, lastApplyMs: null, lastInputToPaintMs: null, applies: 0 };
  window.directoryTimings = timings;

  // ---- filters ------------------------------------------------------------------------------
  function option(select, value, text) { select.appendChild(new Option(text, value)); }
  P.forEach(function (p, n) { option($("f-provider"), String(n), p.name && p.name !== p.key ? p.key + " (" + p.name + ")" : p.key); });
  MODS.forEach(function (m, n) { option($("f-mod-in"), String(n), m); option($("f-mod-out"), String(n), m); });

  var sortColumn = -1, sortDir = 1, shown = [], active = -1;

  function readFilters() {
    var capMask = 0;
    document.querySelectorAll(".f-cap").forEach(function (box) { if (box.checked) capMask |= 1 << +box.value; });
    var price = parseFloat($("f-price").value), context = parseFloat($("f-context").value);
    return {
      q: $("q").value.trim().toLowerCase().split(/\s+/).filter(Boolean),
      provider: $("f-provider").value === "" ? -1 : +$("f-provider").value,
      caps: capMask,
      modIn: $("f-mod-in").value === "" ? 0 : 1 << +$("f-mod-in").value,
      modOut: $("f-mod-out").value === "" ? 0 : 1 << +$("f-mod-out").value,
      price: isFinite(price) ? price : null,
      context: isFinite(context) ? context : null,
      deprecated: $("f-deprecated").checked
    };
  }

  // Fuzzy match: a token scores highest as a substring of the id (more at a word start), then
  // as a substring of the name, then as a subsequence with few gaps ("gpt4o" finds "gpt-4o").
  var BOUNDARY = "/-_.: ";
  function subsequence(hay, tok) {
    var j = 0, gaps = 0, last = -1;
    for (var k = 0; k < hay.length && j < tok.length; k++) {
      if (hay.charCodeAt(k) === tok.charCodeAt(j)) { if (last >= 0) gaps += k - last - 1; last = k; j++; }
    }
    return j === tok.length ? Math.max(1, 40 - gaps) : -1;
  }
  function tokenScore(i, tok) {
    var id = idLower[i], p = id.indexOf(tok);
    if (p >= 0) return 100 - Math.min(p, 40) + (p === 0 || BOUNDARY.indexOf(id.charAt(p - 1)) >= 0 ? 20 : 0);
    var name = nameLower[i];
    if (name && (p = name.indexOf(tok)) >= 0) return 70 - Math.min(p, 30);
    var s = subsequence(id, tok);
    if (s < 0 && name) s = subsequence(name, tok) - 5;
    return s > 0 ? s : -1;
  }

  // Sort keys are computed once per sort, not per comparison (modalities build strings).
  function sortRows(next, col) {
    var keys = new Map();
    for (var n = 0; n < next.length; n++) keys.set(next[n], col.key(next[n]));
    next.sort(function (a, b) {
      var x = keys.get(a), y = keys.get(b);
      if (x === y) return a - b;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * sortDir;
    });
  }

  function apply() {
    var t = performance.now(), f = readFilters(), scores = f.q.length ? new Float64Array(N) : null;
    var next = [];
    for (var i = 0; i < N; i++) {
      if (f.provider >= 0 && R.p[i] !== f.provider) continue;
      if ((R.cap[i] & f.caps) !== f.caps) continue;
      if (f.modIn && !(R.mi[i] & f.modIn)) continue;
      if (f.modOut && !(R.mo[i] & f.modOut)) continue;
      if (f.price !== null && (R["in"][i] === null || R["in"][i] > f.price)) continue;
      if (f.context !== null && (R.ctx[i] === null || R.ctx[i] < f.context)) continue;
      if (!f.deprecated && deprecated[i]) continue;
      if (scores) {
        var total = 0;
        for (var q = 0; q < f.q.length; q++) {
          var s = tokenScore(i, f.q[q]);
          if (s < 0) { total = -1; break; }
          total += s;
        }
        if (total < 0) continue;
        scores[i] = total;
      }
      next.push(i);
    }
    if (sortColumn >= 0) {
      sortRows(next, COLUMNS[sortColumn]);
    } else if (scores) {
      next.sort(function (a, b) { return scores[b] - scores[a] || a - b; });
    }
    show(next);
    timings.lastApplyMs = performance.now() - t;
    timings.applies++;
  }

  var position = new Int32Array(N).fill(-1);

  function show(next) {
    for (var n = 0; n < shown.length; n++) position[shown[n]] = -1;
    for (n = 0; n < next.length; n++) position[next[n]] = n;
    shown = next;
    rowsEl.style.height = next.length * ROW_H + "px";
    grid.setAttribute("aria-rowcount", String(next.length + 1));
    if (active >= 0 && position[active] < 0) setActive(-1, false);
    if (active < 0) rowsEl.tabIndex = next.length ? 0 : -1;
    renderWindow();
    $("count").textContent = next.length + " of " + N + " models";
    $("empty").hidden = next.length > 0;
    drawPlot();
  }

  function sortBy(c) {
    sortDir = sortColumn === c ? -sortDir : 1;
    sortColumn = c;
    headCells.forEach(function (cell, n) {
      cell.setAttribute("aria-sort", n === c ? (sortDir > 0 ? "ascending" : "descending") : "none");
    });
    apply();
  }

  function providerInfo() {
    var el = $("provider-info"), v = $("f-provider").value;
    if (v === "") { el.hidden = true; el.textContent = ""; return; }
    var p = P[+v];
    el.textContent = p.name + " \u2014 key " + p.key + ", listed by " + p.gateway + (p.doc ? ", docs: " + p.doc : "");
    el.hidden = false;
  }

  // ---- copy ----------------------------------------------------------------------------------
  function copyId(i) {
    var text = ids[i], note = $("copied");
    function done(ok) { note.textContent = ok ? "copied " + text : "press Ctrl+C to copy " + text; }
    function fallback() {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed"; area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      done(ok);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    } else {
      fallback();
    }
  }

  // ---- keyboard: one tab stop in the table, arrows move between the visible rows ---------------
  // The active row is the table's one tab stop; the container takes Tab while none is active.
  function setActive(i, focus) {
    if (active >= 0 && rowEls[active]) { rowEls[active].classList.remove("active"); rowEls[active].tabIndex = -1; }
    active = i;
    rowsEl.tabIndex = i >= 0 || !shown.length ? -1 : 0;
    if (i < 0) return;
    var at = position[i], head = $("head").offsetHeight;
    var top = rowsEl.getBoundingClientRect().top + at * ROW_H;
    if (focus && top < head) window.scrollBy(0, top - head);
    else if (focus && top + ROW_H > window.innerHeight) window.scrollBy(0, top + ROW_H - window.innerHeight);
    renderWindow();
    var row = rowEl(i);
    row.classList.add("active");
    row.tabIndex = 0;
    if (focus) row.focus({ preventScroll: true });
  }
  function move(to) {
    if (!shown.length) return;
    setActive(shown[Math.max(0, Math.min(shown.length - 1, to))], true);
    drawPlot();
  }
  rowsEl.addEventListener("focus", function (e) {
    if (e.target === rowsEl && shown.length) move(0);
  });
  rowsEl.addEventListener("keydown", function (e) {
    var at = active >= 0 ? position[active] : -1, page = Math.max(1, Math.floor(window.innerHeight / ROW_H) - 3);
    if (e.key === "ArrowDown") move(at + 1);
    else if (e.key === "ArrowUp") move(at - 1);
    else if (e.key === "PageDown") move(at + page);
    else if (e.key === "PageUp") move(at - page);
    else if (e.key === "Home") move(0);
    else if (e.key === "End") move(shown.length - 1);
    else if ((e.key === "Enter" || e.key === "c") && active >= 0) copyId(active);
    else return;
    e.preventDefault();
  });
  rowsEl.addEventListener("click", function (e) {
    var row = e.target.closest ? e.target.closest(".row") : null;
    if (!row) return;
    var i = +row.dataset.i;
    setActive(i, false);
    if (e.target.closest(".copy")) copyId(i);
    drawPlot();
  });
  document.addEventListener("keydown", function (e) {
    var typing = /^(INPUT|SELECT|TEXTAREA)$/.test(e.target.tagName);
    if (e.key === "/" && !typing) { e.preventDefault(); $("q").focus(); $("q").select(); }
    else if (e.key === "Escape" && e.target === $("q")) { $("q").value = ""; apply(); }
  });

  // ---- scatter plot: input price (x) against context (y), both log scale ----------------------
  var canvas = $("plot"), tip = $("tip"), plotted = [], px = new Float32Array(N), py = new Float32Array(N);
  var FREE = 0.001, minPrice = Infinity, maxPrice = 0, minCtx = Infinity, maxCtx = 0, withData = 0;
  for (i = 0; i < N; i++) {
    var price = R["in"][i], ctx = R.ctx[i];
    if (price === null || !ctx) continue;
    withData++;
    var v = Math.max(price, FREE);
    minPrice = Math.min(minPrice, v); maxPrice = Math.max(maxPrice, v);
    minCtx = Math.min(minCtx, ctx); maxCtx = Math.max(maxCtx, ctx);
  }
  var lx0 = Math.floor(Math.log10(minPrice)), lx1 = Math.ceil(Math.log10(maxPrice) + 1e-9);
  var ly0 = Math.floor(Math.log10(minCtx)), ly1 = Math.ceil(Math.log10(maxCtx) + 1e-9);
  if (lx1 <= lx0) lx1 = lx0 + 1;
  if (ly1 <= ly0) ly1 = ly0 + 1;
  var PAD = { l: 60, r: 16, t: 12, b: 34 };

  function drawPlot() {
    var w = canvas.clientWidth, h = canvas.clientHeight, dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
    }
    var g = canvas.getContext("2d");
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    var iw = w - PAD.l - PAD.r, ih = h - PAD.t - PAD.b;
    function X(p) { return PAD.l + (Math.log10(Math.max(p, FREE)) - lx0) / (lx1 - lx0) * iw; }
    function Y(c) { return PAD.t + ih - (Math.log10(c) - ly0) / (ly1 - ly0) * ih; }
    g.font = "11px system-ui, sans-serif"; g.fillStyle = "#5d6677"; g.strokeStyle = "#e6e9ef"; g.lineWidth = 1;
    g.textAlign = "center"; g.textBaseline = "top";
    for (var e = lx0; e <= lx1; e++) {
      var x = X(Math.pow(10, e));
      g.beginPath(); g.moveTo(x, PAD.t); g.lineTo(x, PAD.t + ih); g.stroke();
      g.fillText(e === Math.log10(FREE) ? "\u2264$0.001" : "$" + +Math.pow(10, e).toFixed(3), x, PAD.t + ih + 4);
    }
    g.textAlign = "right"; g.textBaseline = "middle";
    for (e = ly0; e <= ly1; e++) {
      var y = Y(Math.pow(10, e));
      g.beginPath(); g.moveTo(PAD.l, y); g.lineTo(PAD.l + iw, y); g.stroke();
      g.fillText(tokens(Math.pow(10, e)), PAD.l - 6, y);
    }
    g.textAlign = "center"; g.textBaseline = "bottom";
    g.fillText("input $ per million tokens", PAD.l + iw / 2, h - 1);
    g.save(); g.translate(12, PAD.t + ih / 2); g.rotate(-Math.PI / 2); g.textBaseline = "top";
    g.fillText("context tokens", 0, -8); g.restore();
    plotted = [];
    var current = new Path2D(), old = new Path2D();
    for (var n = 0; n < shown.length; n++) {
      var i = shown[n], price = R["in"][i], ctx = R.ctx[i];
      if (price === null || !ctx) continue;
      px[i] = X(price); py[i] = Y(ctx);
      plotted.push(i);
      var path = deprecated[i] ? old : current;
      path.moveTo(px[i] + 2.5, py[i]); path.arc(px[i], py[i], 2.5, 0, 2 * Math.PI);
    }
    g.fillStyle = "rgba(36, 88, 198, 0.45)"; g.fill(current);
    g.fillStyle = "rgba(154, 161, 173, 0.5)"; g.fill(old);
    if (active >= 0 && R["in"][active] !== null && R.ctx[active]) {
      g.strokeStyle = "#d9480f"; g.lineWidth = 2;
      g.beginPath(); g.arc(X(R["in"][active]), Y(R.ctx[active]), 6, 0, 2 * Math.PI); g.stroke();
    }
    $("plot-note").textContent = plotted.length + " of " + shown.length + " shown models plotted (" +
      (shown.length - plotted.length) + " have no input price or context); " + withData + " in the catalogue have both.";
  }

  function nearest(ev) {
    var box = canvas.getBoundingClientRect(), x = ev.clientX - box.left, y = ev.clientY - box.top;
    var best = -1, bestD = 64;
    for (var n = 0; n < plotted.length; n++) {
      var i = plotted[n], dx = px[i] - x, dy = py[i] - y, d = dx * dx + dy * dy;
      if (d < bestD) { bestD = d; best = i; }
    }
    return { i: best, x: x, y: y };
  }
  canvas.addEventListener("mousemove", function (ev) {
    var hit = nearest(ev);
    if (hit.i < 0) { tip.hidden = true; return; }
    tip.textContent = ids[hit.i] + "\n" + money(R["in"][hit.i]) + " in / M \u00b7 " + tokens(R.ctx[hit.i]) + " context";
    tip.hidden = false;
    tip.style.left = Math.min(hit.x + 12, canvas.clientWidth - tip.offsetWidth) + "px";
    tip.style.top = Math.max(0, hit.y - tip.offsetHeight - 8) + "px";
  });
  canvas.addEventListener("mouseleave", function () { tip.hidden = true; });
  canvas.addEventListener("click", function (ev) {
    var hit = nearest(ev);
    if (hit.i >= 0) { setActive(hit.i, true); drawPlot(); }
  });
  window.addEventListener("resize", function () { drawPlot(); });

  // ---- wiring ----------------------------------------------------------------------------------
  $("q").addEventListener("input", function (ev) {
    apply();
    // Keystroke to painted frame, for `make bench`: rAF runs before the paint, the timeout after.
    var stamp = ev.timeStamp;
    requestAnimationFrame(function () { setTimeout(function () { timings.lastInputToPaintMs = performance.now() - stamp; }, 0); });
  });
  ["f-provider", "f-mod-in", "f-mod-out", "f-price", "f-context", "f-deprecated"].forEach(function (id) {
    $(id).addEventListener(id === "f-price" || id === "f-context" ? "input" : "change", apply);
  });
  $("f-provider").addEventListener("change", providerInfo);
  document.querySelectorAll(".f-cap").forEach(function (box) { box.addEventListener("change", apply); });
  $("reset").addEventListener("click", function () {
    $("q").value = ""; $("f-provider").value = ""; $("f-mod-in").value = ""; $("f-mod-out").value = "";
    $("f-price").value = ""; $("f-context").value = ""; $("f-deprecated").checked = true;
    document.querySelectorAll(".f-cap").forEach(function (box) { box.checked = false; });
    sortColumn = -1; sortDir = 1;
    headCells.forEach(function (cell) { cell.setAttribute("aria-sort", "none"); });
    providerInfo();
    apply();
  });

  apply();
  timings.buildMs = performance.now() - started;
  requestAnimationFrame(function () {
    setTimeout(function () { timings.firstRenderMs = performance.now(); document.body.dataset.ready = "1"; }, 0);
  });
})();
{% endraw %}

// The entity graph viewer: draws the graph embedded in the page on a canvas, with pan, zoom,
// search, selection, filters and a side panel of evidence. Everything taken from the data is
// shown with textContent, never parsed as HTML. The positions were computed when the page was
// written, so nothing is laid out here.
'use strict';
(function () {
  var data = JSON.parse(document.getElementById('graph-data').textContent);
  var TYPES = ['person', 'organization', 'place'];
  var nodes = data.nodes;
  var edges = data.edges;
  var N = nodes.length;
  var E = edges.length;

  // ---- Static arrays -------------------------------------------------------------------
  var X = new Float64Array(N);
  var Y = new Float64Array(N);
  var R = new Float64Array(N); // radius in world units
  var T = new Uint8Array(N); // index in TYPES
  var maxR = 1;
  var i, j, e;
  for (i = 0; i < N; i++) {
    var n = nodes[i];
    X[i] = n.x;
    Y[i] = n.y;
    R[i] = 2 + 1.5 * Math.log(1 + n.mentions);
    T[i] = Math.max(0, TYPES.indexOf(n.type));
    if (R[i] > maxR) maxR = R[i];
  }
  var ES = new Int32Array(E);
  var ET = new Int32Array(E);
  var EW = new Float64Array(E);
  var EMET = new Uint8Array(E);
  var degree = new Int32Array(N);
  for (e = 0; e < E; e++) {
    ES[e] = edges[e].s;
    ET[e] = edges[e].t;
    EW[e] = edges[e].w;
    EMET[e] = edges[e].met ? 1 : 0;
    degree[ES[e]]++;
    degree[ET[e]]++;
  }
  // Edges of each node, in compressed rows.
  var firstEdge = new Int32Array(N + 1);
  for (i = 0; i < N; i++) firstEdge[i + 1] = firstEdge[i] + degree[i];
  var nodeEdges = new Int32Array(2 * E);
  var fill = firstEdge.slice(0, N);
  for (e = 0; e < E; e++) {
    nodeEdges[fill[ES[e]]++] = e;
    nodeEdges[fill[ET[e]]++] = e;
  }
  // Width bucket of each edge: 0 for one sentence, up to 4 for sixteen and more.
  var EB = new Uint8Array(E);
  for (e = 0; e < E; e++) EB[e] = Math.min(4, Math.floor(Math.log2(EW[e])));
  // Labels are tried biggest node first.
  var labelOrder = [];
  for (i = 0; i < N; i++) labelOrder.push(i);
  labelOrder.sort(function (a, b) {
    return nodes[b].mentions - nodes[a].mentions || degree[b] - degree[a] || a - b;
  });
  // Distinct link weights, for the minimum-weight slider.
  var weights = [1];
  (function () {
    var seen = {};
    for (e = 0; e < E; e++) seen[EW[e]] = true;
    weights = Object.keys(seen).map(Number).sort(function (a, b) { return a - b; });
    if (!weights.length || weights[0] !== 1) weights.unshift(1);
  })();

  // ---- Colours, from the style sheet -------------------------------------------------------
  var css = getComputedStyle(document.documentElement);
  function cssColour(name, fallback) {
    var v = css.getPropertyValue(name).trim();
    return v || fallback;
  }
  var COLOURS = TYPES.map(function (t) { return cssColour('--' + t, '#888'); });
  var MET = cssColour('--met', '#c0392b');
  var CO = cssColour('--co', '#9aa0a6');
  var INK = cssColour('--ink', '#1d2125');

  // ---- Spatial grid for hit testing (positions never change) --------------------------------
  var grid = (function () {
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (i = 0; i < N; i++) {
      if (X[i] < minX) minX = X[i];
      if (X[i] > maxX) maxX = X[i];
      if (Y[i] < minY) minY = Y[i];
      if (Y[i] > maxY) maxY = Y[i];
    }
    if (!N) { minX = minY = 0; maxX = maxY = 1; }
    var w = Math.max(maxX - minX, 1), h = Math.max(maxY - minY, 1);
    var cell = Math.max(2 * maxR, Math.sqrt((w * h) / Math.max(N, 1)));
    var cols = Math.floor(w / cell) + 1, rows = Math.floor(h / cell) + 1;
    var cells = [];
    for (var c = 0; c < cols * rows; c++) cells.push([]);
    for (i = 0; i < N; i++) {
      cells[Math.floor((Y[i] - minY) / cell) * cols + Math.floor((X[i] - minX) / cell)].push(i);
    }
    return { minX: minX, minY: minY, maxX: maxX, maxY: maxY, cell: cell, cols: cols, rows: rows, cells: cells };
  })();

  // ---- State ----------------------------------------------------------------------------------
  var view = { cx: 0, cy: 0, scale: 1 };
  var typeOn = [true, true, true];
  var minWeight = 1;
  var hideUnlinked = false;
  var nodeShown = new Uint8Array(N);
  var edgeShown = new Uint8Array(E);
  var shownNodes = 0, shownEdges = 0;
  var selected = -1;
  var selectedEdges = [];
  var hovered = -1;
  var isNeighbour = new Uint8Array(N);
  var stats = { drawMs: 0, draws: 0, labels: 0, selectMs: 0 };

  var canvas = document.getElementById('graph');
  var ctx = canvas.getContext('2d');
  var width = 0, height = 0, ratio = 1;
  var labelWidth = new Float32Array(N).fill(-1);
  var LABEL_FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';

  function applyFilters() {
    var unlinked = new Uint8Array(N);
    for (i = 0; i < N; i++) nodeShown[i] = typeOn[T[i]] ? 1 : 0;
    shownEdges = 0;
    for (e = 0; e < E; e++) {
      var on = nodeShown[ES[e]] && nodeShown[ET[e]] && EW[e] >= minWeight ? 1 : 0;
      edgeShown[e] = on;
      if (on) {
        shownEdges++;
        unlinked[ES[e]] = 1;
        unlinked[ET[e]] = 1;
      }
    }
    shownNodes = 0;
    for (i = 0; i < N; i++) {
      if (hideUnlinked && !unlinked[i]) nodeShown[i] = 0;
      if (nodeShown[i]) shownNodes++;
    }
    document.getElementById('status').textContent =
      shownNodes + ' of ' + N + ' entities, ' + shownEdges + ' of ' + E + ' links shown; ' +
      data.documents.length + ' document(s)';
    redraw();
  }

  // ---- Drawing --------------------------------------------------------------------------------
  var COARSE_EDGES = 3000;
  var moving = false;
  var restTimer = 0;
  // Marks the view as moving, and schedules the full drawing for when it has rested.
  function moved() {
    moving = true;
    clearTimeout(restTimer);
    restTimer = setTimeout(function () {
      moving = false;
      redraw();
    }, 200);
  }

  var pending = false;
  function redraw() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () {
      pending = false;
      draw();
    });
  }

  function resize() {
    ratio = window.devicePixelRatio || 1;
    width = canvas.clientWidth;
    height = canvas.clientHeight;
    canvas.width = Math.max(1, Math.round(width * ratio));
    canvas.height = Math.max(1, Math.round(height * ratio));
    redraw();
  }

  function draw() {
    var started = performance.now();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    var s = view.scale;
    var ox = width / 2 - view.cx * s, oy = height / 2 - view.cy * s;
    var margin = maxR + 2 / s;
    var x0 = -ox / s - margin, x1 = (width - ox) / s + margin;
    var y0 = -oy / s - margin, y1 = (height - oy) / s + margin;
    var focus = selected >= 0;
    // While the view moves, a crowded screen is drawn without its one-sentence links and with
    // fewer labels; the full drawing follows when the view rests.
    var coarse = moving && shownEdges > COARSE_EDGES;
    // With a selection, the dimmed one-sentence links of a crowded screen are left out too.
    var thin = coarse || (focus && shownEdges > COARSE_EDGES);

    // Links: batched by colour and width; those of the selection on top.
    ctx.lineCap = 'butt';
    var b, pass;
    for (pass = 0; pass < 2; pass++) {
      for (var met = 0; met < 2; met++) {
        for (b = 0; b < 5; b++) {
          ctx.beginPath();
          var any = false;
          for (e = 0; e < E; e++) {
            if (!edgeShown[e] || EMET[e] !== met || EB[e] !== b) continue;
            var mine = focus && (ES[e] === selected || ET[e] === selected);
            if (thin && b === 0 && !met && !mine) continue;
            if ((pass === 1) !== mine) continue;
            var ax = X[ES[e]], ay = Y[ES[e]], bx = X[ET[e]], by = Y[ET[e]];
            if ((ax < x0 && bx < x0) || (ax > x1 && bx > x1) || (ay < y0 && by < y0) || (ay > y1 && by > y1)) continue;
            ctx.moveTo(ax * s + ox, ay * s + oy);
            ctx.lineTo(bx * s + ox, by * s + oy);
            any = true;
          }
          if (!any) continue;
          ctx.strokeStyle = met ? MET : pass ? INK : CO;
          ctx.globalAlpha = pass ? 0.85 : focus ? 0.12 : met ? 0.8 : 0.45;
          ctx.lineWidth = (met ? 1.6 : 0.8) + b * 0.7 + (pass ? 0.6 : 0);
          ctx.stroke();
        }
      }
    }

    // Nodes: batched by type; dimmed unless selected or next to the selection.
    for (pass = 0; pass < 2; pass++) {
      for (var t = 0; t < 3; t++) {
        ctx.beginPath();
        var some = false;
        for (i = 0; i < N; i++) {
          if (!nodeShown[i] || T[i] !== t) continue;
          var lit = !focus || i === selected || isNeighbour[i] === 1;
          if ((pass === 1) !== lit) continue;
          var x = X[i], y = Y[i];
          if (x < x0 || x > x1 || y < y0 || y > y1) continue;
          var r = radius(i, s);
          var sx = x * s + ox, sy = y * s + oy;
          if (r < 2.5) {
            ctx.rect(sx - r, sy - r, 2 * r, 2 * r);
          } else {
            ctx.moveTo(sx + r, sy);
            ctx.arc(sx, sy, r, 0, 2 * Math.PI);
          }
          some = true;
        }
        if (!some) continue;
        ctx.globalAlpha = pass ? 1 : focus ? 0.2 : 1;
        ctx.fillStyle = COLOURS[t];
        ctx.fill();
        if (!coarse && radius(labelOrder[0], s) > 4) {
          ctx.lineWidth = 1;
          ctx.strokeStyle = '#fff';
          ctx.stroke();
        }
      }
    }
    ctx.globalAlpha = 1;
    [selected, hovered].forEach(function (k, n) {
      if (k < 0 || !nodeShown[k]) return;
      ctx.beginPath();
      ctx.arc(X[k] * s + ox, Y[k] * s + oy, radius(k, s) + 3, 0, 2 * Math.PI);
      ctx.lineWidth = n === 0 ? 2.5 : 1.5;
      ctx.strokeStyle = INK;
      ctx.stroke();
    });

    stats.labels = drawLabels(s, ox, oy, coarse ? 40 : 250);
    stats.coarse = coarse;
    stats.drawMs = performance.now() - started;
    stats.draws++;
  }

  // Labels: the selection and its neighbours first, then the biggest nodes, each only where it
  // does not overlap a label already placed (checked in a coarse grid of screen cells).
  function drawLabels(s, ox, oy, most) {
    ctx.font = LABEL_FONT;
    ctx.textBaseline = 'middle';
    var CELL = 64;
    var cols = Math.ceil(width / CELL) + 1;
    var placed = {};
    var count = 0, tried = 0;
    var focus = selected >= 0;
    // Labels to draw, as triples (node, x, y): in full ink, and dimmed.
    var bright = [], dim = [];
    function overlaps(l, t, r, b) {
      for (var cy = Math.floor(t / CELL); cy <= Math.floor(b / CELL); cy++) {
        for (var cx = Math.floor(l / CELL); cx <= Math.floor(r / CELL); cx++) {
          var list = placed[cy * cols + cx];
          if (!list) continue;
          for (var k = 0; k < list.length; k += 4) {
            if (l < list[k + 2] && r > list[k] && t < list[k + 3] && b > list[k + 1]) return true;
          }
        }
      }
      return false;
    }
    function place(l, t, r, b) {
      for (var cy = Math.floor(t / CELL); cy <= Math.floor(b / CELL); cy++) {
        for (var cx = Math.floor(l / CELL); cx <= Math.floor(r / CELL); cx++) {
          var key = cy * cols + cx;
          (placed[key] || (placed[key] = [])).push(l, t, r, b);
        }
      }
    }
    // forced: drawn even over other labels; lit: in full ink while there is a selection.
    function tryLabel(k, forced, lit) {
      if (!nodeShown[k]) return;
      var r = radius(k, s);
      var sx = X[k] * s + ox, sy = Y[k] * s + oy;
      if (sx < -200 || sx > width + 200 || sy < -20 || sy > height + 20) return;
      // Small nodes get a label only when zoomed in far enough for it to fit.
      if (!forced && r < 4 && tried > 30) return;
      if (labelWidth[k] < 0) labelWidth[k] = ctx.measureText(nodes[k].name).width;
      var l = sx + r + 3, t = sy - 8, rr = l + labelWidth[k], b = sy + 8;
      if (!forced && overlaps(l - 2, t, rr + 2, b)) return;
      place(l - 2, t, rr + 2, b);
      (lit || !focus ? bright : dim).push(k, l, sy);
      count++;
    }
    if (selected >= 0) {
      tryLabel(selected, true, true);
      // Neighbours by the weight of their link, heaviest first.
      for (var q = 0; q < selectedEdges.length && count < 80; q++) {
        var ed = selectedEdges[q];
        if (!edgeShown[ed]) continue;
        tryLabel(ES[ed] === selected ? ET[ed] : ES[ed], false, true);
      }
    }
    if (hovered >= 0) tryLabel(hovered, true, true);
    for (var o = 0; o < labelOrder.length && count < most && tried < 4000; o++) {
      var k = labelOrder[o];
      if (focus && (k === selected || isNeighbour[k])) continue;
      tried++;
      tryLabel(k, false, false);
    }
    // Text is costly to draw: a light box behind every label in one fill, then the texts.
    ctx.globalAlpha = 0.8;
    ctx.fillStyle = '#fff';
    ctx.beginPath();
    [bright, dim].forEach(function (list) {
      for (var m = 0; m < list.length; m += 3) {
        ctx.rect(list[m + 1] - 1, list[m + 2] - 7, labelWidth[list[m]] + 2, 14);
      }
    });
    ctx.fill();
    ctx.fillStyle = INK;
    [dim, bright].forEach(function (list, n) {
      ctx.globalAlpha = n ? 1 : 0.45;
      for (var m = 0; m < list.length; m += 3) ctx.fillText(nodes[list[m]].name, list[m + 1], list[m + 2]);
    });
    ctx.globalAlpha = 1;
    return count;
  }

  // Radius on screen, in pixels, of node k at scale s: it grows with the zoom up to a point,
  // then stays, so that zooming in separates crowded nodes instead of only enlarging them.
  function radius(k, s) {
    return Math.max(R[k] * Math.min(s, 1.5), 1.5);
  }

  // ---- View -----------------------------------------------------------------------------------
  var MIN_SCALE = 1e-4, MAX_SCALE = 40;
  function clampScale(s) { return Math.min(MAX_SCALE, Math.max(MIN_SCALE, s)); }

  function fitTo(list, maxScale) {
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    list.forEach(function (k) {
      minX = Math.min(minX, X[k] - R[k]);
      maxX = Math.max(maxX, X[k] + R[k]);
      minY = Math.min(minY, Y[k] - R[k]);
      maxY = Math.max(maxY, Y[k] + R[k]);
    });
    if (!isFinite(minX)) return;
    var panel = document.getElementById('panel');
    var free = panel.hidden ? width : Math.max(width - panel.offsetWidth, width / 2);
    var s = Math.min((free - 60) / Math.max(maxX - minX, 1), (height - 60) / Math.max(maxY - minY, 1));
    view.scale = clampScale(Math.min(s, maxScale || MAX_SCALE));
    // Centre the nodes in the part of the canvas the panel leaves free.
    view.cx = (minX + maxX) / 2 + (width - free) / 2 / view.scale;
    view.cy = (minY + maxY) / 2;
    redraw();
  }

  function fitAll() {
    var list = [];
    for (i = 0; i < N; i++) if (nodeShown[i]) list.push(i);
    fitTo(list.length ? list : labelOrder, 8);
  }

  function zoomAt(px, py, factor) {
    var s = view.scale;
    var wx = view.cx + (px - width / 2) / s, wy = view.cy + (py - height / 2) / s;
    view.scale = clampScale(s * factor);
    view.cx = wx - (px - width / 2) / view.scale;
    view.cy = wy - (py - height / 2) / view.scale;
    moved();
    redraw();
  }

  // The shown node under screen point (px, py), or -1.
  function hit(px, py) {
    var s = view.scale;
    var wx = view.cx + (px - width / 2) / s, wy = view.cy + (py - height / 2) / s;
    var slack = 4 / s;
    var reach = Math.max(maxR, 1.5 / s) + slack;
    var c0 = Math.max(0, Math.floor((wx - reach - grid.minX) / grid.cell));
    var c1 = Math.min(grid.cols - 1, Math.floor((wx + reach - grid.minX) / grid.cell));
    var r0 = Math.max(0, Math.floor((wy - reach - grid.minY) / grid.cell));
    var r1 = Math.min(grid.rows - 1, Math.floor((wy + reach - grid.minY) / grid.cell));
    var best = -1, bestGap = Infinity;
    for (var r = r0; r <= r1; r++) {
      for (var c = c0; c <= c1; c++) {
        var list = grid.cells[r * grid.cols + c];
        for (var m = 0; m < list.length; m++) {
          var k = list[m];
          if (!nodeShown[k]) continue;
          var d = Math.hypot(X[k] - wx, Y[k] - wy);
          var gap = d - radius(k, s) / s;
          if (gap <= slack && gap < bestGap) {
            best = k;
            bestGap = gap;
          }
        }
      }
    }
    return best;
  }

  // ---- Pointer and keys on the canvas ----------------------------------------------------------
  var drag = null;
  canvas.addEventListener('pointerdown', function (ev) {
    canvas.setPointerCapture(ev.pointerId);
    drag = { x: ev.offsetX, y: ev.offsetY, moved: false };
  });
  canvas.addEventListener('pointermove', function (ev) {
    if (drag) {
      var dx = ev.offsetX - drag.x, dy = ev.offsetY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
      drag.moved = true;
      canvas.classList.add('dragging');
      view.cx -= dx / view.scale;
      view.cy -= dy / view.scale;
      drag.x = ev.offsetX;
      drag.y = ev.offsetY;
      moved();
      redraw();
      return;
    }
    var k = hit(ev.offsetX, ev.offsetY);
    if (k !== hovered) {
      hovered = k;
      canvas.classList.toggle('over-node', k >= 0);
      canvas.title = k >= 0 ? nodes[k].name + ' (' + nodes[k].type + ')' : '';
      redraw();
    }
  });
  function endDrag(ev) {
    if (!drag) return;
    var click = !drag.moved;
    drag = null;
    canvas.classList.remove('dragging');
    if (click && ev.type === 'pointerup') {
      var k = hit(ev.offsetX, ev.offsetY);
      if (k >= 0) select(k, false);
      else clearSelection();
    }
  }
  canvas.addEventListener('pointerup', endDrag);
  canvas.addEventListener('pointercancel', endDrag);
  canvas.addEventListener('pointerleave', function () {
    if (hovered >= 0 && !drag) {
      hovered = -1;
      redraw();
    }
  });
  canvas.addEventListener('wheel', function (ev) {
    ev.preventDefault();
    var dy = ev.deltaY * (ev.deltaMode === 1 ? 33 : ev.deltaMode === 2 ? 400 : 1);
    zoomAt(ev.offsetX, ev.offsetY, Math.exp(-dy * 0.002));
  }, { passive: false });
  document.getElementById('zoom-in').addEventListener('click', function () { zoomAt(width / 2, height / 2, 1.5); });
  document.getElementById('zoom-out').addEventListener('click', function () { zoomAt(width / 2, height / 2, 1 / 1.5); });
  document.getElementById('zoom-fit').addEventListener('click', fitAll);
  document.addEventListener('keydown', function (ev) {
    var typing = ev.target && (ev.target.tagName === 'INPUT' && ev.target.type !== 'checkbox' && ev.target.type !== 'range');
    if (ev.key === 'Escape') {
      if (typing && !matches.hidden) return;
      clearSelection();
      return;
    }
    if (typing || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key === '+' || ev.key === '=') zoomAt(width / 2, height / 2, 1.5);
    else if (ev.key === '-') zoomAt(width / 2, height / 2, 1 / 1.5);
    else if (ev.key === '0') fitAll();
  });
  window.addEventListener('resize', resize);

  // ---- Filters --------------------------------------------------------------------------------
  Array.prototype.forEach.call(document.querySelectorAll('#types input'), function (box) {
    box.addEventListener('change', function () {
      typeOn[TYPES.indexOf(box.getAttribute('data-type'))] = box.checked;
      applyFilters();
    });
  });
  var slider = document.getElementById('min-weight');
  slider.max = String(weights.length - 1);
  slider.addEventListener('input', function () {
    minWeight = weights[Number(slider.value)] || 1;
    document.getElementById('min-weight-value').textContent = String(minWeight);
    applyFilters();
  });
  document.getElementById('hide-unlinked').addEventListener('change', function (ev) {
    hideUnlinked = ev.target.checked;
    applyFilters();
  });

  // ---- Search ---------------------------------------------------------------------------------
  // Names are compared folded: accents removed, lower case, periods and apostrophes dropped,
  // hyphens and runs of spaces made one space.
  function fold(s) {
    return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[.'\u2019`]/g, '').replace(/[-\u2010-\u2015_\s]+/g, ' ').trim();
  }
  var keyNode = [], keyText = [], keyAlias = [];
  for (i = 0; i < N; i++) {
    var names = [nodes[i].name].concat(nodes[i].aliases || []);
    var done = {};
    for (j = 0; j < names.length; j++) {
      var f = fold(names[j]);
      if (!f || done[f]) continue;
      done[f] = true;
      keyNode.push(i);
      keyText.push(f);
      keyAlias.push(names[j]);
    }
  }
  var search = document.getElementById('search');
  var matches = document.getElementById('matches');
  var found = [];
  var active = -1;
  var SHOWN_MATCHES = 30;

  function find(query) {
    var q = fold(query);
    if (!q) return [];
    var best = new Map();
    for (var m = 0; m < keyText.length; m++) {
      var key = keyText[m];
      var at = key.indexOf(q);
      if (at < 0) continue;
      // 0 exact, 1 the start of the name, 2 the start of a word, 3 anywhere.
      var rank = key === q ? 0 : at === 0 ? 1 : key.charAt(at - 1) === ' ' ? 2 : 3;
      var k = keyNode[m];
      var had = best.get(k);
      if (!had || rank < had.rank) best.set(k, { node: k, rank: rank, alias: keyAlias[m] });
    }
    var list = Array.from(best.values());
    list.sort(function (a, b) {
      return a.rank - b.rank || nodes[b.node].mentions - nodes[a.node].mentions ||
        (nodes[a.node].name < nodes[b.node].name ? -1 : nodes[a.node].name > nodes[b.node].name ? 1 : 0);
    });
    return list;
  }

  function showMatches() {
    found = find(search.value);
    active = found.length ? 0 : -1;
    matches.textContent = '';
    if (!search.value.trim()) {
      matches.hidden = true;
      return;
    }
    found.slice(0, SHOWN_MATCHES).forEach(function (m, k) {
      var li = document.createElement('li');
      li.setAttribute('role', 'option');
      li.id = 'match-' + k;
      var name = document.createElement('span');
      name.className = 'name';
      name.textContent = nodes[m.node].name;
      li.appendChild(name);
      if (m.alias !== nodes[m.node].name) {
        var alias = document.createElement('span');
        alias.className = 'alias';
        alias.textContent = '“' + m.alias + '”';
        li.appendChild(alias);
      }
      var type = document.createElement('span');
      type.className = 'type';
      type.textContent = nodes[m.node].type + (nodeShown[m.node] ? '' : ', hidden by the filters');
      li.appendChild(type);
      li.addEventListener('mousedown', function (ev) { ev.preventDefault(); });
      li.addEventListener('click', function () { choose(k); });
      matches.appendChild(li);
    });
    if (!found.length || found.length > SHOWN_MATCHES) {
      var more = document.createElement('li');
      more.className = 'more';
      more.textContent = found.length ? 'and ' + (found.length - SHOWN_MATCHES) + ' more; type more of the name' : 'no entity has that name';
      matches.appendChild(more);
    }
    matches.hidden = false;
    markActive();
  }

  function markActive() {
    Array.prototype.forEach.call(matches.querySelectorAll('li[role=option]'), function (li, k) {
      li.setAttribute('aria-selected', k === active ? 'true' : 'false');
      if (k === active) li.scrollIntoView({ block: 'nearest' });
    });
  }

  function choose(k) {
    var m = found[k];
    if (!m) return;
    matches.hidden = true;
    select(m.node, true);
  }

  search.addEventListener('input', showMatches);
  search.addEventListener('focus', function () { if (search.value.trim()) showMatches(); });
  search.addEventListener('blur', function () { matches.hidden = true; });
  search.addEventListener('keydown', function (ev) {
    var shown = Math.min(found.length, SHOWN_MATCHES);
    if (ev.key === 'ArrowDown' && shown) {
      active = (active + 1) % shown;
      markActive();
      ev.preventDefault();
    } else if (ev.key === 'ArrowUp' && shown) {
      active = (active - 1 + shown) % shown;
      markActive();
      ev.preventDefault();
    } else if (ev.key === 'Enter') {
      choose(active < 0 ? 0 : active);
      ev.preventDefault();
    } else if (ev.key === 'Escape') {
      matches.hidden = true;
    }
  });

  // ---- Selection and the side panel -----------------------------------------------------------
  var panel = document.getElementById('panel');
  var body = document.getElementById('panel-body');
  document.getElementById('panel-close').addEventListener('click', clearSelection);

  function clearSelection() {
    if (selected < 0) return;
    for (var q = firstEdge[selected]; q < firstEdge[selected + 1]; q++) {
      var ed = nodeEdges[q];
      isNeighbour[ES[ed]] = 0;
      isNeighbour[ET[ed]] = 0;
    }
    selected = -1;
    panel.hidden = true;
    body.textContent = '';
    redraw();
  }

  function select(k, centre) {
    var started = performance.now();
    clearSelection();
    selected = k;
    selectedEdges = Array.prototype.slice.call(nodeEdges, firstEdge[k], firstEdge[k + 1]);
    selectedEdges.sort(function (a, b) { return EW[b] - EW[a] || a - b; });
    var around = [k];
    for (var q = firstEdge[k]; q < firstEdge[k + 1]; q++) {
      var ed = nodeEdges[q];
      var other = ES[ed] === k ? ET[ed] : ES[ed];
      isNeighbour[other] = 1;
      if (edgeShown[ed]) around.push(other);
    }
    fillPanel(k);
    panel.hidden = false;
    if (centre) fitTo(around, Math.max(view.scale, 2));
    redraw();
    stats.selectMs = performance.now() - started;
  }

  function el(tag, className, text) {
    var x = document.createElement(tag);
    if (className) x.className = className;
    if (text !== undefined) x.textContent = text;
    return x;
  }

  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }

  // A list of evidence sentences: the sentence, then its document and span.
  function sentenceList(indices, extra) {
    var ul = el('ul', 'sentences');
    indices.forEach(function (sIdx, k) {
      var s = data.sentences[sIdx];
      var li = el('li');
      li.appendChild(el('span', 'sentence', s[3]));
      if (extra && extra[k]) li.appendChild(el('span', 'where', extra[k]));
      li.appendChild(el('span', 'doc', data.documents[s[0]] + ' [' + s[1] + '..' + s[2] + ']'));
      ul.appendChild(li);
    });
    return ul;
  }

  function fillPanel(k) {
    var n = nodes[k];
    body.textContent = '';
    body.appendChild(el('h2', 'name', n.name));
    var meta = el('p', 'meta');
    meta.appendChild(el('span', 'type ' + n.type, n.type));
    meta.appendChild(document.createTextNode(' ' + plural(n.mentions, 'mention', 'mentions') + ' in ' +
      plural(n.docs.length, 'document', 'documents') + ' · id ' + n.id));
    body.appendChild(meta);

    var others = (n.aliases || []).filter(function (a) { return a !== n.name; });
    if (others.length) {
      body.appendChild(el('h3', null, 'Also called'));
      body.appendChild(el('p', 'aliases', others.join(' · ')));
    }

    if (n.roles && n.roles.length) {
      body.appendChild(el('h3', null, 'Roles'));
      var roles = el('ul', 'roles');
      n.roles.forEach(function (r) {
        var li = el('li');
        var d = el('details');
        d.appendChild(el('summary', null, r.role + ' (' + plural(r.ev.length, 'sentence', 'sentences') + ')'));
        d.appendChild(sentenceList(r.ev));
        li.appendChild(d);
        roles.appendChild(li);
      });
      body.appendChild(roles);
    }

    var mine = [];
    for (var q = firstEdge[k]; q < firstEdge[k + 1]; q++) mine.push(nodeEdges[q]);
    mine.sort(function (a, b) { return EMET[b] - EMET[a] || EW[b] - EW[a] || a - b; });
    var metCount = mine.filter(function (ed) { return EMET[ed]; }).length;
    body.appendChild(el('h3', null, 'Links (' + mine.length + (metCount ? ', met ' + metCount : '') + ')'));
    var list = el('ul', 'links');
    body.appendChild(list);
    var FIRST = 100;
    mine.slice(0, FIRST).forEach(function (ed) { list.appendChild(linkItem(k, ed)); });
    if (mine.length > FIRST) {
      var more = el('button', 'more', 'Show the other ' + (mine.length - FIRST) + ' links');
      more.type = 'button';
      more.addEventListener('click', function () {
        mine.slice(FIRST).forEach(function (ed) { list.appendChild(linkItem(k, ed)); });
        more.remove();
      });
      body.appendChild(more);
    }

    body.appendChild(el('h3', null, 'Documents'));
    var docs = el('details');
    docs.appendChild(el('summary', null, plural(n.docs.length, 'document', 'documents')));
    var dl = el('ul', 'sentences');
    n.docs.slice(0, 500).forEach(function (d) { dl.appendChild(el('li', 'doc', data.documents[d])); });
    if (n.docs.length > 500) dl.appendChild(el('li', 'note', 'and ' + (n.docs.length - 500) + ' more'));
    docs.appendChild(dl);
    body.appendChild(docs);
    body.scrollTop = 0;
    panel.scrollTop = 0;
  }

  function linkItem(k, ed) {
    var edge = edges[ed];
    var other = edge.s === k ? edge.t : edge.s;
    var o = nodes[other];
    var li = el('li', 'link' + (EMET[ed] ? ' met' : ''));
    li.setAttribute('data-neighbour', o.id);
    var d = el('details');
    var sum = el('summary');
    sum.appendChild(el('span', 'name', o.name));
    sum.appendChild(el('span', 'weight', o.type + ', ' + plural(edge.w, 'sentence', 'sentences')));
    if (EMET[ed]) sum.appendChild(el('span', 'badge-met', 'met'));
    d.appendChild(sum);
    // The evidence is put in when the link is first opened: a hub has hundreds of links.
    var filled = false;
    function fillEvidence() {
      if (filled) return;
      filled = true;
      if (edge.met) {
        var places = [], dates = [];
        (edge.meetings || []).forEach(function (m) {
          m.places.forEach(function (p) { if (places.indexOf(p) < 0) places.push(p); });
          m.dates.forEach(function (x) { if (dates.indexOf(x) < 0) dates.push(x); });
        });
        var said = 'Met: ' + plural(edge.met, 'sentence says', 'sentences say') + ' so' +
          (places.length ? '; in ' + places.join(', ') : '') + (dates.length ? '; on ' + dates.join(', ') : '');
        d.appendChild(el('p', 'note', said));
        d.appendChild(sentenceList(
          (edge.meetings || []).map(function (m) { return m.ev; }),
          (edge.meetings || []).map(function (m) {
            var w = [];
            if (m.places.length) w.push('in ' + m.places.join(', '));
            if (m.dates.length) w.push('on ' + m.dates.join(', '));
            return w.join('; ');
          })));
      }
      d.appendChild(el('p', 'note', 'Mentioned together in ' + plural(edge.w, 'sentence', 'sentences') +
        (edge.ev.length < edge.w ? ' (the first ' + edge.ev.length + ' kept)' : '') + ':'));
      d.appendChild(sentenceList(edge.ev));
      var go = el('button', 'go', 'Select ' + o.name);
      go.type = 'button';
      go.addEventListener('click', function () { select(other, true); });
      d.appendChild(go);
    }
    sum.addEventListener('click', fillEvidence);
    if (d.open) fillEvidence();
    li.appendChild(d);
    return li;
  }

  // ---- Start ----------------------------------------------------------------------------------
  if (data.title) document.title = data.title;
  applyFilters();
  resize();
  fitAll();

  // For scripts (the browser test) and the curious: what is drawn, and where.
  window.entigraphPage = {
    stats: function () {
      return { nodes: N, edges: E, shownNodes: shownNodes, shownEdges: shownEdges, drawMs: stats.drawMs, selectMs: stats.selectMs, draws: stats.draws, labels: stats.labels, coarse: !!stats.coarse, scale: view.scale, selected: selected >= 0 ? nodes[selected].id : null };
    },
    isShown: function (id) {
      for (var k = 0; k < N; k++) if (nodes[k].id === id) return nodeShown[k] === 1;
      return false;
    },
    screenPosition: function (id) {
      for (var k = 0; k < N; k++) {
        if (nodes[k].id === id) {
          var rect = canvas.getBoundingClientRect();
          return { x: rect.left + (X[k] - view.cx) * view.scale + width / 2, y: rect.top + (Y[k] - view.cy) * view.scale + height / 2 };
        }
      }
      return null;
    }
  };
})();

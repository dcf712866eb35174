// The docs site: the lineage graph (sigma over graphology, WebGL; the layout comes precomputed in
// data/graph.js), node pages loaded per chunk (data/pages-N.js) and a search index (data/search.js).
// Data arrives as script files calling the functions below, so index.html works from file://.
(function () {
  'use strict';

  var COLORS = { source: '#2f9e44', seed: '#0c8599', model: '#1c7ed6', snapshot: '#7048e8', test: '#adb5bd', unit_test: '#adb5bd', exposure: '#f08c00', analysis: '#868e96' };
  var FAILED = { error: 1, fail: 1, 'runtime error': 1 };
  var g = null; // graph data
  var byId = new Map();
  var renderer = null;
  var focus = null; // Set of node numbers, or null for all
  var showTests = false;
  var search = null;
  var searchWaiters = [];
  var chunks = new Map();
  var chunkWaiters = new Map();

  var api = (window.strataDocs = {
    interactiveAt: null,
    timings: {},
    graphData: function () { return g; },
    focused: function () { return focus ? Array.from(focus).map(function (i) { return g.id[i]; }).sort() : null; },
    visibleCount: function () { return visibleCount(); },
    renderer: function () { return renderer; },
    select: function (text) { return applySelection(text); },
    search: function (text, limit) { return searchMatches(text, limit || 20).map(function (i) { return g.id[i]; }); },
    searchReady: function () { return search !== null; },
  });

  function $(id) { return document.getElementById(id); }
  function esc(s) { return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; }); }
  // Descriptions are markdown, as on dbt's docs site (marked, vendored). HTML written in them is shown
  // as text, and a link or image goes only to http(s), mailto, an anchor or a relative address.
  var markdown = null;
  function safeUrl(href) { return /^(https?:|mailto:|#|\/|\.|[\w-]+(\/|$))/i.test(href) && !/^(javascript|data|vbscript):/i.test(href); }
  function md(s, inline) {
    if (!s) return '';
    if (!window.marked) return esc(s);
    if (!markdown) {
      markdown = new window.marked.Marked({ gfm: true, breaks: true, async: false });
      markdown.use({ renderer: {
        html: function (token) { return esc(token.text); },
        link: function (token) { var text = this.parser.parseInline(token.tokens); return safeUrl(token.href) ? '<a href="' + esc(token.href) + '"' + (token.title ? ' title="' + esc(token.title) + '"' : '') + '>' + text + '</a>' : text; },
        image: function (token) { return safeUrl(token.href) ? '<img src="' + esc(token.href) + '" alt="' + esc(token.text) + '">' : esc(token.text); },
      } });
    }
    return inline ? markdown.parseInline(String(s)) : markdown.parse(String(s));
  }
  function typeOf(i) { return g.types[g.type[i]]; }
  function statusOf(i) { return g.status[i] === -1 ? null : g.statuses[g.status[i]]; }
  function nodeLink(i, text) { return '<a href="#node/' + encodeURIComponent(g.id[i]) + '">' + esc(text || g.name[i]) + '</a>'; }
  function isTest(i) { return g.test[i] !== ''; }

  // ---- data loading ------------------------------------------------------------------------
  window.strataDocsGraph = function (data) {
    g = StrataGraphData.expand(data);
    for (var i = 0; i < g.id.length; i++) byId.set(g.id[i], i);
    $('project-name').textContent = (g.project || 'Strata') + ' docs';
    document.title = (g.project || 'Strata') + ' docs';
    route();
    // The search index is not needed to interact; fetch it once the graph is up.
    setTimeout(function () { loadScript('data/search.js'); }, 0);
  };
  window.strataDocsPages = function (k, pages) {
    chunks.set(k, pages);
    (chunkWaiters.get(k) || []).forEach(function (f) { f(pages); });
    chunkWaiters.delete(k);
  };
  window.strataDocsSearch = function (entries) {
    search = entries;
    searchWaiters.forEach(function (f) { f(); });
    searchWaiters = [];
  };

  function loadScript(src) {
    var s = document.createElement('script');
    s.src = src;
    document.body.appendChild(s);
  }

  function withPage(i, done) {
    var k = Math.floor(i / g.chunk_size);
    var ready = function (pages) { done(pages[i - k * g.chunk_size]); };
    if (chunks.has(k)) return ready(chunks.get(k));
    if (!chunkWaiters.has(k)) { chunkWaiters.set(k, []); loadScript('data/pages-' + k + '.js'); }
    chunkWaiters.get(k).push(ready);
  }

  // ---- routing -----------------------------------------------------------------------------
  function route() {
    if (!g) return;
    var hash = decodeURIComponent(location.hash.replace(/^#/, ''));
    var view = hash.indexOf('node/') === 0 ? 'node' : hash.indexOf('overview') === 0 ? 'overview' : 'graph';
    ['graph', 'overview', 'node'].forEach(function (v) { $(v + '-view').hidden = v !== view; });
    document.querySelectorAll('header nav a').forEach(function (a) { a.classList.toggle('active', a.dataset.view === view); });
    if (view === 'graph') {
      showGraph();
      var m = /^graph\?select=(.*)$/.exec(hash);
      if (m) { $('search').value = m[1]; applySelection(m[1]); }
    } else if (view === 'overview') renderOverview();
    else renderNode(hash.slice(5));
  }
  window.addEventListener('hashchange', route);

  // ---- the graph ---------------------------------------------------------------------------
  // Tests are most of a big project's nodes and hidden by default: they join the rendered graph
  // only when asked for (the tests box, or a selection that includes some), so sigma indexes and
  // draws only what can be seen.
  var graph = null;
  var testsAdded = false;
  var edgesAdded = false;
  function addEdges(keep) {
    for (var e = 0; e < g.edges.length; e += 2) if (keep(g.edges[e], g.edges[e + 1])) graph.mergeEdge(g.edges[e], g.edges[e + 1]);
  }
  var touchesTest = function (s, t) { return isTest(s) || isTest(t); };
  function ensureTests() {
    if (testsAdded || !graph) return;
    testsAdded = true;
    var n = g.id.length, size = nodeSize();
    for (var i = 0; i < n; i++) if (isTest(i)) graph.addNode(i, nodeAttributes(i, size * 0.6));
    if (edgesAdded) addEdges(touchesTest);
  }
  // A big graph's edges join the rendered graph the first time any are to be drawn.
  function ensureEdges() {
    if (edgesAdded || !graph) return;
    edgesAdded = true;
    addEdges(function (s, t) { return !touchesTest(s, t) || testsAdded; });
  }

  // Level of detail: thousands of edges at once are a grey mass that costs most of a frame, so a
  // big graph draws edges only where at most EDGE_LIMIT of them can reach the screen: once zoomed
  // in far enough, or for a selection of at most EDGE_LIMIT nodes. view is the box (the screen and
  // a quarter screen around it, in graph coordinates) whose edges are drawn; null draws them all.
  var EDGE_LIMIT = 4000;
  var mainEdges = 0;
  var edgesShown = true;
  var view = null;
  function viewBox() {
    if (!renderer || renderer.getCamera().getState().ratio >= 0.9) return null;
    var d = renderer.getDimensions();
    var a = renderer.viewportToGraph({ x: -d.width / 4, y: -d.height / 4 }), b = renderer.viewportToGraph({ x: d.width * 1.25, y: d.height * 1.25 });
    return { x0: Math.min(a.x, b.x), x1: Math.max(a.x, b.x), y0: Math.min(a.y, b.y), y1: Math.max(a.y, b.y) };
  }
  // Both ends beyond the same side of the box: the edge cannot cross the screen.
  function sameBox(a, b) {
    return a === b || (a && b && a.x0 === b.x0 && a.x1 === b.x1 && a.y0 === b.y0 && a.y1 === b.y1);
  }
  function offScreen(box, s, t) {
    return (g.x[s] < box.x0 && g.x[t] < box.x0) || (g.x[s] > box.x1 && g.x[t] > box.x1) || (g.y[s] < box.y0 && g.y[t] < box.y0) || (g.y[s] > box.y1 && g.y[t] > box.y1);
  }
  function wantEdges(box) {
    if (!graph || mainEdges <= EDGE_LIMIT) return true;
    if (focus && focus.size <= EDGE_LIMIT) return true;
    if (!box) return false;
    var near = 0;
    for (var e = 0; e < g.edges.length; e += 2) {
      var s = g.edges[e], t = g.edges[e + 1];
      if ((showTests || (!isTest(s) && !isTest(t))) && !offScreen(box, s, t) && ++near > EDGE_LIMIT) return false;
    }
    return true;
  }
  api.drawnEdges = function () {
    var n = 0;
    // An edge is drawn when neither it nor either of its ends is hidden.
    var shown = function (key) { var d = renderer.getNodeDisplayData(key); return d && !d.hidden; };
    if (graph) graph.forEachEdge(function (e, attributes, s, t) { var d = renderer.getEdgeDisplayData(e); if (d && !d.hidden && shown(s) && shown(t)) n++; });
    return n;
  };

  function nodeSize() { var n = g.id.length; return n < 200 ? 7 : n < 2000 ? 5 : 3; }
  function nodeAttributes(i, size) {
    return { x: g.x[i], y: g.y[i], size: size, label: g.name[i], color: FAILED[statusOf(i)] ? '#e03131' : COLORS[typeOf(i)] || '#868e96' };
  }

  function includeTestsOf(nodes) {
    for (var it = nodes.values(), v = it.next(); !v.done; v = it.next()) if (isTest(v.value)) return ensureTests();
  }

  function showGraph() {
    if (renderer) { renderer.refresh(); return; }
    api.timings.dataLoaded = performance.now();
    graph = new graphology.DirectedGraph();
    var n = g.id.length, size = nodeSize();
    for (var i = 0; i < n; i++) if (!isTest(i)) graph.addNode(i, nodeAttributes(i, size));
    for (var e = 0; e < g.edges.length; e += 2) if (!touchesTest(g.edges[e], g.edges[e + 1])) mainEdges++;
    if (mainEdges <= EDGE_LIMIT) ensureEdges();
    api.timings.graphBuilt = performance.now();
    var hovered = null;
    var neighbours = new Set();
    // Big graphs get the cheapest programs: one vertex per node (points) and plain lines, since
    // layers already say which way an edge goes. On a software renderer that halves each frame.
    var big = n > 2000;
    var programs = big && Sigma.rendering ? {
      nodeProgramClasses: { circle: Sigma.rendering.NodePointProgram },
      edgeProgramClasses: { line: Sigma.rendering.EdgeLineProgram },
    } : {};
    // Sigma starts on an empty graph so that the framing is set before the one real render.
    renderer = new Sigma(new graphology.DirectedGraph(), $('graph'), Object.assign(programs, {
      defaultEdgeType: big ? 'line' : 'arrow',
      defaultEdgeColor: '#b8c0c8',
      labelRenderedSizeThreshold: n < 2000 ? 0 : 6,
      labelDensity: n < 2000 ? 3 : 0.7,
      labelFont: 'system-ui, sans-serif',
      hideEdgesOnMove: g.id.length > 5000,
      // Nodes grow as one zooms in (labels appear from about 4x), up to about three times their size.
      zoomToSizeRatioFunction: big ? function (ratio) { return Math.max(Math.sqrt(ratio), 0.3); } : function (ratio) { return Math.sqrt(ratio); },
      zIndex: false,
      minCameraRatio: 0.002,
      maxCameraRatio: 4,
      nodeReducer: function (key, data) {
        var i = +key;
        if (focus ? !focus.has(i) : isTest(i) && !showTests) return Object.assign({}, data, { hidden: true });
        // A small selection of a big graph is drawn larger, big enough for labels.
        if (big && focus && focus.size <= 1000 && hovered === null) return Object.assign({}, data, { size: 6 });
        if (hovered === null) return data;
        if (hovered !== null && hovered !== i && !neighbours.has(i)) return Object.assign({}, data, { color: '#dee2e6', label: '' });
        if (hovered === i) return Object.assign({}, data, { highlighted: true });
        return data;
      },
      edgeReducer: function (key, data) {
        if (!edgesShown) return Object.assign({}, data, { hidden: true });
        var ends = graph.extremities(key);
        if (view && offScreen(view, +ends[0], +ends[1])) return Object.assign({}, data, { hidden: true });
        if (hovered === null) return data;
        return +ends[0] === hovered || +ends[1] === hovered ? Object.assign({}, data, { color: '#495057', size: 2 }) : Object.assign({}, data, { hidden: true });
      },
    }));
    // Dimming all but a hovered node's neighbours redraws everything; on a big graph, where
    // that costs a frame, hovering shows the node's label only (sigma draws that on its own).
    renderer.on('enterNode', function (ev) {
      $('graph').style.cursor = 'pointer';
      if (big) return;
      hovered = +ev.node;
      neighbours = new Set(graph.neighbors(ev.node).map(Number));
      renderer.refresh({ skipIndexation: true });
    });
    renderer.on('leaveNode', function () {
      $('graph').style.cursor = '';
      if (big) return;
      hovered = null;
      neighbours = new Set();
      renderer.refresh({ skipIndexation: true });
    });
    api.timings.sigmaReady = performance.now();
    renderer.on('clickNode', function (ev) { location.hash = 'node/' + encodeURIComponent(g.id[+ev.node]); });
    edgesShown = wantEdges(null);
    var settling = null;
    // Once the camera rests, draw the edges near the screen if there are few enough of them.
    renderer.getCamera().on('updated', function () {
      if (!big) return;
      clearTimeout(settling);
      settling = setTimeout(function () {
        var box = viewBox(), want = wantEdges(box);
        if (want === edgesShown && (!want || sameBox(box, view))) return;
        edgesShown = want;
        view = want ? box : null;
        if (want) ensureEdges();
        renderer.refresh({ skipIndexation: true });
        updateStatus();
      }, 120);
    });
    renderer.setCustomBBox(framing(null));
    renderer.setGraph(graph);
    legend();
    updateStatus();
    // Interactive once the first frame is on screen and the main thread is free again.
    requestAnimationFrame(function () {
      setTimeout(function () { api.interactiveAt = performance.now(); document.body.dataset.graphReady = 'true'; }, 0);
    });
  }

  function legend() {
    var seen = {};
    for (var i = 0; i < g.type.length; i++) seen[typeOf(i)] = true;
    $('legend').innerHTML = Object.keys(COLORS).filter(function (t) { return seen[t] && t !== 'unit_test'; }).map(function (t) { return '<span><i style="background:' + COLORS[t] + '"></i>' + t + '</span>'; }).join('') + '<span><i style="background:#e03131"></i>failed</span>';
  }

  function visibleCount() {
    if (focus) return focus.size;
    var n = 0;
    for (var i = 0; i < g.id.length; i++) if (showTests || !isTest(i)) n++;
    return n;
  }

  function updateStatus(message) {
    $('graph-status').textContent = message || (focus ? focus.size + ' of ' + g.id.length + ' nodes selected' : visibleCount() + ' nodes' + (showTests ? '' : ' (tests hidden)')) + (edgesShown ? '' : '; edges appear when you zoom in or select');
    $('clear-focus').hidden = !focus;
  }

  // The bounding box that frames the given nodes (all when null), with room around them for labels.
  function framing(nodes) {
    var minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    var each = function (i) { minX = Math.min(minX, g.x[i]); maxX = Math.max(maxX, g.x[i]); minY = Math.min(minY, g.y[i]); maxY = Math.max(maxY, g.y[i]); };
    if (nodes) nodes.forEach(each);
    else for (var i = 0; i < g.id.length; i++) if (!isTest(i)) each(i);
    if (minX === Infinity) return null;
    var padX = Math.max(3, (maxX - minX) * 0.08), padY = Math.max(1, (maxY - minY) * 0.05);
    return { x: [minX - padX, maxX + padX * 2], y: [minY - padY, maxY + padY] };
  }

  function fitTo(nodes) {
    if (!renderer) return;
    edgesShown = wantEdges(null);
    // A selection needs only its own edges; all of them come when the whole graph needs them.
    if (edgesShown && nodes && !edgesAdded) addEdges(function (s, t) { return nodes.has(s) && nodes.has(t); });
    else if (edgesShown) ensureEdges();
    view = null;
    renderer.setCustomBBox(framing(nodes));
    var camera = renderer.getCamera(), state = camera.getState();
    if (state.x !== 0.5 || state.y !== 0.5 || state.ratio !== 1 || state.angle !== 0) camera.setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
    renderer.refresh();
  }

  function applySelection(text) {
    if (!text.trim()) { focus = null; fitTo(null); updateStatus(); return { nodes: [] }; }
    var result = StrataSelection.select(g, text);
    if (result.error) { updateStatus(result.error); return { error: result.error, nodes: [] }; }
    focus = result.nodes;
    includeTestsOf(focus);
    if (location.hash.indexOf('#graph') !== 0 && location.hash !== '') { location.hash = 'graph?select=' + encodeURIComponent(text); return { nodes: api.focused() }; }
    fitTo(focus.size ? focus : null);
    updateStatus(focus.size ? null : "the selection '" + text + "' matches no node");
    return { nodes: api.focused() };
  }

  // ---- search ------------------------------------------------------------------------------
  var active = -1;
  function searchMatches(text, limit) {
    var q = text.trim().toLowerCase();
    if (!q || !search) return [];
    var exact = [], prefix = [], name = [], other = [];
    for (var i = 0; i < search.length && exact.length + prefix.length < limit; i++) {
      var entry = search[i], cut = entry.indexOf('\u0001'), n = cut === -1 ? entry : entry.slice(0, cut);
      if (n === q) exact.push(i);
      else if (n.indexOf(q) === 0) prefix.push(i);
      else if (n.indexOf(q) !== -1) name.push(i);
      else if (entry.indexOf(q, cut) !== -1) other.push(i);
    }
    var byTests = function (a, b) { return (isTest(a) ? 1 : 0) - (isTest(b) ? 1 : 0); };
    return exact.concat(prefix.sort(byTests), name.sort(byTests), other.sort(byTests)).slice(0, limit);
  }

  function hintFor(i, q) {
    var entry = search[i], parts = entry.split('\u0001');
    if (parts[0].indexOf(q) !== -1) return g.path[i];
    // An exposure has no columns: what follows its description is its label and owner.
    for (var k = 1; k < parts.length; k++) if (parts[k].indexOf(q) !== -1) return (k === 1 || typeOf(i) === 'exposure' ? '' : 'column: ') + parts[k].slice(0, 90);
    return g.path[i];
  }

  function showResults() {
    var text = $('search').value, list = $('results');
    active = -1;
    if (!text.trim()) { list.hidden = true; return; }
    if (!search) { list.innerHTML = '<li class="muted">loading the search index...</li>'; list.hidden = false; searchWaiters.push(showResults); return; }
    var q = text.trim().toLowerCase();
    var items = searchMatches(text, 20).map(function (i) {
      return '<li data-node="' + i + '"><span class="badge ' + typeOf(i) + '">' + typeOf(i) + '</span><span>' + esc(g.name[i]) + '</span><span class="hint">' + esc(hintFor(i, q)) + '</span></li>';
    });
    var selector = StrataSelection.looksLikeSelector(g, text) ? '<li data-select="1"><b>Enter</b>&nbsp;to select <code>' + esc(text.trim()) + '</code> in the graph</li>' : '';
    list.innerHTML = selector + (items.join('') || (selector ? '' : '<li class="muted">no match</li>'));
    list.hidden = false;
  }

  function chooseResult(li) {
    $('results').hidden = true;
    if (li.dataset.node !== undefined) location.hash = 'node/' + encodeURIComponent(g.id[+li.dataset.node]);
    else if (li.dataset.select) selectFromBox();
  }

  function selectFromBox() {
    var text = $('search').value.trim();
    $('results').hidden = true;
    if (StrataSelection.looksLikeSelector(g, text) || !search) {
      // On the graph already: select at once, and keep the selection in the address without a reload.
      if (!$('graph-view').hidden) {
        applySelection(text);
        history.replaceState(null, '', '#graph?select=' + encodeURIComponent(text));
      } else location.hash = 'graph?select=' + encodeURIComponent(text);
      return;
    }
    // Free text: focus the graph on everything the search finds.
    focus = new Set(searchMatches(text, 5000));
    includeTestsOf(focus);
    if (location.hash.indexOf('#graph') !== 0 && location.hash !== '') location.hash = 'graph';
    fitTo(focus.size ? focus : null);
    updateStatus(focus.size ? focus.size + " nodes match '" + text + "'" : "nothing matches '" + text + "'");
  }

  document.addEventListener('DOMContentLoaded', function () {
    var box = $('search'), list = $('results');
    box.addEventListener('input', showResults);
    box.addEventListener('keydown', function (ev) {
      var items = list.querySelectorAll('li[data-node], li[data-select]');
      if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
        ev.preventDefault();
        active = Math.max(0, Math.min(items.length - 1, active + (ev.key === 'ArrowDown' ? 1 : -1)));
        items.forEach(function (li, k) { li.classList.toggle('active', k === active); });
      } else if (ev.key === 'Enter') {
        ev.preventDefault();
        if (active >= 0 && items[active]) chooseResult(items[active]);
        else selectFromBox();
      } else if (ev.key === 'Escape') list.hidden = true;
    });
    list.addEventListener('mousedown', function (ev) {
      var li = ev.target.closest('li');
      if (li) { ev.preventDefault(); chooseResult(li); }
    });
    box.addEventListener('blur', function () { list.hidden = true; });
    $('clear-focus').addEventListener('click', function () { $('search').value = ''; applySelection(''); });
    $('show-tests').addEventListener('change', function (ev) { showTests = ev.target.checked; if (showTests) ensureTests(); if (renderer) renderer.refresh(); updateStatus(); });
  });

  // ---- overview ----------------------------------------------------------------------------
  function table(head, rows) {
    if (!rows.length) return '<p class="muted">none</p>';
    return '<table><tr>' + head.map(function (h) { return '<th>' + h + '</th>'; }).join('') + '</tr>' + rows.map(function (r) { return '<tr>' + r.map(function (c) { return '<td>' + c + '</td>'; }).join('') + '</tr>'; }).join('') + '</table>';
  }
  function statusText(s) { return '<span class="status ' + esc(String(s).split(' ')[0]) + '">' + esc(s) + '</span>'; }
  function age(seconds) {
    if (seconds == null) return '';
    var units = [[86400, 'd'], [3600, 'h'], [60, 'min']];
    for (var k = 0; k < units.length; k++) if (seconds >= units[k][0]) return (seconds / units[k][0]).toFixed(1) + ' ' + units[k][1];
    return Math.round(seconds) + ' s';
  }

  function renderOverview() {
    var o = g.overview, html = '<h1>' + esc(g.project) + '</h1><p class="meta"><span>adapter ' + esc(g.adapter_type) + '</span><span>generated ' + esc(g.generated_at) + '</span></p>';
    html += '<h2>Resources</h2><div class="cards">' + Object.keys(o.counts).sort().map(function (t) { return '<div class="card"><b>' + o.counts[t].toLocaleString() + '</b>' + t + 's</div>'; }).join('') + '</div>';
    html += '<h2>Models by layer</h2>' + table(['layer', 'models', ''], o.layers.map(function (l) { return [esc(l.name), l.models.toLocaleString(), (l.name === '(root)' ? '' : '<a href="#graph?select=' + encodeURIComponent(g.project + '.' + l.name) + '">show in graph</a>')]; }));
    if (o.exposures && o.exposures.length) html += '<h2>Exposures</h2>' + table(['exposure', 'type', 'maturity', 'owner'], o.exposures.map(function (x) { return [nodeLink(x.node), esc(x.type), esc(x.maturity || ''), esc(x.owner || '')]; }));
    html += '<h2>Last run</h2>' + (o.run ? '<p>' + esc(o.run.command || 'run') + ' at ' + esc(o.run.generated_at) + (o.run.elapsed_time != null ? ', ' + o.run.elapsed_time.toFixed(2) + ' s' : '') + ': ' + Object.keys(o.run.statuses).map(function (s) { return statusText(s) + ' ' + o.run.statuses[s]; }).join(', ') + '</p>' : '<p class="muted">no run_results.json in target/: run <code>strata build</code>, then generate the docs again.</p>');
    html += '<h2>Slowest models</h2>' + table(['model', 'seconds', 'status'], o.slowest.map(function (r) { return [nodeLink(r.node), r.seconds.toFixed(2), statusText(r.status)]; }));
    html += '<h2>Failing tests and nodes</h2>' + table(['node', 'status', 'message'], o.failing.map(function (r) { return [nodeLink(r.node), statusText(r.status), esc(r.message || (r.failures != null ? r.failures + ' failures' : ''))]; }));
    html += '<h2>Stale sources</h2>' + (o.freshness ? table(['source', 'status', 'age', 'error'], o.stale.map(function (r) { return [nodeLink(r.node, g.source[r.node] + '.' + g.name[r.node]), statusText(r.status), age(r.age_s), esc(r.error || '')]; })) : '<p class="muted">no sources.json in target/: run <code>strata source freshness</code>.</p>');
    $('overview-view').innerHTML = html;
  }

  // ---- node pages --------------------------------------------------------------------------
  function renderNode(id) {
    var view = $('node-view');
    var i = byId.get(id);
    if (i === undefined) { view.innerHTML = '<h1>Not found</h1><p>No node ' + esc(id) + ' in this project.</p>'; return; }
    view.innerHTML = '<h1>' + esc(g.name[i]) + '</h1><p class="muted">loading...</p>';
    withPage(i, function (page) { if (byId.get(decodeURIComponent(location.hash.slice(6))) === i) view.innerHTML = nodeHtml(i, page); wireTabs(view); });
  }

  function colRef(ref) { return nodeLink(ref[0], g.name[ref[0]] + '.' + ref[1]); }

  function nodeHtml(i, p) {
    var t = typeOf(i), adj = adjacencyOf(i);
    var title = t === 'source' ? g.source[i] + '.' + g.name[i] : g.name[i];
    var html = '<h1><span class="badge ' + t + '">' + t + '</span>' + esc(title) + '</h1>';
    html += '<p class="meta">' + [p.materialized && t !== 'source' ? 'materialized ' + esc(p.materialized) : '', p.relation ? '<code>' + esc(p.relation) + '</code>' : '', p.relation_type ? esc(p.relation_type.toLowerCase()) : '', p.owner ? 'owner ' + esc(p.owner) : '', p.tags.length ? 'tags ' + p.tags.map(esc).join(', ') : '', esc(g.path[i])].filter(Boolean).map(function (s) { return '<span>' + s + '</span>'; }).join('') + '</p>';
    var selector = t === 'source' ? 'source:' + g.source[i] + '.' + g.name[i] : t === 'exposure' ? 'exposure:' + g.name[i] : g.name[i];
    html += '<p><a href="#graph?select=' + encodeURIComponent('+' + selector + '+') + '">show in the lineage graph</a></p>';
    if (p.exposure) html += exposureHtml(p.exposure);
    if (p.description || p.source_description) html += '<h2>Description</h2><div class="description">' + md(p.description || p.source_description) + '</div>';
    if (p.result) html += '<h2>Latest result</h2><p>' + statusText(p.result.status) + ' in ' + p.result.execution_time.toFixed(2) + ' s' + (p.result.completed_at ? ', finished ' + esc(p.result.completed_at) : '') + (p.result.failures ? ', ' + p.result.failures + ' failing rows' : '') + (p.result.message ? '<br><code>' + esc(p.result.message) + '</code>' : '') + '</p>';
    if (p.freshness) html += '<h2>Freshness</h2><p>' + statusText(p.freshness.status) + (p.freshness.max_loaded_at ? ': newest row loaded ' + esc(p.freshness.max_loaded_at) + ' (' + age(p.freshness.age_s) + ' before ' + esc(p.freshness.snapshotted_at) + ')' : '') + (p.freshness.error ? '<br><code>' + esc(p.freshness.error) + '</code>' : '') + '</p>';
    if (p.test) html += '<h2>Test</h2><p><code>' + esc(p.test.name) + '</code>' + (p.test.column ? ' on column <code>' + esc(p.test.column) + '</code>' : '') + (Object.keys(p.test.kwargs).length ? ' <code>' + esc(JSON.stringify(p.test.kwargs)) + '</code>' : '') + '</p>';
    if (p.columns.length) html += columnsHtml(p);
    if (p.columns.some(function (c) { return (c.from && c.from.length) || c.used_by.length; })) html += '<h2>Column lineage graph</h2>' + columnGraph(i, p);
    html += '<h2>Depends on</h2>' + linkList(adj.parents) + '<h2>Referenced by</h2>' + linkList(adj.children.filter(function (c) { return !isTest(c); }));
    var tests = adj.children.filter(isTest);
    if (tests.length) html += '<h2>Tests</h2>' + table(['test', 'latest status'], tests.map(function (c) { return [nodeLink(c), statusOf(c) ? statusText(statusOf(c)) : '<span class="muted">not run</span>']; }));
    if (p.raw_code || p.compiled_code) {
      html += '<h2>Code</h2><div class="tabs">' + (p.raw_code ? '<button type="button" data-tab="raw" class="on">source</button>' : '') + (p.compiled_code ? '<button type="button" data-tab="compiled"' + (p.raw_code ? '' : ' class="on"') + '>compiled</button>' : '') + '</div>';
      if (p.raw_code) html += '<pre class="code" data-pane="raw">' + esc(p.raw_code) + '</pre>';
      if (p.compiled_code) html += '<pre class="code" data-pane="compiled"' + (p.raw_code ? ' hidden' : '') + '>' + esc(p.compiled_code) + '</pre>';
    }
    if (p.config) html += '<h2>Config</h2><pre class="code">' + esc(JSON.stringify(p.config, null, 2)) + '</pre>';
    return html;
  }

  // Only web addresses become links: a `javascript:` url from a YAML file must not run in the site.
  function exposureHtml(x) {
    var link = /^https?:\/\//i.test(x.url || '') ? '<a class="exposure-url" href="' + esc(x.url) + '" target="_blank" rel="noopener">' + esc(x.url) + '</a>' : x.url ? '<code>' + esc(x.url) + '</code>' : '<span class="muted">none</span>';
    var owner = [x.owner_name ? esc(x.owner_name) : '', x.owner_email ? '<a class="exposure-email" href="mailto:' + esc(x.owner_email) + '">' + esc(x.owner_email) + '</a>' : ''].filter(Boolean).join(', ');
    var rows = [['label', x.label ? esc(x.label) : ''], ['type', esc(x.type)], ['maturity', x.maturity ? esc(x.maturity) : '<span class="muted">not given</span>'], ['owner', owner], ['url', link]].filter(function (r) { return r[1]; });
    return '<h2>Exposure</h2><table class="exposure">' + rows.map(function (r) { return '<tr><th>' + r[0] + '</th><td class="exposure-' + r[0] + '">' + r[1] + '</td></tr>'; }).join('') + '</table>';
  }

  function columnsHtml(p) {
    var hasLineage = p.columns.some(function (c) { return c.from !== null; });
    var head = ['column', 'type', 'description', 'tests'].concat(hasLineage ? ['upstream columns'] : []).concat(['used by']);
    return '<h2>Columns</h2>' + (p.lineage_error ? '<p class="unknown">Column lineage unknown: ' + esc(p.lineage_error) + '</p>' : '') + table(head, p.columns.map(function (c) {
      var row = ['<code id="col-' + esc(c.name) + '">' + esc(c.name) + '</code>', c.type ? '<code>' + esc(c.type) + '</code>' : '<span class="muted">not built</span>', md(c.description, true), c.tests.map(function (t) { return nodeLink(t, g.name[t]) + (statusOf(t) ? ' ' + statusText(statusOf(t)) : ''); }).join('<br>')];
      if (hasLineage) {
        var up = (c.from || []).map(colRef).join('<br>');
        if (c.unknown) up += (up ? '<br>' : '') + '<span class="unknown">unknown: ' + esc(c.unknown) + '</span>';
        else if (c.from && !c.from.length) up = '<span class="muted">none (a constant or count)</span>';
        row.push(up);
      }
      row.push(c.used_by.slice(0, 20).map(colRef).join('<br>') + (c.used_by.length > 20 ? '<br><span class="muted">and ' + (c.used_by.length - 20) + ' more</span>' : ''));
      return row;
    }));
  }

  // Three columns: upstream columns, this node's columns, downstream columns; a line per lineage edge.
  function columnGraph(i, p) {
    var left = [], right = [], leftAt = new Map(), rightAt = new Map(), edges = [];
    p.columns.forEach(function (c, k) {
      (c.from || []).forEach(function (r) { var key = r[0] + '.' + r[1]; if (!leftAt.has(key)) { leftAt.set(key, left.length); left.push(r); } edges.push(['l', leftAt.get(key), k]); });
      c.used_by.slice(0, 20).forEach(function (r) { var key = r[0] + '.' + r[1]; if (!rightAt.has(key)) { rightAt.set(key, right.length); right.push(r); } edges.push(['r', rightAt.get(key), k]); });
    });
    var row = 22, height = Math.max(left.length, p.columns.length, right.length) * row + 20, colX = [20, 380, 740], width = 1100;
    var y = function (k) { return 20 + k * row; };
    var svg = '<svg class="columns-graph" width="' + width + '" height="' + height + '">';
    edges.forEach(function (e) {
      var x1 = e[0] === 'l' ? colX[0] + 300 : colX[1] + 300, y1 = e[0] === 'l' ? y(e[1]) : y(e[2]);
      var x2 = e[0] === 'l' ? colX[1] - 8 : colX[2] - 8, y2 = e[0] === 'l' ? y(e[2]) : y(e[1]);
      svg += '<path d="M' + x1 + ' ' + (y1 - 4) + ' C' + (x1 + 40) + ' ' + (y1 - 4) + ' ' + (x2 - 40) + ' ' + (y2 - 4) + ' ' + x2 + ' ' + (y2 - 4) + '" stroke="#91a7ff" fill="none"/>';
    });
    var label = function (x, k, r, anchor) { return '<a href="#node/' + encodeURIComponent(g.id[r[0]]) + '"><text x="' + x + '" y="' + y(k) + '" text-anchor="' + anchor + '"><tspan class="col-node">' + esc(g.name[r[0]]) + '.</tspan>' + esc(r[1]) + '</text></a>'; };
    // Upstream labels end where their lines start.
    left.forEach(function (r, k) { svg += label(colX[0] + 292, k, r, 'end'); });
    right.forEach(function (r, k) { svg += label(colX[2], k, r, 'start'); });
    p.columns.forEach(function (c, k) { svg += '<text x="' + colX[1] + '" y="' + y(k) + '" font-weight="600">' + esc(c.name) + (c.unknown ? ' ?' : '') + '</text>'; });
    return svg + '</svg>';
  }

  function linkList(list) {
    if (!list.length) return '<p class="muted">none</p>';
    return '<ul class="links">' + list.map(function (k) { return '<li>' + nodeLink(k, (typeOf(k) === 'source' ? g.source[k] + '.' : '') + g.name[k]) + ' <span class="muted">' + typeOf(k) + '</span></li>'; }).join('') + '</ul>';
  }

  function adjacencyOf(i) {
    var parents = [], children = [];
    for (var e = 0; e < g.edges.length; e += 2) {
      if (g.edges[e + 1] === i) parents.push(g.edges[e]);
      if (g.edges[e] === i) children.push(g.edges[e + 1]);
    }
    return { parents: parents, children: children };
  }

  function wireTabs(view) {
    view.querySelectorAll('.tabs button').forEach(function (b) {
      b.addEventListener('click', function () {
        view.querySelectorAll('.tabs button').forEach(function (o) { o.classList.toggle('on', o === b); });
        view.querySelectorAll('pre[data-pane]').forEach(function (pre) { pre.hidden = pre.dataset.pane !== b.dataset.tab; });
      });
    });
  }
})();

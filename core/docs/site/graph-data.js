// Expands data/graph.js (written by core/docs/compact-graph.ts) back into one array per field.
// Plain script: defines globalThis.StrataGraphData.
(function (root) {
  'use strict';
  function expand(c) {
    var n = c.name.length, id = new Array(n), path = new Array(n), fqn = new Array(n), tags = new Array(n);
    for (var i = 0; i < n; i++) {
      var full = c.id_full[i];
      id[i] = full !== undefined ? full : c.types[c.type[i]] + '.' + c.packages[c.package[i]] + '.' + (c.source[i] ? c.source[i] + '.' : '') + c.name[i] + c.id_suffix[i];
      path[i] = c.paths[c.path[i]];
      var prefix = c.fqn[i] === -1 ? null : c.fqn_prefixes[c.fqn[i]];
      fqn[i] = prefix === null ? c.fqn_full[i] : prefix ? prefix + '.' + c.name[i] : c.name[i];
      tags[i] = c.tag_sets[c.tags[i]];
    }
    var g = {};
    for (var key in c) if (!/^(id_suffix|id_full|paths|fqn_prefixes|fqn_full|tag_sets)$/.test(key)) g[key] = c[key];
    g.id = id;
    g.path = path;
    g.fqn = fqn;
    g.tags = tags;
    return g;
  }
  root.StrataGraphData = { expand: expand };
})(typeof globalThis !== 'undefined' ? globalThis : this);

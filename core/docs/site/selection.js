// The CLI's selection syntax (`+fct_orders`, `tag:finance`, `source:shop+`, `a,b`, `a b`) over the
// docs site's graph data, in the browser. It follows core/selection (methods and graph operators);
// selection.test.ts checks both give the same nodes. Plain script: defines globalThis.StrataSelection.
(function (root) {
  'use strict';

  var ATOM = /^(@)?(?:(\d*)\+)?(?:([\w.]+):)?([\s\S]*?)(?:\+(\d*))?$/;

  function hasWildcard(p) { return /[*?[\]]/.test(p); }

  function escapeRegExp(t) { return t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'); }

  function translate(pattern) {
    var out = '', i = 0;
    while (i < pattern.length) {
      var c = pattern[i++];
      if (c === '*') { out += '.*'; while (pattern[i] === '*') i++; }
      else if (c === '?') out += '.';
      else if (c === '[') {
        var j = i;
        if (pattern[j] === '!') j++;
        if (pattern[j] === ']') j++;
        while (j < pattern.length && pattern[j] !== ']') j++;
        if (j >= pattern.length) { out += '\\['; continue; }
        var body = pattern.slice(i, j);
        i = j + 1;
        var negate = body.charAt(0) === '!';
        if (negate) body = body.slice(1);
        out += '[' + (negate ? '^' : '') + body.replace(/[\\\]\[^]/g, '\\$&') + ']';
      } else out += escapeRegExp(c);
    }
    return out;
  }

  function globRegExp(p) {
    try { return new RegExp('^' + translate(p) + '$', 's'); } catch (e) { return new RegExp('^' + escapeRegExp(p) + '$', 's'); }
  }

  function globMatcher(p) {
    if (!hasWildcard(p)) return function (t) { return t === p; };
    var re = globRegExp(p);
    return function (t) { return re.test(t); };
  }

  function normalizePath(p) {
    return p.replace(/\\/g, '/').split('/').filter(function (s) { return s !== '' && s !== '.'; }).join('/');
  }

  function pathMatcher(pattern) {
    var normalized = normalizePath(pattern);
    if (normalized === '') return function () { return true; };
    if (!hasWildcard(normalized)) {
      return function (p) { p = normalizePath(p); return p === normalized || p.indexOf(normalized + '/') === 0; };
    }
    var segments = normalized.split('/').map(function (s) { return s === '**' ? null : globMatcher(s); });
    function match(pi, parts, si, end) {
      if (pi === segments.length) return si === end;
      var m = segments[pi];
      if (m === null) {
        for (var next = si; next <= end; next++) if (match(pi + 1, parts, next, end)) return true;
        return false;
      }
      return si < end && m(parts[si]) && match(pi + 1, parts, si + 1, end);
    }
    return function (p) {
      var parts = normalizePath(p).split('/');
      for (var end = parts.length; end > 0; end--) if (match(0, parts, 0, end)) return true;
      return false;
    };
  }

  function fqnMatcher(selector) {
    var parts = selector.split('.');
    var wildcardAt = -1;
    for (var k = 0; k < parts.length; k++) if (hasWildcard(parts[k])) { wildcardAt = k; break; }
    var fixed = wildcardAt === -1 ? parts : parts.slice(0, wildcardAt);
    var rest = wildcardAt === -1 ? null : globRegExp(parts.slice(wildcardAt).join('.'));
    var leaf = parts.length === 1 && rest ? rest : null;
    return function (fqn) {
      if (fqn.length === 0) return false;
      var name = fqn[fqn.length - 1];
      if (name === selector || (leaf && leaf.test(name))) return true;
      if (fqn.length < parts.length) return false;
      for (var i = 0; i < fixed.length; i++) if (fqn[i] !== fixed[i]) return false;
      return rest ? rest.test(fqn.slice(fixed.length).join('.')) : true;
    };
  }

  function SelectionError(message) { this.message = message; }

  var METHODS = {
    fqn: function (g, value) {
      var isMatch = fqnMatcher(value), out = [];
      for (var i = 0; i < g.id.length; i++) {
        if (g.types[g.type[i]] === 'source') continue;
        var fqn = g.fqn[i] ? g.fqn[i].split('.') : [];
        if (isMatch(fqn) || isMatch(fqn.slice(1))) out.push(i);
      }
      return out;
    },
    tag: function (g, value) {
      var isMatch = globMatcher(value), out = [];
      for (var i = 0; i < g.id.length; i++) if (g.tags[i] && g.tags[i].split(' ').some(isMatch)) out.push(i);
      return out;
    },
    path: function (g, value) {
      var isMatch = pathMatcher(value), out = [];
      for (var i = 0; i < g.id.length; i++) if (isMatch(g.path[i])) out.push(i);
      return out;
    },
    file: function (g, value) {
      var isMatch = globMatcher(value), out = [];
      for (var i = 0; i < g.id.length; i++) {
        var p = g.path[i].replace(/\\/g, '/'), name = p.slice(p.lastIndexOf('/') + 1), dot = name.lastIndexOf('.');
        if (isMatch(name) || (dot > 0 && isMatch(name.slice(0, dot)))) out.push(i);
      }
      return out;
    },
    package: function (g, value) {
      var isMatch = globMatcher(value), out = [];
      for (var i = 0; i < g.id.length; i++) if (isMatch(g.packages[g.package[i]])) out.push(i);
      return out;
    },
    source: function (g, value) {
      var parts = value.split('.');
      if (parts.length > 3 || parts.some(function (p) { return p === ''; })) throw new SelectionError("'" + value + "' is not a source selector: write source:<source_name> or source:<source_name>.<table_name>");
      var triple = parts.length === 3 ? parts : ['*', parts[0], parts[1] || '*'];
      var pm = globMatcher(triple[0]), sm = globMatcher(triple[1]), tm = globMatcher(triple[2]), out = [];
      for (var i = 0; i < g.id.length; i++) {
        if (g.types[g.type[i]] !== 'source') continue;
        if (pm(g.packages[g.package[i]]) && sm(g.source[i]) && tm(g.name[i])) out.push(i);
      }
      return out;
    },
    exposure: function (g, value) {
      var parts = value.split('.');
      if (parts.length > 2 || parts.some(function (p) { return p === ''; })) throw new SelectionError("'" + value + "' is not an exposure selector: write exposure:<name> or exposure:<package>.<name>");
      var pm = globMatcher(parts.length === 2 ? parts[0] : '*'), nm = globMatcher(parts[parts.length - 1]), out = [];
      for (var i = 0; i < g.id.length; i++) {
        if (g.types[g.type[i]] === 'exposure' && pm(g.packages[g.package[i]]) && nm(g.name[i])) out.push(i);
      }
      return out;
    },
    resource_type: function (g, value) {
      var out = [];
      for (var i = 0; i < g.id.length; i++) if (g.types[g.type[i]] === value) out.push(i);
      return out;
    },
    test_type: function (g, value) {
      var want = { generic: 'g', singular: 's', unit: 'u' }[value];
      if (!want && value !== 'data') throw new SelectionError("'" + value + "' is not a test type (generic, singular, unit, data)");
      var out = [];
      for (var i = 0; i < g.id.length; i++) {
        var t = g.test[i];
        if (t && (value === 'data' ? t !== 'u' : t === want)) out.push(i);
      }
      return out;
    },
    config: function (g, value, args) {
      var key = args.join('.'), out = [], i;
      if (key === 'materialized') {
        for (i = 0; i < g.id.length; i++) if (g.mat[i] !== -1 && g.materializations[g.mat[i]] === value) out.push(i);
        return out;
      }
      if (key === 'tags') return METHODS.tag(g, value);
      throw new SelectionError('the docs site selects by config.materialized and config.tags; use the CLI for config.' + key);
    },
  };

  function defaultMethod(value) {
    if (value.indexOf('/') !== -1 || value.indexOf('\\') !== -1) return 'path';
    if (/\.(sql|py|csv)$/i.test(value)) return 'file';
    return 'fqn';
  }

  function adjacency(g) {
    if (g._adjacency) return g._adjacency;
    var n = g.id.length, parents = new Array(n), children = new Array(n), i;
    for (i = 0; i < n; i++) { parents[i] = []; children[i] = []; }
    for (i = 0; i < g.edges.length; i += 2) { children[g.edges[i]].push(g.edges[i + 1]); parents[g.edges[i + 1]].push(g.edges[i]); }
    Object.defineProperty(g, '_adjacency', { value: { parents: parents, children: children }, enumerable: false });
    return g._adjacency;
  }

  // One breadth-first walk from all start nodes; a node is first reached at its shortest distance.
  function walk(g, start, maxDepth, up) {
    var adj = adjacency(g), next = up ? adj.parents : adj.children, seen = new Set(start), frontier = start.slice();
    for (var level = 1; frontier.length > 0 && (maxDepth === null || level <= maxDepth); level++) {
      var found = [];
      for (var f = 0; f < frontier.length; f++) {
        var list = next[frontier[f]];
        for (var k = 0; k < list.length; k++) if (!seen.has(list[k])) { seen.add(list[k]); found.push(list[k]); }
      }
      frontier = found;
    }
    return seen;
  }

  function depth(text) { return text === undefined || text === '' ? null : Number(text); }

  function atom(g, raw) {
    var m = ATOM.exec(raw);
    if (!m) throw new SelectionError("invalid selector '" + raw + "'");
    var at = m[1] !== undefined, value = m[4], methodText = m[3];
    if (at && m[5] !== undefined) throw new SelectionError("invalid selector '" + raw + "': '@' and a '+' suffix cannot be combined");
    if (value === '') throw new SelectionError("invalid selector '" + raw + "': no node name");
    if (methodText === undefined) {
      var mis = /^([\w.-]+):./.exec(value);
      if (mis) { methodText = mis[1]; value = value.slice(mis[1].length + 1); }
    }
    var parts = (methodText || defaultMethod(value)).split('.');
    var method = METHODS[parts[0]];
    if (!method) throw new SelectionError("invalid selector '" + raw + "': unknown method '" + parts[0] + "' (methods: " + Object.keys(METHODS).join(', ') + ')');
    if (parts[0] === 'config' && parts.length < 2) throw new SelectionError("invalid selector '" + raw + "': method 'config' needs a key, e.g. config.materialized:" + value);
    var base = method(g, value, parts.slice(1));
    var result = new Set(base);
    if (at) {
      var down = walk(g, base, null, false);
      walk(g, Array.from(down), null, true).forEach(function (i) { result.add(i); });
      return result;
    }
    if (m[2] !== undefined) walk(g, base, depth(m[2]), true).forEach(function (i) { result.add(i); });
    if (m[5] !== undefined) walk(g, base, depth(m[5]), false).forEach(function (i) { result.add(i); });
    return result;
  }

  /** Node numbers a selection matches, or {error} for a malformed one. An empty text selects nothing. */
  function select(g, text) {
    try {
      var union = new Set();
      text.split(/\s+/).filter(Boolean).forEach(function (member) {
        var atoms = member.split(',');
        if (atoms.some(function (a) { return a === ''; })) throw new SelectionError("invalid selector '" + member + "': empty part around ','");
        var sets = atoms.map(function (a) { return atom(g, a); });
        sets[0].forEach(function (i) {
          for (var k = 1; k < sets.length; k++) if (!sets[k].has(i)) return;
          union.add(i);
        });
      });
      return { nodes: union };
    } catch (e) {
      if (e instanceof SelectionError) return { nodes: new Set(), error: e.message };
      throw e;
    }
  }

  /** Whether text is meant as a selector rather than a free-text search. */
  function looksLikeSelector(g, text) {
    var t = text.trim();
    if (/[+@:,]|\s/.test(t)) return true;
    return g.name.indexOf(t) !== -1;
  }

  root.StrataSelection = { select: select, looksLikeSelector: looksLikeSelector };
})(typeof globalThis !== 'undefined' ? globalThis : this);

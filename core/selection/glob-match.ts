/** Whether a selector value uses fnmatch wildcards (`*`, `?`, `[abc]`), as dbt checks it. */
export function hasWildcard(pattern: string): boolean {
  return /[*?[\]]/.test(pattern);
}

/**
 * A RegExp for a Unix shell-style pattern with Python's `fnmatch` semantics, which dbt uses:
 * `*` matches anything (dots and slashes included), `?` one character, `[abc]`, `[a-z]`, `[!a]`.
 */
export function globRegExp(pattern: string): RegExp {
  try {
    return new RegExp(`^${translate(pattern)}$`, 's');
  } catch {
    // A malformed class such as `[z-a]`: fnmatch would match nothing useful either, so match literally.
    return new RegExp(`^${escapeRegExp(pattern)}$`, 's');
  }
}

/** A predicate testing strings against an fnmatch pattern, exact comparison when it has no wildcard. */
export function globMatcher(pattern: string): (text: string) => boolean {
  if (!hasWildcard(pattern)) return (text) => text === pattern;
  const re = globRegExp(pattern);
  return (text) => re.test(text);
}

/**
 * A predicate for project-relative file paths with Python `pathlib` glob semantics, as dbt's `path:`
 * method globs from the project root: wildcards stay within one segment and `**` spans any number
 * of directories. A path matches when it, or one of its parent directories, matches the pattern.
 */
export function pathMatcher(pattern: string): (path: string) => boolean {
  const normalized = normalizePath(pattern);
  // `path:.` is the project root, which holds everything.
  if (normalized === '') return () => true;
  if (!hasWildcard(normalized)) {
    return (path) => {
      const p = normalizePath(path);
      return p === normalized || p.startsWith(`${normalized}/`);
    };
  }
  const segments = normalized.split('/').map((s) => (s === '**' ? null : globMatcher(s)));
  return (path) => {
    const parts = normalizePath(path).split('/');
    // The file itself and each parent directory, longest first.
    for (let end = parts.length; end > 0; end--) {
      if (matchSegments(segments, 0, parts, 0, end)) return true;
    }
    return false;
  };
}

/** Forward slashes, no `./` prefix, no trailing or doubled slash. */
export function normalizePath(path: string): string {
  return path
    .replace(/\\/g, '/')
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}

type SegmentMatcher = ((segment: string) => boolean) | null;

function matchSegments(pattern: SegmentMatcher[], pi: number, parts: string[], si: number, end: number): boolean {
  if (pi === pattern.length) return si === end;
  const matcher = pattern[pi];
  if (matcher === null) {
    for (let next = si; next <= end; next++) {
      if (matchSegments(pattern, pi + 1, parts, next, end)) return true;
    }
    return false;
  }
  return si < end && matcher(parts[si]) && matchSegments(pattern, pi + 1, parts, si + 1, end);
}

function translate(pattern: string): string {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i++];
    if (c === '*') {
      out += '.*';
      while (pattern[i] === '*') i++;
    } else if (c === '?') {
      out += '.';
    } else if (c === '[') {
      let j = i;
      if (pattern[j] === '!') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j++;
      if (j >= pattern.length) {
        out += '\\[';
        continue;
      }
      let body = pattern.slice(i, j);
      i = j + 1;
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      out += `[${negate ? '^' : ''}${body.replace(/[\\\]\[^]/g, '\\$&')}]`;
    } else {
      out += escapeRegExp(c);
    }
  }
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

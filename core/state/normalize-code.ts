import { createHash } from 'node:crypto';

/** How a file's text is read for comparison: SQL with Handlebars, or a JavaScript/TypeScript macro module. */
export type CodeLanguage = 'sql' | 'javascript';

const WORD = /[A-Za-z0-9_$]/;

/**
 * The text of a model, macro or test with comments and insignificant whitespace removed, so
 * that state comparison sees what would execute, not how it is laid out. Quoted strings and
 * identifiers are kept as written; whitespace survives only between two word characters.
 */
export function normalizeCode(text: string, language: CodeLanguage = 'sql'): string {
  const out: string[] = [];
  let last = '';
  let pendingSpace = false;
  const emit = (chunk: string) => {
    if (pendingSpace && WORD.test(last) && WORD.test(chunk[0])) out.push(' ');
    pendingSpace = false;
    out.push(chunk);
    last = chunk[chunk.length - 1];
  };
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    const next = text[i + 1];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
      pendingSpace = true;
      i++;
      continue;
    }
    if (language === 'sql' && c === '{' && next === '{' && text[i + 2] === '!') {
      // Handlebars comments: `{{!-- ... --}}` may hold `}}`, `{{! ... }}` may not.
      const long = text.startsWith('{{!--', i);
      const end = text.indexOf(long ? '--}}' : '}}', i + 3);
      i = end < 0 ? n : end + (long ? 4 : 2);
      pendingSpace = true;
      continue;
    }
    if ((language === 'sql' && c === '-' && next === '-') || (language === 'javascript' && c === '/' && next === '/')) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end;
      pendingSpace = true;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      pendingSpace = true;
      continue;
    }
    if (c === "'" || c === '"' || (language === 'javascript' && c === '`')) {
      const end = quotedEnd(text, i, language);
      emit(text.slice(i, end));
      i = end;
      continue;
    }
    emit(c);
    i++;
  }
  return out.join('');
}

/** sha256 of the normalized text. */
export function codeChecksum(text: string, language: CodeLanguage = 'sql'): string {
  return createHash('sha256').update(normalizeCode(text, language)).digest('hex');
}

/** The index just past a quoted string starting at `start`: SQL doubles its quotes, JavaScript escapes with `\`. */
function quotedEnd(text: string, start: number, language: CodeLanguage): number {
  const quote = text[start];
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (language === 'javascript' && c === '\\') {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (language === 'sql' && text[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return text.length;
}

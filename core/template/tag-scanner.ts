// The lexer for what lies between `{{` and `}}`, mirroring the token rules of Handlebars' own
// lexer (handlebars.l) in the order they are tried, so edge cases tokenize the same way.

/** Token kinds inside a tag. */
export const Tok = {
  EOF: 0,
  ID: 1,
  SEP: 2,
  EQUALS: 3,
  OPEN_SEXPR: 4,
  CLOSE_SEXPR: 5,
  STRING: 6,
  NUMBER: 7,
  BOOLEAN: 8,
  UNDEFINED: 9,
  NULL: 10,
  DATA: 11,
  OPEN_BLOCK_PARAMS: 12,
  CLOSE_BLOCK_PARAMS: 13,
  CLOSE: 14,
  CLOSE_UNESCAPED: 15,
  /** A `{{` inside a tag: the tag was never closed. */
  OPEN_TAG: 16,
  INVALID: 17,
  UNTERMINATED: 18,
} as const;
export type Tok = (typeof Tok)[keyof typeof Tok];

/** Whether a UTF-16 code unit is whitespace in the sense of JavaScript's `\s`. */
export function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return c === 160 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

// ID = [^\s!"#%-,\.\/;->@\[-\^`\{-~]+ ; ASCII characters allowed in an ID.
const ID_CHAR = new Uint8Array(128);
for (let c = 33; c < 127; c++) ID_CHAR[c] = 1;
for (const ch of '!"#%&\'()*+,./;<=>@[\\]^`{|}~') ID_CHAR[ch.charCodeAt(0)] = 0;

function isIdChar(c: number): boolean {
  return c < 128 ? ID_CHAR[c] === 1 : !isSpace(c);
}

/** LOOKAHEAD = [=~}\s\/.)|]: what must follow an ID. */
function isIdEnd(c: number): boolean {
  return c === 61 || c === 126 || c === 125 || c === 47 || c === 46 || c === 41 || c === 124 || isSpace(c);
}

/** LITERAL_LOOKAHEAD = [~}\s)]: what must follow a number or keyword literal. */
function isLiteralEnd(c: number): boolean {
  return c === 126 || c === 125 || c === 41 || isSpace(c);
}

function keyword(text: string): Tok {
  if (text === 'true' || text === 'false') return Tok.BOOLEAN;
  if (text === 'null') return Tok.NULL;
  return text === 'undefined' ? Tok.UNDEFINED : Tok.ID;
}

/**
 * A cursor over a template's source that tracks line and column. The parser moves it over
 * content itself and calls `next()` for the tokens inside a tag.
 */
export class TagScanner {
  pos = 0;
  line = 1;
  lineStart = 0;
  /** The current token: its kind, text (unquoted for strings) and where it starts. */
  tok: Tok = Tok.EOF;
  value = '';
  tokLine = 1;
  tokColumn = 0;
  /** For CLOSE tokens: a `~` before the `}}`. For ID tokens: written as `[segment]`. */
  flag = false;

  /** The current token's kind (a method, so type narrowing does not outlive `next()`). */
  current(): Tok {
    return this.tok;
  }

  /** Offset of the first newline at or after `pos` (the source length if none). */
  private newline: number;

  constructor(readonly src: string) {
    const first = src.indexOf('\n');
    this.newline = first === -1 ? src.length : first;
  }

  /** Moves to `index`, counting the newlines passed. */
  advanceTo(index: number): void {
    while (this.newline < index) {
      this.line++;
      this.lineStart = this.newline + 1;
      const next = this.src.indexOf('\n', this.newline + 1);
      this.newline = next === -1 ? this.src.length : next;
    }
    this.pos = index;
  }

  /** 0-based column of an offset on the current line. */
  column(index: number): number {
    return index - this.lineStart;
  }

  /** Reads the next token inside a tag. */
  next(): Tok {
    const src = this.src;
    let p = this.pos;
    let c = src.charCodeAt(p);
    while (isSpace(c)) c = src.charCodeAt(++p);
    this.advanceTo(p);
    this.tokLine = this.line;
    this.tokColumn = p - this.lineStart;
    this.flag = false;
    if (p >= src.length) return this.token(Tok.EOF, p, '');
    switch (c) {
      case 40: // (
        return this.token(Tok.OPEN_SEXPR, p + 1, '(');
      case 41: // )
        return this.token(Tok.CLOSE_SEXPR, p + 1, ')');
      case 123: // {
        return src.charCodeAt(p + 1) === 123 ? this.token(Tok.OPEN_TAG, p + 2, '{{') : this.token(Tok.INVALID, p + 1, '{');
      case 125: {
        // }
        const c1 = src.charCodeAt(p + 1);
        const c2 = src.charCodeAt(p + 2);
        if (c1 === 125 && c2 === 125) {
          return src.charCodeAt(p + 3) === 125 ? this.token(Tok.INVALID, p + 4, '}}}}') : this.token(Tok.CLOSE_UNESCAPED, p + 3, '}}}');
        }
        if (c1 === 126 && c2 === 125 && src.charCodeAt(p + 3) === 125) {
          this.flag = true;
          return this.token(Tok.CLOSE_UNESCAPED, p + 4, '}~}}');
        }
        return c1 === 125 ? this.token(Tok.CLOSE, p + 2, '}}') : this.token(Tok.INVALID, p + 1, '}');
      }
      case 126: // ~
        if (src.startsWith('}}', p + 1)) {
          this.flag = true;
          return this.token(Tok.CLOSE, p + 3, '~}}');
        }
        return this.token(Tok.INVALID, p + 1, '~');
      case 61: // =
        return this.token(Tok.EQUALS, p + 1, '=');
      case 46: // .
        if (src.charCodeAt(p + 1) === 46) return this.token(Tok.ID, p + 2, '..');
        if (p + 1 < src.length && isIdEnd(src.charCodeAt(p + 1))) return this.token(Tok.ID, p + 1, '.');
        return this.token(Tok.SEP, p + 1, '.');
      case 47: // /
        return this.token(Tok.SEP, p + 1, '/');
      case 34: // "
      case 39: // '
        return this.quoted(p, c, Tok.STRING);
      case 64: // @
        return this.token(Tok.DATA, p + 1, '@');
      case 124: // |
        return this.token(Tok.CLOSE_BLOCK_PARAMS, p + 1, '|');
      case 91: // [
        return this.quoted(p, 93, Tok.ID);
    }
    const number = this.number(p);
    if (number > p) return this.token(Tok.NUMBER, number, src.slice(p, number));
    if (c === 97 && src.charCodeAt(p + 1) === 115 && isSpace(src.charCodeAt(p + 2))) {
      // `as |`
      let q = p + 2;
      while (isSpace(src.charCodeAt(q))) q++;
      if (src.charCodeAt(q) === 124) {
        this.advanceTo(q + 1);
        return this.token(Tok.OPEN_BLOCK_PARAMS, q + 1, 'as |');
      }
    }
    let end = p;
    while (end < src.length && isIdChar(src.charCodeAt(end))) end++;
    if (end === p || end >= src.length || !isIdEnd(src.charCodeAt(end))) return this.token(Tok.INVALID, p + 1, src[p]);
    const text = src.slice(p, end);
    const kind = isLiteralEnd(src.charCodeAt(end)) ? keyword(text) : Tok.ID;
    return this.token(kind, end, text);
  }

  private token(kind: Tok, end: number, value: string): Tok {
    // Tokens that may span lines (strings, `as |`) count their newlines before getting here.
    this.pos = end;
    this.tok = kind;
    this.value = value;
    return kind;
  }

  /** `-?[0-9]+(\.[0-9]+)?` followed by a literal terminator; returns the end, or `p` if none. */
  private number(p: number): number {
    const src = this.src;
    let q = src.charCodeAt(p) === 45 ? p + 1 : p;
    const digits = q;
    while (src.charCodeAt(q) >= 48 && src.charCodeAt(q) <= 57) q++;
    if (q === digits) return p;
    if (src.charCodeAt(q) === 46) {
      let r = q + 1;
      while (src.charCodeAt(r) >= 48 && src.charCodeAt(r) <= 57) r++;
      if (r > q + 1) q = r;
    }
    return q < src.length && isLiteralEnd(src.charCodeAt(q)) ? q : p;
  }

  /**
   * A quoted string (`"..."`, `'...'`) or a bracketed segment (`[...]`), where a backslash
   * escapes only the closing character (and, in brackets, a backslash). As in Handlebars'
   * regular expression, a string that never closes ends at its last escaped quote, if any.
   */
  private quoted(p: number, close: number, kind: Tok): Tok {
    const src = this.src;
    let lastEscape = -1;
    let q = p + 1;
    for (; q < src.length; q++) {
      const c = src.charCodeAt(q);
      if (c === 92 && src.charCodeAt(q + 1) === close) {
        lastEscape = ++q;
      } else if (c === close) {
        break;
      }
    }
    if (q >= src.length) {
      if (lastEscape < 0) {
        this.pos = p;
        this.tok = Tok.UNTERMINATED;
        this.value = src[p];
        return Tok.UNTERMINATED;
      }
      q = lastEscape;
    }
    const raw = src.slice(p, q + 1);
    this.advanceTo(q + 1);
    if (kind === Tok.STRING) {
      const quote = src[p];
      const inner = raw.slice(1, -1);
      return this.token(kind, q + 1, inner.includes('\\') ? inner.split(`\\${quote}`).join(quote) : inner);
    }
    const unescaped = raw.replace(/\\([\\\]])/g, '$1');
    this.flag = true;
    // Handlebars strips the brackets only when no newline is inside.
    return this.token(kind, q + 1, /^\[.*\]$/.test(unescaped) ? unescaped.slice(1, -1) : unescaped);
  }
}

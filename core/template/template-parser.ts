// The statement half of the template parser: text, tags, blocks with their `{{else}}`
// chains, partials and comments. What lies inside a tag is parsed by `ExpressionParser`.
import { ExpressionParser, NO_STRIP, originalOf, strip, toPath, type OpenTag, type Position } from './expression-parser.js';
import { Tok, isSpace } from './tag-scanner.js';
import type { BlockStatement, CommentStatement, Literal, MustacheStatement, PartialStatement, Program, Statement, StripFlags, Template } from './template-ast.js';
import { CONVERT_HINT, findJinjaTag } from './jinja-hints.js';
import { applyWhitespaceControl } from './whitespace-control.js';

export type { Template } from './template-ast.js';

/** Parses Handlebars source into a template; a syntax error throws a UserError naming the line. */
export function parseTemplate(source: string, file: string): Template {
  const body = new TemplateParser(source, file).parseRoot();
  return { file, source, body: applyWhitespaceControl(body) };
}

/** What ended a sequence of statements. */
interface Terminator {
  kind: 'eof' | 'close' | 'inverse' | 'chain';
  strip: StripFlags;
  line: number;
  /** Where the terminating tag ends. */
  end: Position;
  /** `{{/path}}`: the closed name. */
  name?: string;
  /** `{{else if ...}}`: the chained opening. */
  open?: OpenTag;
}

/** The `{{else}}` part of a block, in the shape of Handlebars' grammar (`inverseAndProgram`). */
interface InverseChain {
  strip: StripFlags;
  program: Program;
  chain: boolean;
}

/** A recursive-descent parser over a `TagScanner`, one instance per template: statements and blocks. */
class TemplateParser extends ExpressionParser {
  private term: Terminator = { kind: 'eof', strip: NO_STRIP, line: 1, end: { line: 1, column: 0 } };

  parseRoot(): Statement[] {
    const body = this.parseStatements();
    const t = this.term;
    if (t.kind === 'close') throw this.fail(`{{/${t.name}}} closes a block that was never opened`, t.line, 'remove it, or add the matching {{#...}} above');
    if (t.kind !== 'eof') throw this.fail('{{else}} outside of a block', t.line, '{{else}} belongs between {{#if ...}} (or another block) and its {{/if}}');
    return body;
  }

  /** Statements up to the end of the source or a `{{/x}}`, `{{else}}` or `{{else ...}}`, left in `term`. */
  private parseStatements(): Statement[] {
    const { src, s } = this;
    const body: Statement[] = [];
    for (;;) {
      const start = s.pos;
      const open = src.indexOf('{{', start);
      if (open === -1) {
        if (start < src.length) body.push(this.text(src.length));
        this.term = { kind: 'eof', strip: NO_STRIP, line: s.line, end: this.here() };
        return body;
      }
      if (open > start && src.charCodeAt(open - 1) === 92) {
        if (open - 1 > start && src.charCodeAt(open - 2) === 92) {
          // `\\{{`: one literal backslash, then a real tag.
          body.push(this.text(open - 1, open));
        } else {
          // `\{{`: an escaped tag renders literally, up to the next tag or escape.
          if (open - 1 > start) body.push(this.text(open - 1, open));
          else s.advanceTo(open);
          body.push(this.content(this.escapedEnd(open), -1));
          continue;
        }
      } else if (open > start) {
        body.push(this.text(open));
      }
      const statement = this.parseTag(open);
      if (!statement) return body;
      body.push(statement);
    }
  }

  /** The text from the cursor to the tag at `end`, refused if it holds a Jinja tag (which would reach the SQL). */
  private text(end: number, next = end) {
    const s = this.s;
    const jinja = findJinjaTag(this.src, s.pos, end);
    if (jinja) {
      let line = s.line;
      for (let i = s.pos; i < jinja.offset; i++) if (this.src.charCodeAt(i) === 10) line++;
      throw this.fail(jinja.message, line, `${jinja.hint} ${CONVERT_HINT}`);
    }
    return this.content(end, next);
  }

  /** A content node from the cursor to `end`; the cursor then moves to `next` (or `end` if -1). */
  private content(end: number, next: number) {
    const s = this.s;
    const text = this.src.slice(s.pos, end);
    const node = { type: 'content' as const, value: text, original: text, line: s.line };
    s.advanceTo(next === -1 ? end : next);
    return node;
  }

  /** End of the literal text after `\{{`: the next `{{`, `\{{` or `\\{{` (Handlebars' `emu` state). */
  private escapedEnd(open: number): number {
    const src = this.src;
    const next = src.indexOf('{{', open + 2);
    if (next === -1) return src.length;
    if (next - 1 >= open + 2 && src.charCodeAt(next - 1) === 92) {
      return next - 2 >= open + 2 && src.charCodeAt(next - 2) === 92 ? next - 2 : next - 1;
    }
    return next;
  }

  /** One tag starting at `open` (`{{`); returns null when the tag ends the current program. */
  private parseTag(open: number): Statement | null {
    const { src, s } = this;
    s.advanceTo(open);
    const start = { line: s.line, column: s.column(open) };
    const line = start.line;
    this.tagOpen = open;
    this.tagLine = line;
    if (src.startsWith('{{{{', open)) throw this.unsupported('raw blocks ({{{{raw}}}} ... {{{{/raw}}}})', line);
    let p = open + 2;
    const stripOpen = src.charCodeAt(p) === 126;
    if (stripOpen) p++;
    switch (src.charCodeAt(p)) {
      case 33: // !
        return this.comment(open, p, line);
      case 62: // >
        return this.partial(this.openTag(p + 1, start, stripOpen, Tok.CLOSE, false, true));
      case 35: // #
        if (src.charCodeAt(p + 1) === 62) throw this.unsupported('partial blocks ({{#> partial}} ... {{/partial}})', line);
        if (src.charCodeAt(p + 1) === 42) throw this.unsupported('inline partials and decorator blocks ({{#*inline}})', line);
        return this.block(this.openTag(p + 1, start, stripOpen, Tok.CLOSE, true), false);
      case 47: // /
        this.term = this.closeTag(p + 1, start, stripOpen);
        return null;
      case 94: {
        // ^
        const end = this.bareClose(p + 1);
        if (end < 0) return this.block(this.openTag(p + 1, start, stripOpen, Tok.CLOSE, true), true);
        this.term = this.inverseTag(end, start, stripOpen);
        return null;
      }
      case 123: // {
        return this.mustache(this.openTag(p + 1, start, stripOpen, Tok.CLOSE_UNESCAPED, false));
      case 38: // &
        return this.mustache(this.openTag(p + 1, start, stripOpen, Tok.CLOSE, false));
      case 42: // *
        throw this.unsupported('decorators ({{* decorator}})', line);
    }
    let q = p;
    while (isSpace(src.charCodeAt(q))) q++;
    if (src.startsWith('else', q) && !isWordChar(src.charCodeAt(q + 4))) {
      const end = this.bareClose(q + 4);
      if (end >= 0) {
        this.term = this.inverseTag(end, start, stripOpen);
      } else {
        const chained = this.openTag(q + 4, start, stripOpen, Tok.CLOSE, true);
        this.term = { kind: 'chain', strip: chained.strip, line, end: chained.end, open: chained };
      }
      return null;
    }
    return this.mustache(this.openTag(p, start, stripOpen, Tok.CLOSE, false));
  }

  /** If `\s*~?}}` follows `p` (a bare `{{else}}` or `{{^}}`), the offset after it; else -1. */
  private bareClose(p: number): number {
    const src = this.src;
    while (isSpace(src.charCodeAt(p))) p++;
    if (src.charCodeAt(p) === 126) p++;
    return src.startsWith('}}', p) ? p + 2 : -1;
  }

  private inverseTag(end: number, start: Position, stripOpen: boolean): Terminator {
    this.s.advanceTo(end);
    return { kind: 'inverse', strip: strip(stripOpen, this.src.charCodeAt(end - 3) === 126), line: start.line, end: this.here() };
  }

  private closeTag(p: number, start: Position, stripOpen: boolean): Terminator {
    const s = this.s;
    s.advanceTo(p);
    s.next();
    const name = this.helperName();
    this.expectClose(Tok.CLOSE, start.line);
    return { kind: 'close', strip: strip(stripOpen, s.flag), line: start.line, end: this.here(), name: originalOf(name) };
  }

  private comment(open: number, bang: number, line: number): CommentStatement {
    const { src, s } = this;
    let end: number;
    if (src.startsWith('--', bang + 1)) {
      const close = /--~?\}\}/g;
      close.lastIndex = bang + 1;
      const match = close.exec(src);
      end = match ? match.index + match[0].length : -1;
    } else {
      const close = src.indexOf('}}', bang + 1);
      end = close === -1 ? -1 : close + 2;
    }
    if (end < 0) throw this.fail('unclosed comment', line, src.startsWith('--', bang + 1) ? 'end it with --}}' : 'end it with }}');
    const text = src.slice(open, end);
    s.advanceTo(end);
    const value = text.replace(/^\{\{~?!-?-?/, '').replace(/-?-?~?\}\}$/, '');
    return { type: 'comment', value, strip: strip(text.charCodeAt(2) === 126, text.charCodeAt(text.length - 3) === 126), line };
  }

  private mustache(open: OpenTag): MustacheStatement {
    const path = toPath(open.path);
    const { start, end } = open;
    const kind = this.kind(path, open);
    return { type: 'mustache', path, params: open.params, hash: open.hash, kind, strip: open.strip, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  }

  private partial(open: OpenTag): PartialStatement {
    const name = open.path as PartialStatement['name'];
    if (name.type === 'path' && name.data) throw this.unsupported(`{{> ${name.original}}} (partial blocks)`, open.start.line);
    if (name.type !== 'path' && name.type !== 'string' && name.type !== 'number' && name.type !== 'subexpression') {
      throw this.fail(`'${String((name as Literal).value)}' is not a partial name`, open.start.line, 'write {{> name}} or {{> "name"}}');
    }
    if (open.params.length > 1) {
      throw this.fail(`a partial takes at most one context argument, found ${open.params.length}`, open.start.line, 'pass the other values as key=value pairs');
    }
    return { type: 'partial', name, params: open.params, hash: open.hash, indent: '', strip: open.strip, line: open.start.line };
  }

  /** The rest of `{{#x ...}}` (or `{{^x ...}}` when inverted): everything up to its `{{/x}}`. */
  private block(open: OpenTag, inverted: boolean): BlockStatement {
    const program = this.program(open);
    let inverse: InverseChain | undefined;
    if (this.term.kind === 'inverse' || this.term.kind === 'chain') inverse = this.inverseChain(this.term);
    const close = this.term;
    const name = originalOf(open.path);
    const line = open.start.line;
    const text = this.src.slice(open.offset, this.src.indexOf('}}', open.offset) + 2);
    const tag = text.length <= 60 && !text.includes('\n') ? text : `{{${inverted ? '^' : '#'}${name} ...}}`;
    if (close.kind === 'eof') throw this.fail(`${tag} is never closed`, line, `add {{/${name}}} where the block ends`);
    if (close.kind !== 'close') throw this.fail(`a block has only one {{else}}: ${tag} on line ${line} already has one`, close.line, 'use {{else if ...}} for more branches');
    if (close.name !== name) throw this.fail(`{{/${close.name}}} does not match ${tag} on line ${line}`, close.line, `close it with {{/${name}}}`);
    return this.prepareBlock(open, program, inverse, close, inverted, close.end);
  }

  /** The program of a block, with its block params in scope. */
  private program(open: OpenTag): Program {
    if (open.blockParams) this.scopes.push(open.blockParams);
    const body = this.parseStatements();
    if (open.blockParams) this.scopes.pop();
    return open.blockParams ? { body, blockParams: open.blockParams } : { body };
  }

  /** `{{else}} program` or `{{else if x}} program {{else ...}}...`, as in Handlebars' grammar. */
  private inverseChain(term: Terminator): InverseChain {
    if (term.kind === 'inverse') {
      return { strip: term.strip, program: { body: this.parseStatements() }, chain: false };
    }
    const open = term.open!;
    const program = this.program(open);
    let nested: InverseChain | undefined;
    if (this.term.kind === 'inverse' || this.term.kind === 'chain') nested = this.inverseChain(this.term);
    const end = this.term.kind === 'close' ? this.term.end : term.end;
    const block = this.prepareBlock(open, program, nested, nested, false, end);
    return { strip: open.strip, program: { body: [block], chained: true }, chain: true };
  }

  /** Handlebars' `prepareBlock`, including its quirks about which tag's `~` lands where. */
  private prepareBlock(open: OpenTag, program: Program, chain: InverseChain | undefined, close: { strip: StripFlags } | undefined, inverted: boolean, end: Position): BlockStatement {
    let inverse: Program | undefined;
    let inverseStrip: StripFlags | undefined;
    if (chain) {
      if (chain.chain && close) (chain.program.body[0] as BlockStatement).closeStrip = close.strip;
      inverseStrip = chain.strip;
      inverse = chain.program;
    }
    let main: Program | undefined = program;
    if (inverted) [main, inverse] = [inverse, main];
    const path = toPath(open.path);
    const { line, column } = open.start;
    const kind = this.kind(path, open);
    // All fields in one literal: blocks stay in memory, and adding fields later costs an allocation.
    return {
      type: 'block',
      path,
      params: open.params,
      hash: open.hash,
      kind,
      program: main,
      inverse,
      openStrip: open.strip,
      inverseStrip,
      closeStrip: close?.strip,
      line,
      column,
      endLine: end.line,
      endColumn: end.column,
    };
  }
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

// Handlebars' whitespace rules, ported from its WhitespaceControl visitor: `~` strips all
// whitespace on its side of a tag, and a line holding only a block tag, `{{else}}`, a comment
// or a partial (plus whitespace) disappears entirely; a standalone partial is indented.
import { isSpace } from './tag-scanner.js';
import type { BlockStatement, ContentStatement, Program, Statement, StripFlags } from './template-ast.js';

/** Applies `~` and standalone-line rules to a parsed body, then drops empty text and merges adjacent text. */
export function applyWhitespaceControl(body: Statement[]): Statement[] {
  new WhitespaceControl().program({ body }, true);
  return compact(body);
}

interface Strip {
  open?: boolean;
  close?: boolean;
  openStandalone?: boolean;
  closeStandalone?: boolean;
  inlineStandalone?: boolean;
}

const NO_STRIP: StripFlags = { open: false, close: false };

class WhitespaceControl {
  /** Text already stripped on its left/right by a standalone rule (Handlebars' `leftStripped`/`rightStripped`). */
  private readonly leftStripped = new Set<ContentStatement>();
  private readonly rightStripped = new Set<ContentStatement>();

  program(program: Program, isRoot = false): void {
    const body = program.body;
    for (let i = 0; i < body.length; i++) {
      const current = body[i];
      const strip = this.accept(current);
      if (!strip) continue;
      const prevWhitespace = isPrevWhitespace(body, i, isRoot);
      const nextWhitespace = isNextWhitespace(body, i, isRoot);
      const openStandalone = strip.openStandalone && prevWhitespace;
      const closeStandalone = strip.closeStandalone && nextWhitespace;
      const inlineStandalone = strip.inlineStandalone && prevWhitespace && nextWhitespace;
      if (strip.close) this.omitRight(body, i, true);
      if (strip.open) this.omitLeft(body, i, true);
      if (inlineStandalone) {
        this.omitRight(body, i);
        if (this.omitLeft(body, i) && current.type === 'partial') {
          // Standalone partials are indented like the line they stood on.
          const before = (body[i - 1] as ContentStatement).original;
          current.indent = /(?:^|[^ \t])([ \t]+)$/.exec(before)?.[1] ?? '';
        }
      }
      const block = current as BlockStatement;
      if (openStandalone) {
        this.omitRight((block.program || block.inverse)!.body);
        this.omitLeft(body, i);
      }
      if (closeStandalone) {
        this.omitRight(body, i);
        this.omitLeft((block.inverse || block.program)!.body);
      }
    }
  }

  private accept(node: Statement): Strip | undefined {
    switch (node.type) {
      case 'block':
        return this.block(node);
      case 'mustache':
        return node.strip;
      case 'partial':
      case 'comment':
        return { inlineStandalone: true, open: node.strip.open, close: node.strip.close };
      default:
        return undefined;
    }
  }

  private block(block: BlockStatement): Strip {
    if (block.program) this.program(block.program);
    if (block.inverse) this.program(block.inverse);
    const program = (block.program || block.inverse)!;
    const inverse = block.program && block.inverse;
    let firstInverse = inverse;
    let lastInverse = inverse;
    if (inverse && inverse.chained) {
      firstInverse = (inverse.body[0] as BlockStatement).program;
      while (lastInverse!.chained) lastInverse = (lastInverse!.body[lastInverse!.body.length - 1] as BlockStatement).program;
    }
    const closeStrip = block.closeStrip ?? NO_STRIP;
    const strip: Strip = {
      open: block.openStrip.open,
      close: closeStrip.close,
      openStandalone: isNextWhitespace(program.body),
      closeStandalone: isPrevWhitespace((firstInverse || program).body),
    };
    if (block.openStrip.close) this.omitRight(program.body, undefined, true);
    if (inverse) {
      const inverseStrip = block.inverseStrip ?? NO_STRIP;
      if (inverseStrip.open) this.omitLeft(program.body, undefined, true);
      if (inverseStrip.close) this.omitRight(firstInverse!.body, undefined, true);
      if (closeStrip.open) this.omitLeft(lastInverse!.body, undefined, true);
      // A standalone {{else}}.
      if (isPrevWhitespace(program.body) && isNextWhitespace(firstInverse!.body)) {
        this.omitLeft(program.body);
        this.omitRight(firstInverse!.body);
      }
    } else if (closeStrip.open) {
      this.omitLeft(program.body, undefined, true);
    }
    return strip;
  }

  /** Strips the start of the text after position `i` (or of the first node): all whitespace, or up to one newline. */
  private omitRight(body: Statement[], i?: number, multiple = false): void {
    const current = body[i === undefined ? 0 : i + 1];
    if (!current || current.type !== 'content' || (!multiple && this.rightStripped.has(current))) return;
    const original = current.value;
    current.value = multiple ? original.trimStart() : stripLeadingLine(original);
    if (current.value !== original) this.rightStripped.add(current);
    else this.rightStripped.delete(current);
  }

  /** Strips the end of the text before position `i` (or of the last node): all whitespace, or trailing spaces and tabs. */
  private omitLeft(body: Statement[], i?: number, multiple = false): boolean | undefined {
    const current = body[i === undefined ? body.length - 1 : i - 1];
    if (!current || current.type !== 'content' || (!multiple && this.leftStripped.has(current))) return undefined;
    const original = current.value;
    current.value = multiple ? original.trimEnd() : stripTrailingBlanks(original);
    const stripped = current.value !== original;
    if (stripped) this.leftStripped.add(current);
    else this.leftStripped.delete(current);
    return stripped;
  }
}

/** Whether the node before `i` ends a line: its trailing whitespace holds a newline. */
function isPrevWhitespace(body: Statement[], i: number = body.length, isRoot?: boolean): boolean | undefined {
  const prev = body[i - 1];
  if (!prev) return isRoot;
  if (prev.type !== 'content') return undefined;
  const text = prev.original;
  if (!body[i - 2] && isRoot && isAllSpace(text)) return true;
  for (let p = text.length - 1; p >= 0; p--) {
    const c = text.charCodeAt(p);
    if (c === 10) return true;
    if (!isSpace(c)) return false;
  }
  return false;
}

/** Whether the node after `i` starts with the end of a line: its leading whitespace holds a newline. */
function isNextWhitespace(body: Statement[], i = -1, isRoot?: boolean): boolean | undefined {
  const next = body[i + 1];
  if (!next) return isRoot;
  if (next.type !== 'content') return undefined;
  const text = next.original;
  if (!body[i + 2] && isRoot && isAllSpace(text)) return true;
  for (let p = 0; p < text.length; p++) {
    const c = text.charCodeAt(p);
    if (c === 10) return true;
    if (!isSpace(c)) return false;
  }
  return false;
}

function isAllSpace(text: string): boolean {
  for (let p = 0; p < text.length; p++) if (!isSpace(text.charCodeAt(p))) return false;
  return true;
}

/** `text.replace(/^[ \t]*\r?\n?/, '')`. */
function stripLeadingLine(text: string): string {
  let p = 0;
  while (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9) p++;
  if (text.charCodeAt(p) === 13) p++;
  if (text.charCodeAt(p) === 10) p++;
  return p === 0 ? text : text.slice(p);
}

/** `text.replace(/(^|[^ \t])[ \t]+$/, '$1')`. */
function stripTrailingBlanks(text: string): string {
  let p = text.length;
  while (p > 0 && (text.charCodeAt(p - 1) === 32 || text.charCodeAt(p - 1) === 9)) p--;
  return p === text.length ? text : text.slice(0, p);
}

/** Drops empty text nodes and merges adjacent ones, in every program. */
function compact(body: Statement[]): Statement[] {
  const out: Statement[] = [];
  for (const node of body) {
    if (node.type === 'content') {
      if (node.value === '') continue;
      const last = out[out.length - 1];
      if (last && last.type === 'content') {
        out[out.length - 1] = { type: 'content', value: last.value + node.value, original: last.original + node.original, line: last.line };
        continue;
      }
    } else if (node.type === 'block') {
      if (node.program) node.program.body = compact(node.program.body);
      if (node.inverse) node.inverse.body = compact(node.inverse.body);
    }
    out.push(node);
  }
  return out.slice(); // exact capacity: parsed templates stay in memory
}

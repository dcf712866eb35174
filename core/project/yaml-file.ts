import * as jsyaml from 'js-yaml';
import type { LineCounter, Node as YamlNode } from 'yaml';
import { yamlPackage } from './lazy-yaml.js';
import { UserError } from '../errors/user-error.js';

/**
 * Parses a YAML file fast (js-yaml). Syntax errors become a UserError with the line.
 * Node positions are only computed (with the slower `yaml` package) when an error needs one.
 */
export function loadYaml(text: string, file: string): unknown {
  try {
    return jsyaml.load(text, { filename: file, schema: jsyaml.CORE_SCHEMA });
  } catch (error) {
    if (error instanceof jsyaml.YAMLException) {
      const line = error.mark ? error.mark.line + 1 : undefined;
      throw new UserError(`invalid YAML: ${error.reason}`, { file, line, hint: 'check indentation and quoting on that line' });
    }
    throw error;
  }
}

/** The 1-based line of the character at `offset` in `text`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * The 1-based line of the value at `path` (keys and list indexes) in a YAML text,
 * or of its closest existing ancestor. Only called on the error path.
 */
export function lineOf(text: string, path: (string | number)[]): number | undefined {
  const { isMap, isSeq, parseDocument, LineCounter: Counter } = yamlPackage();
  const counter = new Counter();
  const doc = parseDocument(text, { lineCounter: counter, keepSourceTokens: false });
  let node: unknown = doc.contents;
  let line: number | undefined = offsetLine(node, counter);
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
      if (!pair) break;
      line = offsetLine(pair.key, counter) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      line = offsetLine(node, counter) ?? line;
    } else {
      break;
    }
  }
  return line;
}

function offsetLine(node: unknown, counter: LineCounter): number | undefined {
  const range = (node as YamlNode | undefined)?.range;
  return range ? counter.linePos(range[0]).line : undefined;
}

/** A parsed YAML file and a way to turn a key path into a UserError at the right line. */
export class YamlFile {
  constructor(
    readonly file: string,
    readonly text: string,
    readonly data: unknown = loadYaml(text, file),
  ) {}

  /** The 1-based line where `text` first appears in the file, if it does (a value found by its text). */
  lineOfText(text: string): number | undefined {
    const offset = this.text.indexOf(text);
    return offset === -1 ? undefined : lineAt(this.text, offset);
  }

  /** The 1-based line of the value under `path`, when it is found. */
  lineOf(path: (string | number)[]): number | undefined {
    return lineOf(this.text, path);
  }

  /** A UserError located at the value under `path`. */
  error(path: (string | number)[], message: string, hint?: string): UserError {
    return new UserError(message, { file: this.file, line: this.lineOf(path), hint });
  }
}

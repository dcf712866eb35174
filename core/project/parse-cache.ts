import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../artifacts/artifact-metadata.js';
import { sha256, type StaticFacts } from './parse-model.js';

/** Where the cache lives, under the project's target folder (dbt keeps `target/partial_parse.msgpack`). */
export const PARSE_CACHE_FILE = 'partial_parse.jsonl';

/** What a model file's analysis leaves once its tree is dropped: the cached part. */
export interface CachedModel {
  facts: StaticFacts;
  helpers: string[];
  partials: string[];
}

type Kind = 'm' | 'y';
const HASH = 64;
/** `["m","` or `["y","`: what comes before the hash on an entry line. */
const PREFIX = 6;

/**
 * The pure per-file work of a parse, kept between runs (dbt's partial parsing, `--no-partial-parse`
 * turns it off): the static analysis of a model template (refs, sources, config, macro names) and
 * the parsed document of a YAML file. Each depends only on the file's bytes and on the parser's own
 * code, so an entry is keyed by the sha256 of the bytes, and the whole file by a fingerprint of the
 * parser's source files: no entry is ever stale. Only successful results are kept (a file with a
 * mistake is parsed again, and reports it, every time), and only values that JSON gives back
 * exactly (no undefined, NaN, Infinity, -0, dates).
 *
 * The file is JSON lines: a header `{"format":..,"fingerprint":..}`, then `["m"|"y","<sha256>",value]`.
 * Entries are kept as text and parsed only when used; the file is written again only when an entry
 * was added or one went unused.
 */
export class ParseCache {
  private readonly stored = new Map<string, string>();
  private readonly used = new Set<string>();
  private readonly added = new Map<string, string>();
  hits = 0;
  misses = 0;

  private constructor(
    private readonly file: string,
    private readonly fingerprint: string,
  ) {}

  /** Opens the cache of a target folder; an unreadable file or another parser's is an empty cache. */
  static open(targetDir: string, fingerprint = parserFingerprint()): ParseCache {
    const cache = new ParseCache(path.join(targetDir, PARSE_CACHE_FILE), fingerprint);
    let text: string;
    try {
      text = readFileSync(cache.file, 'utf8');
    } catch {
      return cache;
    }
    const firstEnd = text.indexOf('\n');
    if (firstEnd < 0 || text.slice(0, firstEnd) !== header(fingerprint)) return cache;
    for (let start = firstEnd + 1; start < text.length; ) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      // A line cut short (a write that did not finish) is left out: its JSON would not end with `]`.
      if (end - start > PREFIX + HASH + 3 && text.charCodeAt(end - 1) === 93) cache.stored.set(text.slice(start + 2, start + 3) + text.slice(start + PREFIX, start + PREFIX + HASH), text.slice(start, end));
      start = end + 1;
    }
    return cache;
  }

  /** How many entries the cache held when opened. */
  get size(): number {
    return this.stored.size;
  }

  /** The analysis of a model file whose source has this sha256, if cached. */
  model(checksum: string): CachedModel | undefined {
    return this.take('m', checksum) as CachedModel | undefined;
  }

  /** The parsed document of a YAML text with this sha256, if cached. */
  yaml(hash: string): { data: unknown } | undefined {
    const value = this.take('y', hash);
    return value === undefined ? undefined : { data: (value as [unknown])[0] };
  }

  /** Keeps a model file's analysis; `text` is cacheText's of it (made before anyone could change the objects). */
  addModel(checksum: string, text: string | undefined): void {
    this.add('m', checksum, text);
  }

  /** Keeps a YAML file's parsed document; `text` is cacheText's of `[data]`. */
  addYaml(hash: string, text: string | undefined): void {
    this.add('y', hash, text);
  }

  /** Writes the cache again when it changed: the entries used by this parse, old and new. A cache that cannot be written is no error. */
  save(): void {
    if (!this.added.size && this.used.size === this.stored.size) return;
    const lines = [header(this.fingerprint)];
    for (const key of this.used) lines.push(this.stored.get(key)!);
    for (const line of this.added.values()) lines.push(line);
    try {
      writeFileAtomic(this.file, lines.join('\n') + '\n');
    } catch {
      // A read-only or missing target folder: the next parse does all the work again.
    }
  }

  private take(kind: Kind, hash: string): unknown {
    const key = kind + hash;
    const line = this.stored.get(key) ?? this.added.get(key);
    if (line === undefined) {
      this.misses++;
      return undefined;
    }
    let entry: unknown;
    try {
      // A fresh copy for each use: whoever gets it may change it.
      entry = JSON.parse(line);
    } catch {
      entry = undefined;
    }
    if (!Array.isArray(entry) || entry.length !== 3 || entry[0] !== kind || entry[1] !== hash) {
      // A damaged line: the file is parsed again, and the line replaced.
      this.stored.delete(key);
      this.misses++;
      return undefined;
    }
    const value: unknown = entry[2];
    if (this.stored.has(key)) this.used.add(key);
    this.hits++;
    return value;
  }

  private add(kind: Kind, hash: string, text: string | undefined): void {
    if (text === undefined || hash.length !== HASH) return;
    const key = kind + hash;
    if (this.stored.has(key)) this.used.add(key);
    else this.added.set(key, `["${kind}","${hash}",${text}]`);
  }
}

function header(fingerprint: string): string {
  return JSON.stringify({ format: 'strata-partial-parse/v1', fingerprint });
}

/** What the cache keeps of a model file's analysis: all but the tree and the checksum (its key). */
export function modelCacheText(analysed: CachedModel): string | undefined {
  return cacheText({ facts: analysed.facts, helpers: analysed.helpers, partials: analysed.partials });
}

/**
 * The JSON text of a value when JSON.parse gives it back exactly, else undefined (then it is not
 * cached): plain objects and arrays of strings, finite numbers, booleans and null. Non-enumerable
 * and symbol keys are not looked at (the parsers whose results are cached make none).
 */
export function cacheText(value: unknown): string | undefined {
  return jsonExact(value, 0) ? JSON.stringify(value) : undefined;
}

function jsonExact(value: unknown, depth: number): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (typeof value !== 'object' || depth > 100) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!(i in value) || !jsonExact(value[i], depth + 1)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  // Only enumerable string keys are looked at: what is cached comes from parsers that make no others.
  for (const key in value) {
    if (key === '__proto__' || !jsonExact((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

let fingerprint: string | undefined;

/**
 * A hash of the code whose results the cache holds: the template parser and static analysis, the
 * model and YAML file parsers, and this file (in a bundle, the bundle itself, which holds them all).
 */
export function parserFingerprint(): string {
  if (fingerprint) return fingerprint;
  const self = fileURLToPath(import.meta.url);
  const here = path.dirname(self);
  const ext = path.extname(self);
  const files = [self, ...['parse-model', 'yaml-file', 'node-config', 'model-source-reader'].map((name) => path.join(here, name + ext))];
  const templates = path.join(here, '..', 'template');
  if (existsSync(templates)) for (const name of readdirSync(templates).sort()) if (name.endsWith(ext) && !name.includes('.test.')) files.push(path.join(templates, name));
  const parts: string[] = [];
  for (const file of files) if (existsSync(file)) parts.push(`${path.basename(file)}:${sha256(readFileSync(file, 'utf8'))}`);
  parts.push(`js-yaml:${jsYamlVersion()}`);
  return (fingerprint = sha256(parts.join('\n')));
}

function jsYamlVersion(): string {
  // Walks up to node_modules from here: the YAML parser's version decides what a document parses to.
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'node_modules', 'js-yaml', 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

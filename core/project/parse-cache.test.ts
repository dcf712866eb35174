import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheText, modelCacheText, PARSE_CACHE_FILE, ParseCache, parserFingerprint } from './parse-cache.js';
import { analyseModelSource, sha256 } from './parse-model.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'strata-parse-cache-'));
  dirs.push(dir);
  return dir;
};

const source = '{{config materialized="table" unique_key="id"}}\nselect * from {{ref "a"}} join {{source "shop" "orders"}} using (id)\nwhere {{> recent}}';

describe('ParseCache', () => {
  it('gives back a model analysis and a YAML document saved by an earlier run, as fresh copies', () => {
    const dir = tempDir();
    const analysed = analyseModelSource(source, 'models/m.sql', 'model');
    const first = ParseCache.open(dir, 'fp1');
    expect(first.model(analysed.checksum)).toBeUndefined();
    first.addModel(analysed.checksum, modelCacheText(analysed));
    const yamlHash = sha256('version: 2');
    first.addYaml(yamlHash, cacheText([{ version: 2, models: [{ name: 'm' }] }]));
    first.save();

    const second = ParseCache.open(dir, 'fp1');
    expect(second.size).toBe(2);
    const hit = second.model(analysed.checksum)!;
    expect(hit).toEqual({ facts: analysed.facts, helpers: analysed.helpers, partials: analysed.partials });
    expect(hit.facts.refs).toEqual([{ name: 'a' }]);
    expect(hit.facts.lines).toEqual([['ref:a', 2], ['source:shop.orders', 2]]);
    expect(hit.partials).toEqual(['recent']);
    hit.facts.config.changed = true;
    expect(second.model(analysed.checksum)!.facts.config).toEqual({ materialized: 'table', unique_key: 'id' });
    expect(second.yaml(yamlHash)).toEqual({ data: { version: 2, models: [{ name: 'm' }] } });
    expect(second.yaml(sha256('version: 3'))).toBeUndefined();
    expect([second.hits, second.misses]).toEqual([3, 1]);
  });

  it('is empty for another parser (fingerprint), and drops damaged lines', () => {
    const dir = tempDir();
    const cache = ParseCache.open(dir, 'fp1');
    const hash = sha256('x');
    cache.addYaml(hash, cacheText([1]));
    cache.addYaml(sha256('y'), cacheText([2]));
    cache.save();
    expect(ParseCache.open(dir, 'fp2').size).toBe(0);
    const file = path.join(dir, PARSE_CACHE_FILE);
    const lines = readFileSync(file, 'utf8').split('\n');
    // A line cut short is not read; a line that ends like an entry but is not JSON is a miss.
    writeFileSync(file, [lines[0], lines[1].slice(0, -4), lines[2].replace(',[2]', ',[2,]')].join('\n') + '\n');
    const damaged = ParseCache.open(dir, 'fp1');
    expect(damaged.size).toBe(1);
    expect(damaged.yaml(hash)).toBeUndefined();
    expect(damaged.yaml(sha256('y'))).toBeUndefined();
    // A line of valid JSON that is not an entry of three is a miss; an entry is found under its own kind only.
    const other = sha256('z');
    writeFileSync(file, [lines[0], `["y","${other}",["z"],"x"]`, `["m","${sha256('w')}",{"facts":{}}]`].join('\n') + '\n');
    const edited = ParseCache.open(dir, 'fp1');
    expect(edited.size).toBe(2);
    expect(edited.yaml(other)).toBeUndefined();
    expect(edited.yaml(sha256('w'))).toBeUndefined();
    expect(edited.model(sha256('w'))).toEqual({ facts: {} });
  });

  it('writes the file again only when an entry was added or went unused, keeping only used ones', () => {
    const dir = tempDir();
    const file = path.join(dir, PARSE_CACHE_FILE);
    const cache = ParseCache.open(dir, 'fp');
    for (const text of ['a', 'b']) cache.addYaml(sha256(text), cacheText([text]));
    cache.save();
    const written = readFileSync(file, 'utf8');

    const allUsed = ParseCache.open(dir, 'fp');
    allUsed.yaml(sha256('a'));
    allUsed.yaml(sha256('b'));
    writeFileSync(file, written + '\n');
    allUsed.save();
    // Not written again (the extra newline added above is still there).
    expect(readFileSync(file, 'utf8')).toBe(written + '\n');

    const oneUsed = ParseCache.open(dir, 'fp');
    expect(oneUsed.yaml(sha256('b'))).toEqual({ data: 'b' });
    oneUsed.save();
    const pruned = ParseCache.open(dir, 'fp');
    expect(pruned.size).toBe(1);
    expect(pruned.yaml(sha256('a'))).toBeUndefined();
    expect(pruned.yaml(sha256('b'))).toEqual({ data: 'b' });
  });

  it('is no error when the target folder cannot be written', () => {
    const dir = tempDir();
    const blocked = path.join(dir, 'target');
    writeFileSync(blocked, 'a file where the folder would be');
    const cache = ParseCache.open(blocked, 'fp');
    cache.addYaml(sha256('a'), cacheText(['a']));
    expect(() => cache.save()).not.toThrow();
  });

  it('keeps only values that JSON gives back exactly', () => {
    expect(cacheText({ a: [1, 'x', null, true, { b: -1.5 }] })).toBe('{"a":[1,"x",null,true,{"b":-1.5}]}');
    for (const value of [{ a: undefined }, [1, undefined], { a: NaN }, { a: Infinity }, { a: -0 }, { a: new Date(0) }, new Map(), [, 1], { a: () => 1 }, { a: 1n }]) {
      expect(cacheText(value)).toBeUndefined();
    }
    expect(cacheText(JSON.parse('{"__proto__": 1}'))).toBeUndefined();
  });

  it('fingerprints the parser code: the same within a process, a sha256', () => {
    expect(parserFingerprint()).toMatch(/^[0-9a-f]{64}$/);
    expect(parserFingerprint()).toBe(parserFingerprint());
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isUserError } from '../errors/user-error.js';
import type { ManifestLike } from './compare-manifests.js';
import { readPreviousState, type PreviousState } from './previous-state.js';
import { StateSelection } from './state-selection.js';

const empty: ManifestLike = { metadata: {}, nodes: {} };
const source = (id: string, max: string | null, status = 'pass') => ({ unique_id: id, status, max_loaded_at: max });

describe('StateSelection', () => {
  it('source_status:fresher compares max_loaded_at across zones; a source first loaded now is fresher', () => {
    const previous: PreviousState = {
      dir: 'prod',
      manifest: empty,
      sources: { results: [source('s.a', '2024-05-01T10:00:00Z'), source('s.b', '2024-05-01T10:00:00Z'), source('s.c', null, 'runtime error')] },
    };
    const state = new StateSelection(previous, empty, {
      results: [source('s.a', '2024-05-01T11:30:00+02:00'), source('s.b', '2024-05-01T10:00:01'), source('s.c', '2024-01-01T00:00:00Z'), source('s.d', null, 'runtime error')],
    });
    // 11:30+02:00 is 09:30Z: older, though its clock reads later.
    expect(state.isFresher('s.a')).toBe(false);
    expect(state.isFresher('s.b')).toBe(true);
    expect(state.isFresher('s.c')).toBe(true);
    expect(state.isFresher('s.d')).toBe(false);
  });

  it('result: and source_status: say which artifact is missing', () => {
    const state = new StateSelection({ dir: 'prod-artifacts', manifest: empty }, empty, undefined);
    expect(() => state.previousResult('x')).toThrow(/--state prod-artifacts has none/);
    expect(() => state.isFresher('x')).toThrow(/sources\.json/);
  });

  it('result: reads the statuses of run_results.json', () => {
    const state = new StateSelection({ dir: 'p', manifest: empty, runResults: { results: [{ unique_id: 'm.a', status: 'error' }] } }, empty, undefined);
    expect(state.previousResult('m.a')).toBe('error');
    expect(state.previousResult('m.b')).toBeUndefined();
  });
});

describe('readPreviousState', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-prev-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the manifest and the optional artifacts', () => {
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ metadata: { strata_schema_version: 1 }, nodes: {} }));
    writeFileSync(path.join(dir, 'run_results.json'), JSON.stringify({ results: [] }));
    const state = readPreviousState(dir);
    expect(state.runResults).toEqual({ results: [] });
    expect(state.sources).toBeUndefined();
  });

  it('refuses a truncated, foreign or newer manifest with a user error', () => {
    const check = (text: string, message: RegExp) => {
      writeFileSync(path.join(dir, 'manifest.json'), text);
      let error: unknown;
      try {
        readPreviousState(dir);
      } catch (e) {
        error = e;
      }
      expect(isUserError(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
    };
    check('{"metadata": {', /not valid JSON/);
    check('{"hello": 1}', /is not a manifest/);
    check(JSON.stringify({ metadata: { strata_schema_version: 99 }, nodes: {} }), /newer Strata/);
    expect(() => readPreviousState(path.join(dir, 'nope'))).toThrow(/no such folder/);
  });
});

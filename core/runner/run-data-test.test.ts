import { describe, expect, it } from 'vitest';
import type { ManifestNode } from '../manifest/nodes.js';
import { defaultConfig } from '../project/node-config.js';
import { dataTestExecutor, testStatus } from './run-data-test.js';

const config = (extra: Record<string, unknown> = {}) => ({ ...defaultConfig('test'), ...extra }) as ManifestNode['config'];

describe('testStatus', () => {
  it('severity error fails when error_if holds, warns when only warn_if holds', () => {
    expect(testStatus(config(), true, true)).toBe('fail');
    expect(testStatus(config(), true, false)).toBe('warn');
    expect(testStatus(config(), false, false)).toBe('pass');
  });

  it('severity warn never fails', () => {
    expect(testStatus(config({ severity: 'warn' }), true, true)).toBe('warn');
    expect(testStatus(config({ severity: 'WARN' }), false, true)).toBe('pass');
  });

  it('with --warn-error a warning is a failure, and a pass stays a pass', () => {
    expect(testStatus(config({ severity: 'warn' }), true, true, true)).toBe('fail');
    expect(testStatus(config(), true, false, true)).toBe('fail');
    expect(testStatus(config(), false, false, true)).toBe('pass');
  });
});

describe('dataTestExecutor', () => {
  it('refuses a threshold that is not a comparison with a number, before running anything', async () => {
    const executed: string[] = [];
    const adapter = { sql: { limit: (s: string) => s }, execute: async (sql: string) => (executed.push(sql), { columns: [], rows: [], rowsAffected: null }) };
    const compiler = { compile: () => ({ sql: 'select 1', ephemerals: [] }) };
    const writer = { write: () => undefined };
    const run = dataTestExecutor({ adapter, compiler, targetDir: '/tmp', writer } as never);
    const node = { name: 't', package_name: 'p', original_file_path: 'tests/t.sql', config: config({ warn_if: '> 0; drop table x' }) } as unknown as ManifestNode;
    await expect(run(node, 'Thread-1')).rejects.toThrowError(/warn_if of test t must be a comparison/);
    expect(executed).toEqual([]);
  });
});

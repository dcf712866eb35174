import { describe, expect, it } from 'vitest';
import { varChecksums, varsLookSecret } from './var-checksums.js';

describe('varChecksums', () => {
  it('changes with the value, not with key order, and never shows the value', () => {
    const a = varChecksums({ start: '2024-01-01', region: { code: 'eu', zone: 1 } });
    expect(varChecksums({ region: { zone: 1, code: 'eu' }, start: '2024-01-01' })).toEqual(a);
    expect(varChecksums({ start: '2024-02-01', region: { code: 'eu', zone: 1 } }).start).not.toBe(a.start);
    expect(JSON.stringify(a)).not.toContain('2024');
  });

  it('gives secret-named vars no checksum at all', () => {
    expect(varChecksums({ api_token: 'abc123' })).toEqual({ api_token: 'secret' });
    expect(varsLookSecret({ api_token: 'x' })).toBe(true);
    expect(varsLookSecret({ start_date: 'x' })).toBe(false);
  });
});

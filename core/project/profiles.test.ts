import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../__fixtures__/temp-folder.js';
import { UserError } from '../errors/user-error.js';
import { resolveTarget } from './profiles.js';

function profiles(text: string): string {
  return tempFolder('profiles', { 'profiles.yml': text });
}

const base = { profileName: 'shop', projectName: 'shop', targetPath: 'target' };

describe('resolveTarget', () => {
  it('without profiles.yml the target is DuckDB in a file under target/', () => {
    const dir = tempFolder('profiles');
    const target = resolveTarget({ ...base, projectRoot: dir, env: {}, profilesDir: dir });
    expect(target.config).toEqual({ type: 'duckdb', path: path.join('target', 'shop.duckdb'), schema: 'main' });
    expect(target.source).toBe('default');
  });

  it('env values fill fields; only secret-looking ones are recorded as secrets', () => {
    const dir = profiles('shop:\n  target: prod\n  outputs:\n    prod:\n      type: postgres\n      host: "{{env \\"PGHOST\\"}}"\n      password: "{{env \\"PGPASS\\"}}"\n      schema: "{{env \\"SCHEMA\\" \\"analytics\\"}}"\n      token: "{{env \\"STRATA_ENV_SECRET_T\\"}}"\n');
    const target = resolveTarget({ ...base, projectRoot: dir, env: { PGHOST: 'db.local', PGPASS: 'hunter22', STRATA_ENV_SECRET_T: 'tok-123' } });
    expect(target.config).toMatchObject({ host: 'db.local', password: 'hunter22', schema: 'analytics', token: 'tok-123' });
    expect(target.secrets.sort()).toEqual(['hunter22', 'tok-123']);
  });

  it("dbt's spelling, {{ env_var('NAME', 'default') }}, as a profiles.yml copied from dbt has it", () => {
    const dir = profiles("shop:\n  target: prod\n  outputs:\n    prod:\n      type: postgres\n      host: \"{{ env_var('PGHOST') }}\"\n      password: \"{{ env_var('PGPASS') }}\"\n      schema: \"{{- env_var(\\\"SCHEMA\\\", 'analytics') -}}\"\n      port: \"{{env_var('PGPORT','5432')}}\"\n");
    const target = resolveTarget({ ...base, projectRoot: dir, env: { PGHOST: 'db.local', PGPASS: 'hunter22' } });
    expect(target.config).toMatchObject({ host: 'db.local', password: 'hunter22', schema: 'analytics', port: '5432' });
    expect(target.secrets).toEqual(['hunter22']);
    expect(() => resolveTarget({ ...base, projectRoot: dir, env: {} })).toThrowError(/environment variable PGHOST is not set/);
  });

  it('an unknown target suggests the nearest one', () => {
    const dir = profiles('shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n    prod:\n      type: duckdb\n');
    expect(() => resolveTarget({ ...base, projectRoot: dir, env: {}, target: 'prdo' })).toThrowError(UserError);
    try {
      resolveTarget({ ...base, projectRoot: dir, env: {}, target: 'prdo' });
    } catch (error) {
      expect((error as UserError).hint).toBe("did you mean 'prod'?");
    }
  });

  it('a missing profile names the file', () => {
    const dir = profiles('other:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n');
    expect(() => resolveTarget({ ...base, projectRoot: dir, env: {} })).toThrowError(/no profile 'shop' in profiles\.yml/);
  });
});

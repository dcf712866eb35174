import { describe, expect, it } from 'vitest';
import { ConfigKeyError, defaultConfig, mergeConfig, uniqueKeyColumns, validateConfigEntry } from './node-config.js';

describe('node config', () => {
  it('a misspelled unique_key is refused with the right suggestion', () => {
    expect(() => validateConfigEntry('model', 'uniqe_key', 'id')).toThrowError(ConfigKeyError);
    try {
      validateConfigEntry('model', 'uniqe_key', 'id');
    } catch (error) {
      expect((error as ConfigKeyError).hint).toBe("did you mean 'unique_key'?");
    }
  });

  it('a bad materialization names the valid ones', () => {
    try {
      validateConfigEntry('model', 'materialized', 'tabel');
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigKeyError).hint).toBe("did you mean 'table'?");
    }
  });

  it("other warehouses' own keys parse on models, seeds and snapshots, and only there", () => {
    for (const key of ['transient', 'query_tag', 'dist', 'sort', 'labels', 'file_format']) expect(() => validateConfigEntry('model', key, 'x')).not.toThrow();
    expect(() => validateConfigEntry('seed', 'copy_grants', true)).not.toThrow();
    expect(() => validateConfigEntry('test', 'transient', true)).toThrowError(/unknown config key 'transient' for a test/);
    expect(() => validateConfigEntry('model', 'transeint', true)).toThrowError(/unknown config key/);
  });

  it('dbt configs Strata does not implement are refused as such, not taken for typos', () => {
    expect(() => validateConfigEntry('model', 'on_configuration_change', 'apply')).toThrowError("'on_configuration_change' is a dbt config that Strata does not implement yet: Strata has no materialized views, which this config is for");
    expect(() => validateConfigEntry('model', 'incremental_predicates', ['a > 1'])).not.toThrow();
  });

  it("'enabled' must be a boolean; a Jinja expression copied from dbt is told how to leave nodes out instead", () => {
    const error = (value: unknown) => {
      try {
        validateConfigEntry('seed', 'enabled', value);
      } catch (e) {
        return e as ConfigKeyError;
      }
      return undefined;
    };
    expect(error(false)).toBeUndefined();
    expect(error('yes')?.message).toBe("'enabled' must be true or false");
    expect(error('yes')?.hint).toBeUndefined();
    expect(error("{{ target.name != 'prod' }}")?.hint).toBe('a config value is not a template here; to leave these nodes out on one target, run there with --exclude (e.g. --exclude resource_type:seed)');
  });

  it('seed-only keys are refused on models', () => {
    expect(() => validateConfigEntry('model', 'column_types', {})).toThrowError(/unknown config key/);
    expect(() => validateConfigEntry('seed', 'column_types', {})).not.toThrow();
  });

  it('tags and hooks accumulate, meta merges, the rest is replaced', () => {
    const c = defaultConfig('model');
    mergeConfig(c, { tags: ['a'], meta: { owner: 'x' }, materialized: 'table', 'pre-hook': 'select 1' });
    mergeConfig(c, { tags: 'b,a', meta: { tier: 1 }, materialized: 'incremental', pre_hook: 'select 2' });
    expect(c.tags).toEqual(['a', 'b']);
    expect(c.meta).toEqual({ owner: 'x', tier: 1 });
    expect(c.materialized).toBe('incremental');
    expect(c['pre-hook']).toEqual(['select 1', 'select 2']);
  });

  it('a comma-separated unique_key means several columns', () => {
    const c = mergeConfig(defaultConfig('model'), { unique_key: 'order_id, line_no' });
    expect(uniqueKeyColumns(c)).toEqual(['order_id', 'line_no']);
    expect(uniqueKeyColumns(mergeConfig(defaultConfig('model'), { unique_key: 'id' }))).toEqual(['id']);
  });
});

import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/user-error.js';
import { FolderConfigs } from '../project/folder-config.js';
import { readPropertyFile, type SourceConfigLayers } from '../project/property-files.js';
import { YamlFile } from '../project/yaml-file.js';
import { UNSET_TIME } from './freshness-criteria.js';

/** Each source table's merged freshness, as parsing puts it on the node (and in the manifest). */
const read = (text: string, layers?: SourceConfigLayers) =>
  new Map(readPropertyFile(new YamlFile('models/sources.yml', text), 'shop', 'models', layers).sources.map((s) => [s.unique_id, { criteria: s.freshness, loadedAtField: s.loaded_at_field }]));

function errorOf(text: string): UserError {
  try {
    read(text);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('reading source freshness at parse', () => {
  it('tables inherit the source criteria and loaded_at_field, and override them', () => {
    const settings = read(`version: 2
sources:
  - name: shop
    loaded_at_field: _loaded_at
    freshness:
      warn_after: {count: 12, period: hour}
      error_after: {count: 1, period: day}
    tables:
      - name: orders
      - name: customers
        loaded_at_field: updated_at
        freshness:
          error_after: {count: 2, period: day}
          filter: "updated_at > current_date - 7"
      - name: products
        freshness: null
`);
    expect(settings.get('source.shop.shop.orders')).toEqual({
      criteria: { warn_after: { count: 12, period: 'hour' }, error_after: { count: 1, period: 'day' }, filter: null },
      loadedAtField: '_loaded_at',
    });
    expect(settings.get('source.shop.shop.customers')).toEqual({
      criteria: { warn_after: { count: 12, period: 'hour' }, error_after: { count: 2, period: 'day' }, filter: 'updated_at > current_date - 7' },
      loadedAtField: 'updated_at',
    });
    expect(settings.get('source.shop.shop.products')).toEqual({ criteria: null, loadedAtField: '_loaded_at' });
  });

  it('config blocks count too, and a table config wins over the table property', () => {
    const settings = read(`version: 2
sources:
  - name: shop
    config:
      loaded_at_field: _loaded_at
      freshness:
        warn_after: {count: 1, period: hour}
    tables:
      - name: orders
        freshness:
          warn_after: {count: 2, period: hour}
        config:
          freshness:
            warn_after: {count: 3, period: hour}
      - name: customers
        config:
          loaded_at_field: null
`);
    expect(settings.get('source.shop.shop.orders')).toMatchObject({ criteria: { warn_after: { count: 3, period: 'hour' } }, loadedAtField: '_loaded_at' });
    // dbt: a table that sets loaded_at_field to null does not inherit the source's.
    expect(settings.get('source.shop.shop.customers')).toMatchObject({ loadedAtField: null });
  });

  it('tables of a source without criteria are not checked', () => {
    const settings = read('version: 2\nsources:\n  - name: crm\n    tables:\n      - name: accounts\n');
    // dbt's manifest shape: thresholds of nulls, not null (null is for freshness turned off).
    expect(settings.get('source.shop.crm.accounts')).toEqual({ criteria: { warn_after: UNSET_TIME, error_after: UNSET_TIME, filter: null }, loadedAtField: null });
  });

  it('a bad period names its line and suggests the right spelling', () => {
    const error = errorOf(`version: 2
sources:
  - name: shop
    tables:
      - name: orders
        freshness:
          warn_after: {count: 12, period: hours}
`);
    expect(error.format()).toBe(`models/sources.yml:7: 'period' in 'warn_after' cannot be "hours"\n  hint: did you mean 'hour'?`);
    expect(errorOf('version: 2\nsources:\n  - name: shop\n    freshness:\n      error_after:\n        count: 1\n        period: week\n    tables:\n      - name: orders\n').format()).toBe(
      `models/sources.yml:7: 'period' in 'error_after' cannot be "week"\n  hint: one of: minute, hour, day`,
    );
  });

  it('count must be a whole number of at least 1, and both count and period are needed', () => {
    const yml = (block: string) => `version: 2\nsources:\n  - name: shop\n    tables:\n      - name: orders\n        freshness:\n          warn_after: ${block}\n`;
    expect(errorOf(yml('{count: 0, period: hour}')).message).toBe(`'count' in 'warn_after' must be a whole number of at least 1, got 0`);
    expect(errorOf(yml('{count: 1.5, period: hour}')).message).toContain('got 1.5');
    expect(errorOf(yml('{count: "12", period: hour}')).message).toContain('got "12"');
    expect(errorOf(yml('{period: hour}')).message).toBe(`'warn_after' needs both a count and a period`);
    expect(errorOf(yml('12')).line).toBe(7);
  });

  it('unknown keys are refused with a suggestion', () => {
    const error = errorOf('version: 2\nsources:\n  - name: shop\n    freshness:\n      warn_afer: {count: 1, period: hour}\n    tables:\n      - name: orders\n');
    expect(error.format()).toBe(`models/sources.yml:5: unknown key 'warn_afer' in 'freshness'\n  hint: did you mean 'warn_after'?`);
    expect(errorOf('version: 2\nsources:\n  - name: shop\n    freshness:\n      warn_after: {count: 1, perod: hour}\n    tables:\n      - name: orders\n').message).toBe(`unknown key 'perod' in 'warn_after'`);
  });

  it('freshness must be a mapping and loaded_at_field a string', () => {
    expect(errorOf('version: 2\nsources:\n  - name: shop\n    freshness: daily\n    tables:\n      - name: orders\n').line).toBe(4);
    expect(errorOf('version: 2\nsources:\n  - name: shop\n    loaded_at_field: [a]\n    tables:\n      - name: orders\n').message).toContain(`'loaded_at_field' must be a column name`);
    expect(errorOf('version: 2\nsources:\n  - name: shop\n    tables:\n      - name: orders\n        freshness: {filter: 3, warn_after: {count: 1, period: day}}\n').message).toContain(`'filter' in 'freshness' must be a SQL condition`);
  });
});

/** project.yml's `sources:` folder configs, as loading a project reads them. */
function projectLayers(projectYml: string): SourceConfigLayers {
  const yaml = new YamlFile('project.yml', projectYml);
  const folders = new FolderConfigs((yaml.data as { sources: Record<string, unknown> }).sources, 'source');
  return { yaml, layersFor: (fqn) => folders.layersFor(fqn), keyPath: (layer, key) => ['sources', ...folders.keyPath(layer, key)] };
}

describe('project.yml sources: configs under the YAML', () => {
  it('merge threshold by threshold with the source and table levels, and give a loaded_at_field to tables without one', () => {
    const layers = projectLayers('name: shop\nsources:\n  shop:\n    +freshness:\n      warn_after: {count: 6, period: hour}\n    +loaded_at_field: _synced_at\n');
    const settings = read('version: 2\nsources:\n  - name: shop\n    tables:\n      - name: orders\n        freshness:\n          error_after: {count: 1, period: day}\n      - name: refunds\n        loaded_at_field: refunded_at\n', layers);
    expect(settings.get('source.shop.shop.orders')).toEqual({
      criteria: { warn_after: { count: 6, period: 'hour' }, error_after: { count: 1, period: 'day' }, filter: null },
      loadedAtField: '_synced_at',
    });
    expect(settings.get('source.shop.shop.refunds')?.loadedAtField).toBe('refunded_at');
  });

  it('a bad project-level block is refused at parse, at its line in project.yml', () => {
    const errorFor = (projectYml: string) => {
      try {
        read('version: 2\nsources:\n  - name: shop\n    tables:\n      - name: orders\n', projectLayers(projectYml));
      } catch (error) {
        if (error instanceof UserError) return error.format();
        throw error;
      }
      throw new Error('expected a UserError');
    };
    expect(errorFor('name: shop\nsources:\n  shop:\n    +tags: [raw]\n    +freshness:\n      warn_after:\n        count: 6\n        period: week\n')).toBe(
      `project.yml:8: 'period' in 'warn_after' cannot be "week"\n  hint: one of: minute, hour, day`,
    );
    // A folder's own level, and a plain (unprefixed) config key.
    expect(errorFor('name: shop\nsources:\n  shop:\n    shop:\n      orders:\n        loaded_at_field: [a]\n')).toMatch(/^project\.yml:6: 'loaded_at_field' must be a column name/);
  });
});

import { describe, expect, it } from 'vitest';
import { UserError } from '../../../core/errors/user-error.js';
import type { SourceLoaderConfig } from '../../../core/extract/source-adapter.js';
import { databaseOfUrl, hostsOfUrl, parseLookback, readMongoSource } from './mongodb-config.js';

function source(settings: Record<string, unknown>, tables: { name: string; settings?: Record<string, unknown>; line?: number }[] = [{ name: 'products' }]): SourceLoaderConfig {
  return { name: 'shop_mongo', type: 'mongodb', settings, tables: tables.map((t) => ({ name: t.name, settings: t.settings ?? {}, line: t.line })), file: 'models/sources.yml' };
}
function failure(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a UserError');
}

describe('readMongoSource', () => {
  it('reads the connection and each table, with source-level table defaults and the runner\'s disposition defaults', () => {
    const settings = readMongoSource(
      source({ url: 'mongodb://u:p@db.internal:27017/shop?authSource=admin', batch_size: 500 }, [
        { name: 'products', settings: { cursor_field: 'updatedAt', primary_key: '_id' } },
        { name: 'products__variants', settings: { unnest: 'variants', cursor_field: 'updatedAt', primary_key: '_strata_id' } },
        { name: 'variant_options', settings: { collection: 'products', unnest: 'variants.options', cursor_field: 'updatedAt' } },
        { name: 'events', settings: { collection: 'web_events', cursor_field: '_id' } },
        { name: 'rates' },
      ]),
    );
    expect(settings.connection).toMatchObject({ url: 'mongodb://u:p@db.internal:27017/shop?authSource=admin', database: 'shop', serverSelectionTimeoutMs: 10000 });
    expect(settings.tables.get('products')).toMatchObject({ collection: 'products', cursorField: 'updatedAt', disposition: 'merge', primaryKey: ['_id'], format: 'jsonl', batchSize: 500 });
    expect(settings.tables.get('products__variants')).toMatchObject({ collection: 'products', unnest: 'variants', disposition: 'merge', primaryKey: ['_strata_id'] });
    expect(settings.tables.get('variant_options')).toMatchObject({ collection: 'products', unnest: 'variants.options', disposition: 'append', primaryKey: ['_strata_id'] });
    expect(settings.tables.get('events')).toMatchObject({ collection: 'web_events', disposition: 'append', primaryKey: ['_id'] });
    expect(settings.tables.get('rates')).toMatchObject({ disposition: 'replace' });
  });

  it("the runner's reading of the shared keys wins", () => {
    const config = source({ url: 'mongodb://h/shop' }, [{ name: 'products', settings: {} }]);
    config.tables[0].load = { disposition: 'merge', primaryKey: ['sku'], cursorField: 'meta.updatedAt', format: 'parquet' };
    expect(readMongoSource(config).tables.get('products')).toMatchObject({ disposition: 'merge', primaryKey: ['sku'], cursorField: 'meta.updatedAt', format: 'parquet' });
  });

  it('names the file, line and key of a mistake', () => {
    const typo = failure(() => readMongoSource(source({ url: 'mongodb://h/shop' }, [{ name: 'products', settings: { cursor_feild: 'updatedAt' }, line: 7 }])));
    expect(typo.format()).toContain("models/sources.yml:7: unknown key 'cursor_feild' in the loader of table 'shop_mongo.products' (type mongodb)");
    expect(typo.hint).toContain("did you mean 'cursor_field'?");
    expect(failure(() => readMongoSource(source({ url: 'postgres://h/shop' }))).message).toContain("source 'shop_mongo': 'loader.url' must be a MongoDB connection string");
    expect(failure(() => readMongoSource(source({ url: 'mongodb://h:27017' }))).message).toContain('names no database');
    expect(failure(() => readMongoSource(source({ url: 'mongodb://h/shop' }, [{ name: 'p', settings: { disposition: 'upsert' } }]))).message).toContain("'loader.disposition' must be one of append, replace, merge");
    expect(failure(() => readMongoSource(source({ url: 'mongodb://h/shop' }, [{ name: 'p', settings: { unnest: 'variants..options' } }]))).message).toContain("table 'shop_mongo.p': 'loader.unnest' must be the path of an array field");
    expect(failure(() => readMongoSource(source({ url: 'mongodb://h/shop', password: 'x' }))).message).toContain("'loader.password' but no 'loader.username'");
    expect(failure(() => readMongoSource(source({ url: 'mongodb://h/shop' }, [{ name: 'p', settings: { batch_size: 0 } }]))).message).toContain("'loader.batch_size' must be a whole number >= 1");
    expect(failure(() => readMongoSource(source({ url: 'mongodb://h/shop' }, [{ name: 'p', settings: { lookback: 'a while' } }]))).message).toContain("'loader.lookback' must be a number of seconds or a duration");
    const append = failure(() => readMongoSource(source({ url: 'mongodb://h/shop' }, [{ name: 'p', settings: { cursor_field: '_id', lookback: 60 } }])));
    expect(append.message).toContain("'loader.lookback' reads documents again, which an append table would land twice");
  });

  it('reads lookbacks as seconds', () => {
    expect(parseLookback(undefined)).toBe(0);
    expect(parseLookback(90)).toBe(90);
    expect(parseLookback('10 minutes')).toBe(600);
    expect(parseLookback('2 hours')).toBe(7200);
    expect(parseLookback('1 day')).toBe(86400);
    expect(parseLookback('15')).toBe(15);
    expect(parseLookback('-5')).toBeUndefined();
    expect(parseLookback('3 fortnights')).toBeUndefined();
  });

  it('takes the database from the URL path and names hosts without credentials', () => {
    expect(databaseOfUrl('mongodb://a:1,b:2/sh%20op?replicaSet=rs')).toBe('sh op');
    expect(databaseOfUrl('mongodb+srv://cluster.example.net/?retryWrites=true')).toBeUndefined();
    expect(hostsOfUrl('mongodb://user:s3cret@a:1,b:2/shop')).toBe('a:1,b:2');
    expect(hostsOfUrl('mongodb+srv://user:s3cret@cluster.example.net')).toBe('cluster.example.net');
  });
});

import { describe, expect, it } from 'vitest';
import type { SourceLoaderConfig } from '../../../core/extract/source-adapter.js';
import { fileKind, readSftpServerSettings, readSftpTableSettings } from './sftp-config.js';
import { SftpSource } from './sftp-source.js';

const source = (settings: Record<string, unknown>, table: Record<string, unknown> = { pattern: '*.csv' }): SourceLoaderConfig => ({
  name: 'partner_sftp',
  type: 'sftp',
  file: 'models/sources.yml',
  settings: { host: 'sftp.example.com', username: 'partner', password: 'pw', ...settings },
  tables: [{ name: 'stock', settings: table, line: 9 }],
  locate: (table, key) => (table ? 9 : 3) + (key ? 1 : 0),
});

describe('SFTP loader settings', () => {
  it('reads the server block with defaults; the key comes from its text or a file', () => {
    expect(readSftpServerSettings(source({ folder: '/outbound/' }))).toMatchObject({ host: 'sftp.example.com', port: 22, username: 'partner', password: 'pw', folder: '/outbound', timeoutMs: 20_000 });
    expect(readSftpServerSettings(source({ password: undefined, key_file: '/keys/id' })).privateKey).toEqual({ path: '/keys/id' });
    expect(readSftpServerSettings(source({ private_key: '-----BEGIN' })).privateKey).toEqual({ text: '-----BEGIN' });
  });

  it('names the bad key, its line and what to write instead', () => {
    expect(() => readSftpServerSettings(source({ password: undefined }))).toThrow(/source 'partner_sftp': an SFTP source needs a password or a private key/);
    expect(() => readSftpServerSettings(source({ hots: 'x' }))).toThrow(expect.objectContaining({ message: "source 'partner_sftp': unknown loader key 'hots'", hint: "did you mean 'host'?", line: 4 }));
    expect(() => readSftpServerSettings(source({ port: 'abc' }))).toThrow(/loader key 'port' must be a whole number >= 1, got "abc"/);
    expect(() => readSftpServerSettings(source({ private_key: 'k', key_file: '/k' }))).toThrow(/private_key or key_file, not both/);
    expect(() => readSftpServerSettings(source({ host_key_sha256: 'abc' }))).toThrow(/SHA256:<43 base64 characters>/);
    const s = source({});
    expect(() => readSftpTableSettings(s, { name: 'stock', settings: {}, line: 9 }, { folder: '/' })).toThrow(expect.objectContaining({ message: "table 'partner_sftp.stock': loader key 'pattern' is required", line: 10 }));
    expect(() => readSftpTableSettings(s, { name: 'stock', settings: { pattern: '*.csv', file_format: 'xlsx' } }, { folder: '/' })).toThrow(/file_format' must be one of csv, tsv, jsonl, parquet, got 'xlsx'/);
    expect(() => readSftpTableSettings(s, { name: 'stock', settings: { pattern: '*.csv', disposition: 'merge' } }, { folder: '/' })).toThrow(/disposition merge needs a primary_key/);
    expect(() => new SftpSource().validate(source({}, { patern: '*.csv' }))).toThrow(/unknown loader key 'patern'/);
  });

  it('tables: folders resolve under the source folder; files append by default, merge with a primary key', () => {
    const s = source({ folder: '/out' });
    expect(readSftpTableSettings(s, { name: 'stock', settings: { pattern: './stock/*.csv', folder: 'daily' } }, { folder: '/out' })).toMatchObject({ folder: '/out/daily', pattern: 'stock/*.csv', header: true, compression: 'auto', landing: { disposition: 'append', format: 'parquet' } });
    expect(readSftpTableSettings(s, { name: 'stock', settings: { pattern: '*.tsv', primary_key: 'sku', delimiter: '\\t', column_types: { qty: 'bigint' } } }, { folder: '/out' })).toMatchObject({
      delimiter: '\t',
      landing: { disposition: 'merge', primaryKey: ['sku'], schema: [{ name: 'qty', type: 'BIGINT' }] },
    });
    // A source-level disposition is every table's default, as in the project reader.
    expect(readSftpTableSettings(source({ disposition: 'replace' }), { name: 'stock', settings: { pattern: '*' } }, { folder: '/' }).landing.disposition).toBe('replace');
  });

  it('a file format comes from its name, .gz means gzip, and the table may say otherwise', () => {
    const auto = { compression: 'auto' as const };
    expect(fileKind('/in/a.CSV', auto)).toEqual({ format: 'csv', gzip: false });
    expect(fileKind('/in/a.tsv.gz', auto)).toEqual({ format: 'tsv', gzip: true });
    expect(fileKind('/in/a.ndjson', auto)).toEqual({ format: 'jsonl', gzip: false });
    expect(fileKind('/in/a.parquet', auto)).toEqual({ format: 'parquet', gzip: false });
    expect(fileKind('/in/a.dat', auto)).toBeUndefined();
    expect(fileKind('/in/a.dat', { compression: 'gzip', fileFormat: 'csv' })).toEqual({ format: 'csv', gzip: true });
    expect(fileKind('/in/a.csv.gz', { compression: 'none' })).toEqual({ format: 'csv', gzip: false });
  });
});

import type { TargetConfig } from '../adapter/adapter.js';
import type { ManifestNode } from '../manifest/nodes.js';

/** How fixture rows are written: YAML mappings, CSV text or a SQL select. */
export type FixtureFormat = 'dict' | 'csv' | 'sql';

/** Rows as written: a list of mappings (dict) or a text (csv, sql). */
export type FixtureRows = Record<string, unknown>[] | string;

/** One `given` entry: mock rows for a relation the model reads. */
export interface UnitTestInput {
  /** `ref('name')`, `source('src', 'table')` or `this`, as written. */
  input: string;
  rows: FixtureRows;
  format: FixtureFormat;
  /** Name of a fixture file under `<test-path>/fixtures/` the rows were read from, if any. */
  fixture: string | null;
}

/** The `expect` entry: the rows the model must return (only the columns listed are compared). */
export interface UnitTestExpect {
  rows: FixtureRows;
  format: FixtureFormat;
  fixture: string | null;
}

/** What a unit test replaces while compiling its model. */
export interface UnitTestOverrides {
  /** Macro name to the value it returns (`is_incremental: true`). */
  macros: Record<string, unknown>;
  vars: Record<string, unknown>;
  env_vars: Record<string, string>;
}

/** A unit test, in the shape of dbt's manifest `unit_tests` entries. */
export interface UnitTestNode extends ManifestNode {
  resource_type: 'unit_test';
  /** Name of the model under test. */
  model: string;
  given: UnitTestInput[];
  expect: UnitTestExpect;
  overrides: UnitTestOverrides | null;
}

/** The target unit tests run on unless told otherwise: an in-memory DuckDB, whatever the project's target. */
export const UNIT_TEST_TARGET: TargetConfig = { type: 'duckdb', path: ':memory:', schema: 'main' };

/** Whether a node is a unit test. */
export function isUnitTest(node: { resource_type: string }): node is UnitTestNode {
  return node.resource_type === 'unit_test';
}

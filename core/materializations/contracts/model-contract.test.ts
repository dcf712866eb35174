import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../errors/user-error.js';
import { loadProject } from '../../project/load-project.js';
import { readProjectFile } from '../../project/project-file.js';
import { propertyFile, readContract } from './model-contract.js';

const roots: string[] = [];
afterEach(() => {
  while (roots.length) rmSync(roots.pop()!, { recursive: true, force: true });
});

/** Loads a project with model `orders` described by `yml`; returns the node and the project root. */
async function orders(yml: string, projectYml = 'name: shop\n') {
  const root = mkdtempSync(path.join(os.tmpdir(), 'strata-contract-'));
  roots.push(root);
  const files = { 'project.yml': projectYml, 'models/orders.sql': 'select 1 as id', 'models/orders.yml': yml };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  const project = await loadProject({
    project: readProjectFile(root),
    naming: { adapterType: 'duckdb', sql: { relation: (r) => `"${r.schema}"."${r.identifier}"` }, defaultDatabase: null, defaultSchema: 'main' },
  });
  return { node: project.nodes.get('model.shop.orders')!, root };
}

/** A YAML entry for `orders` with an enforced contract and the given lines under it (indented 4). */
const enforced = (body: string) => `version: 2\nmodels:\n  - name: orders\n    config:\n      contract: {enforced: true}\n${body}`;

function contractError(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('readContract', () => {
  it('is undefined without a contract, or when it is not enforced', async () => {
    const plain = await orders('version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: id\n');
    expect(readContract(plain.node, plain.root)).toBeUndefined();
    const off = await orders('version: 2\nmodels:\n  - name: orders\n    config:\n      contract: {enforced: false}\n    columns:\n      - name: id\n');
    expect(readContract(off.node, off.root)).toBeUndefined();
  });

  it('reads declared columns in order with their types and column constraints', async () => {
    const { node, root } = await orders(
      enforced(`    columns:
      - name: id
        data_type: int
        constraints:
          - type: not_null
          - type: check
            name: positive_id
            expression: "id > 0"
      - name: note
        data_type: " varchar "
`),
    );
    const contract = readContract(node, root)!;
    expect(contract.columns).toEqual([
      { name: 'id', dataType: 'int', constraints: [{ type: 'not_null' }, { type: 'check', name: 'positive_id', expression: 'id > 0' }] },
      { name: 'note', dataType: 'varchar', constraints: [] },
    ]);
    expect(contract.constraints).toEqual([]);
    expect(contract.locate()).toEqual({ file: 'models/orders.yml', line: 3 });
    expect(propertyFile(node)).toBe('models/orders.yml');
  });

  it('names the YAML line of the first column without a data_type', async () => {
    const { node, root } = await orders(enforced('    columns:\n      - name: id\n        data_type: int\n      - name: note\n      - name: total\n'));
    const error = contractError(() => readContract(node, root));
    expect(error.message).toBe("model 'orders' enforces a contract, so every column needs a data_type: 'note', 'total' have none");
    expect(error.file).toBe('models/orders.yml');
    expect(error.line).toBe(9);
  });

  it('needs at least one declared column', async () => {
    const { node, root } = await orders(enforced(''));
    expect(contractError(() => readContract(node, root)).message).toBe("model 'orders' enforces a contract but declares no columns");
  });

  it('rejects a contract that is not a mapping of known keys', async () => {
    const notMapping = await orders('version: 2\nmodels:\n  - name: orders\n    config:\n      contract: true\n    columns:\n      - name: id\n');
    const error = contractError(() => readContract(notMapping.node, notMapping.root));
    expect(error.message).toBe("'contract' of model 'orders' must be a mapping, not true");
    expect(error.line).toBe(5);
    const typo = await orders('version: 2\nmodels:\n  - name: orders\n    config:\n      contract: {enforce: true}\n    columns:\n      - name: id\n');
    const unknown = contractError(() => readContract(typo.node, typo.root));
    expect(unknown.message).toBe("unknown key 'enforce' in the contract of model 'orders'");
    expect(unknown.hint).toBe("did you mean 'enforced'?");
  });

  it('takes the contract from a folder config in project.yml', async () => {
    const { node, root } = await orders('version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: id\n        data_type: int\n', 'name: shop\nmodels:\n  shop:\n    +contract: {enforced: true}\n');
    expect(readContract(node, root)?.columns.map((c) => c.name)).toEqual(['id']);
  });

  it('keeps model-level key constraints, naming columns as declared, and moves not_null onto each column', async () => {
    const { node, root } = await orders(
      enforced(`    constraints:
      - type: primary_key
        columns: [ORDER_ID, line_no]
      - type: not_null
        columns: [line_no]
      - type: check
        expression: "line_no > 0"
    columns:
      - name: order_id
        data_type: int
      - name: line_no
        data_type: int
`),
    );
    const contract = readContract(node, root)!;
    expect(contract.constraints).toEqual([
      { type: 'primary_key', columns: ['order_id', 'line_no'] },
      { type: 'check', expression: 'line_no > 0' },
    ]);
    expect(contract.columns.map((c) => c.constraints)).toEqual([[], [{ type: 'not_null' }]]);
  });

  it.each([
    { what: 'an unknown type', constraint: '          - type: not_nul', message: 'constraint type "not_nul" is not one of not_null, unique, primary_key, foreign_key, check, custom', hint: "did you mean 'not_null'?" },
    { what: 'a check without an expression', constraint: '          - type: check', message: "a check constraint needs an 'expression'" },
    { what: 'an unknown key', constraint: '          - type: check\n            expresion: "id > 0"', message: "unknown key 'expresion' in a constraint", hint: "did you mean 'expression'?" },
    { what: 'columns on a column constraint', constraint: '          - type: unique\n            columns: [id]', message: "a column's constraint applies to that column and takes no 'columns'" },
  ])('rejects $what at the line of the constraint', async ({ constraint, message, hint }) => {
    const { node, root } = await orders(enforced(`    columns:\n      - name: id\n        data_type: int\n        constraints:\n${constraint}\n`));
    const error = contractError(() => readContract(node, root));
    expect(error.message).toBe(message);
    expect(error.line).toBe(10);
    if (hint) expect(error.hint).toBe(hint);
  });

  it('rejects a model-level constraint on an undeclared column, or without columns', async () => {
    const unknown = await orders(enforced('    constraints:\n      - type: unique\n        columns: [idd]\n    columns:\n      - name: id\n        data_type: int\n'));
    const error = contractError(() => readContract(unknown.node, unknown.root));
    expect(error.message).toBe("a unique constraint of model 'orders' names column 'idd', which the contract does not declare");
    expect(error.hint).toBe("did you mean 'id'?");
    expect(error.line).toBe(7);
    const bare = await orders(enforced('    constraints:\n      - type: primary_key\n    columns:\n      - name: id\n        data_type: int\n'));
    expect(contractError(() => readContract(bare.node, bare.root)).message).toBe("a model-level primary_key constraint needs 'columns'");
  });

  it('allows one primary key: several column-level keys point to the model level', async () => {
    const twice = await orders(
      enforced('    columns:\n      - name: a\n        data_type: int\n        constraints: [{type: primary_key}]\n      - name: b\n        data_type: int\n        constraints: [{type: primary_key}]\n'),
    );
    const error = contractError(() => readContract(twice.node, twice.root));
    expect(error.message).toBe("columns 'a', 'b' of model 'orders' each have a primary_key constraint, but a table has one primary key");
    expect(error.hint).toContain('constraints: [{type: primary_key, columns: [a, b]}]');
    expect(error.line).toBe(10);
    const both = await orders(
      enforced('    constraints: [{type: primary_key, columns: [b]}]\n    columns:\n      - name: a\n        data_type: int\n        constraints: [{type: primary_key}]\n      - name: b\n        data_type: int\n'),
    );
    expect(contractError(() => readContract(both.node, both.root)).message).toBe("model 'orders' declares more than one primary_key constraint");
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Constraint, ConstraintType, ContractColumn } from '../../adapter/adapter.js';
import { didYouMean } from '../../errors/did-you-mean.js';
import { UserError, type SourceLocation } from '../../errors/user-error.js';
import type { ManifestNode } from '../../manifest/nodes.js';
import { lineOf, loadYaml } from '../../project/yaml-file.js';

/** A key path inside a model's YAML entry; a string after `columns` names a column. */
export type EntryPath = (string | number)[];

/** A model's enforced contract: its declared columns in order and its table-level constraints. */
export interface ModelContract {
  /** Declared columns with their data types and column-level constraints (model-level not_null included). */
  columns: ContractColumn[];
  /** Table-level constraints (primary_key or unique over columns, check). */
  constraints: Constraint[];
  /** Where a part of the model's YAML entry is, for error messages. */
  locate(path?: EntryPath): SourceLocation;
}

const CONSTRAINT_TYPES: readonly ConstraintType[] = ['not_null', 'unique', 'primary_key', 'foreign_key', 'check', 'custom'];
const CONSTRAINT_KEYS = new Set(['type', 'expression', 'name', 'columns', 'warn_unenforced', 'warn_unsupported', 'to', 'to_columns']);
const CONTRACT_KEYS = new Set(['enforced', 'alias_types']);

/**
 * The contract of a model whose config says `contract: {enforced: true}`, checked for what
 * dbt requires (a data_type on every column, well-formed constraints); undefined otherwise.
 */
export function readContract(node: ManifestNode, projectRoot: string): ModelContract | undefined {
  const yamlFile = propertyFile(node);
  const locate = (entryPath: EntryPath = []): SourceLocation =>
    yamlFile ? { file: yamlFile, line: yamlLine(projectRoot, yamlFile, node.name, entryPath) } : { file: node.original_file_path };
  const config = node.config.contract;
  if (config === undefined || config === null) return undefined;
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw new UserError(`'contract' of model '${node.name}' must be a mapping, not ${JSON.stringify(config)}`, { ...configLocation(node, locate), hint: 'write contract: {enforced: true} in the YAML config' });
  }
  const settings = config as Record<string, unknown>;
  for (const key of Object.keys(settings)) {
    if (!CONTRACT_KEYS.has(key)) throw new UserError(`unknown key '${key}' in the contract of model '${node.name}'`, { ...configLocation(node, locate), hint: didYouMean(key, CONTRACT_KEYS) || `one of: ${[...CONTRACT_KEYS].join(', ')}` });
  }
  if (settings.enforced !== undefined && typeof settings.enforced !== 'boolean') {
    throw new UserError(`'contract.enforced' of model '${node.name}' must be true or false`, configLocation(node, locate));
  }
  if (settings.enforced !== true) return undefined;

  const declared = Object.values(node.columns);
  if (declared.length === 0) {
    throw new UserError(`model '${node.name}' enforces a contract but declares no columns`, {
      ...locate(),
      hint: `list every column of '${node.name}' with its data_type under 'columns:' in its YAML entry`,
    });
  }
  const untyped = declared.filter((c) => typeof c.data_type !== 'string' || !c.data_type.trim());
  if (untyped.length) {
    const names = untyped.map((c) => `'${c.name}'`).join(', ');
    throw new UserError(`model '${node.name}' enforces a contract, so every column needs a data_type: ${names} ${untyped.length === 1 ? 'has' : 'have'} none`, {
      ...locate(['columns', untyped[0].name]),
      hint: `add e.g. 'data_type: integer' to ${untyped.length === 1 ? 'that column' : 'each of them'}, or turn the contract off`,
    });
  }

  const columns: ContractColumn[] = declared.map((c) => ({
    name: c.name,
    dataType: (c.data_type as string).trim(),
    constraints: readConstraints((c as { constraints?: unknown }).constraints, 'column', ['columns', c.name], locate),
  }));
  const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  const constraints: Constraint[] = [];
  const modelLevel = readConstraints(node.property_entry?.constraints, 'model', [], locate);
  modelLevel.forEach((constraint, i) => {
    const where = locate(['constraints', i]);
    if (constraint.columns) {
      constraint.columns = constraint.columns.map((name) => {
        const column = byName.get(name.toLowerCase());
        if (!column) throw new UserError(`a ${constraint.type} constraint of model '${node.name}' names column '${name}', which the contract does not declare`, { ...where, hint: didYouMean(name, columns.map((c) => c.name)) || 'declare the column, or fix the name' });
        return column.name;
      });
    }
    if (constraint.type === 'not_null') {
      // SQL has no table-level NOT NULL: it is the same as the constraint on each column.
      for (const name of constraint.columns ?? []) byName.get(name.toLowerCase())!.constraints.push({ type: 'not_null', ...(constraint.name ? { name: constraint.name } : {}) });
    } else {
      constraints.push(constraint);
    }
  });

  const keyed = columns.filter((c) => c.constraints.some((k) => k.type === 'primary_key'));
  if (keyed.length > 1) {
    throw new UserError(`columns ${keyed.map((c) => `'${c.name}'`).join(', ')} of model '${node.name}' each have a primary_key constraint, but a table has one primary key`, {
      ...locate(['columns', keyed[1].name]),
      hint: `declare a key of several columns at the model level: constraints: [{type: primary_key, columns: [${keyed.map((c) => c.name).join(', ')}]}]`,
    });
  }
  const tableKeys = constraints.filter((k) => k.type === 'primary_key');
  if (tableKeys.length + keyed.length > 1) {
    throw new UserError(`model '${node.name}' declares more than one primary_key constraint`, { ...locate(['constraints']), hint: 'keep one: on a column, or at the model level for a key of several columns' });
  }
  return { columns, constraints, locate };
}

/** The YAML file (relative to the project root) that describes the node, from its patch_path. */
export function propertyFile(node: ManifestNode): string | undefined {
  // patch_path is written `package://models/schema.yml`, as in dbt's manifest.
  return node.patch_path ? node.patch_path.replace(/^[^:/]+:\/\//, '') : undefined;
}

/** The line of `entryPath` inside the model's entry under `models:` of a YAML file; undefined when not found. */
export function yamlLine(projectRoot: string, file: string, modelName: string, entryPath: EntryPath = []): number | undefined {
  let text: string;
  let data: unknown;
  try {
    text = readFileSync(path.join(projectRoot, file), 'utf8');
    data = loadYaml(text, file);
  } catch {
    return undefined;
  }
  const models = (data as { models?: unknown } | null)?.models;
  if (!Array.isArray(models)) return undefined;
  const index = models.findIndex((m) => (m as { name?: unknown } | null)?.name === modelName);
  if (index < 0) return undefined;
  const keys: (string | number)[] = ['models', index];
  let value: unknown = models[index];
  for (let i = 0; i < entryPath.length; i++) {
    const key = entryPath[i];
    const next = entryPath[i + 1];
    if (key === 'columns' && typeof next === 'string' && Array.isArray((value as { columns?: unknown }).columns)) {
      const list = (value as { columns: unknown[] }).columns;
      const j = list.findIndex((c) => String((c as { name?: unknown } | null)?.name).toLowerCase() === next.toLowerCase());
      keys.push('columns', j < 0 ? 0 : j);
      value = list[j];
      i++;
    } else {
      keys.push(key);
      value = value && typeof value === 'object' ? (value as Record<string | number, unknown>)[key] : undefined;
    }
  }
  return lineOf(text, keys);
}

function configLocation(node: ManifestNode, locate: (p?: EntryPath) => SourceLocation): SourceLocation {
  const inYaml = (node.unrendered_config as Record<string, unknown> | undefined)?.contract !== undefined && propertyFile(node);
  return inYaml ? locate(['config', 'contract']) : { file: node.original_file_path };
}

/** Reads a `constraints:` list of a column (`level: column`) or of the model. */
function readConstraints(raw: unknown, level: 'column' | 'model', at: EntryPath, locate: (p?: EntryPath) => SourceLocation): Constraint[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new UserError(`'constraints' must be a list`, { ...locate([...at, 'constraints']), hint: '- type: not_null' });
  return raw.map((entry, i) => {
    const where = locate([...at, 'constraints', i]);
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw new UserError(`each constraint must be a mapping with a 'type'`, { ...where, hint: '- type: not_null' });
    const fields = entry as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      if (!CONSTRAINT_KEYS.has(key)) throw new UserError(`unknown key '${key}' in a constraint`, { ...where, hint: didYouMean(key, CONSTRAINT_KEYS) || `one of: ${[...CONSTRAINT_KEYS].join(', ')}` });
    }
    const type = fields.type;
    if (typeof type !== 'string' || !CONSTRAINT_TYPES.includes(type as ConstraintType)) {
      throw new UserError(`constraint type ${JSON.stringify(type)} is not one of ${CONSTRAINT_TYPES.join(', ')}`, { ...where, hint: (typeof type === 'string' && didYouMean(type, CONSTRAINT_TYPES)) || undefined });
    }
    const constraint: Constraint = { type: type as ConstraintType };
    if (fields.name !== undefined && fields.name !== null) {
      if (typeof fields.name !== 'string' || !fields.name.trim()) throw new UserError(`a constraint's 'name' must be a string`, where);
      constraint.name = fields.name;
    }
    if (fields.expression !== undefined && fields.expression !== null) {
      if (typeof fields.expression !== 'string') throw new UserError(`a constraint's 'expression' must be a string`, where);
      constraint.expression = fields.expression;
    }
    if ((type === 'check' || type === 'custom') && !constraint.expression?.trim()) {
      throw new UserError(`a ${type} constraint needs an 'expression'`, { ...where, hint: type === 'check' ? `e.g. expression: "amount >= 0"` : 'the DDL of the constraint' });
    }
    if (level === 'column') {
      if (fields.columns !== undefined) throw new UserError(`a column's constraint applies to that column and takes no 'columns'`, { ...where, hint: 'move constraints over several columns to the model level' });
      return constraint;
    }
    if (fields.columns !== undefined && fields.columns !== null) {
      if (!Array.isArray(fields.columns) || !fields.columns.every((c) => typeof c === 'string')) throw new UserError(`a constraint's 'columns' must be a list of column names`, where);
      constraint.columns = fields.columns as string[];
    }
    if ((type === 'primary_key' || type === 'unique' || type === 'not_null') && !constraint.columns?.length) {
      throw new UserError(`a model-level ${type} constraint needs 'columns'`, { ...where, hint: `e.g. columns: [order_id, line_no], or put the constraint on the column itself` });
    }
    return constraint;
  });
}

// The synthetic model graph both project writers render: deterministic for a given size and seed.

export const FOLDER_COUNT = 20;

/** Macros of the synthetic project: JS helpers (file → exports) and SQL partials. */
export const HELPER_FILES = {
  cents_to_dollars: ['default'],
  days_since: ['default'],
  round_amount: ['default'],
  amount_helpers: ['abs_amount', 'coalesce_zero'],
};
export const HELPERS = ['cents_to_dollars', 'days_since', 'round_amount', 'abs_amount', 'coalesce_zero'];
export const PARTIALS = ['limit_recent', 'is_positive', 'id_not_null', 'before_cutoff', 'amount_in_range'];

/** Which column each macro takes, and how its result becomes a true condition in a where clause. */
export const MACRO_USE = {
  cents_to_dollars: { column: 'amount', suffix: ' >= 0' },
  days_since: { column: 'updated_at', suffix: ' >= -100000' },
  round_amount: { column: 'amount', suffix: ' >= 0' },
  abs_amount: { column: 'amount', suffix: ' >= 0' },
  coalesce_zero: { column: 'amount', suffix: ' >= 0' },
  limit_recent: { column: 'updated_at', suffix: '' },
  is_positive: { column: 'amount', suffix: '' },
  id_not_null: { column: 'id', suffix: '' },
  before_cutoff: { column: 'updated_at', suffix: '' },
  amount_in_range: { column: 'amount', suffix: '' },
};

/** Folder configs of project.yml, shared so the Dataform writer can resolve them per model. */
export function folderConfigs(forceMaterialized) {
  if (forceMaterialized) return {};
  return {
    f00: { materialized: 'table', tags: ['hot'] },
    f05: { materialized: 'table' },
    f10: { tags: ['nightly'] },
    f15: { materialized: 'table', tags: ['finance'] },
  };
}

/** mulberry32: a small seeded PRNG, so the same size always gives the same project. */
export function createRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}

export const modelName = (i) => `m_${String(i).padStart(5, '0')}`;
export const folderName = (i) => `f${String(i % FOLDER_COUNT).padStart(2, '0')}`;

/**
 * Builds the model list. Each model: name, folder, parents (names of earlier models),
 * combine ('single' | 'join' | 'union'), materialized (in-file config or undefined), fileTags,
 * yamlTags, macros (names used in its where clause), isRoot.
 * `forceMaterialized` ('table') makes every model that materialization, with no incremental.
 */
export function buildGraph({ models: count, seed = 42, forceMaterialized } = {}) {
  if (!Number.isInteger(count) || count < 1) throw new Error(`models must be a positive integer, got ${count}`);
  const random = createRandom(seed);
  const rootCount = Math.min(count, Math.max(3, Math.min(10, Math.ceil(count / 100))));
  const tagPool = ['core', 'daily', 'pii', 'marketing', 'ops'];
  const out = [];
  for (let i = 0; i < count; i++) {
    const isRoot = i < rootCount;
    const parents = [];
    if (!isRoot) {
      const wanted = Math.min(i, random.int(1, 3));
      while (parents.length < wanted) {
        const candidate = modelName(random.int(0, i - 1));
        if (!parents.includes(candidate)) parents.push(candidate);
      }
    }
    const combine = parents.length <= 1 ? 'single' : random.next() < 0.5 ? 'join' : 'union';
    let materialized;
    const roll = random.next();
    if (forceMaterialized) materialized = forceMaterialized;
    else if (isRoot) materialized = 'table';
    else if (roll < 0.15) materialized = 'incremental';
    else if (roll < 0.35) materialized = 'table';
    else if (roll < 0.5) materialized = 'view';
    // Every model has a config block: at least one tag, sometimes a materialization.
    const fileTags = [random.pick(tagPool), random.pick(tagPool)].slice(0, random.int(1, 2)).filter((t, k, a) => a.indexOf(t) === k);
    const yamlTags = random.next() < 0.25 ? [random.pick(tagPool)] : [];
    const macros = [];
    if (!isRoot) {
      const roll2 = random.next();
      if (roll2 < 0.4) macros.push(random.pick(HELPERS));
      else if (roll2 < 0.8) macros.push(random.pick(PARTIALS));
      else if (roll2 < 0.9) macros.push(random.pick(HELPERS), random.pick(PARTIALS));
    }
    out.push({ index: i, name: modelName(i), folder: folderName(i), parents, combine, materialized, fileTags, yamlTags, macros, isRoot });
  }
  return out;
}

/** The model's effective materialization and tags once folder configs apply (dbt's precedence). */
export function effectiveConfig(model, folders) {
  const folder = folders[model.folder] ?? {};
  const materialized = model.materialized ?? folder.materialized ?? 'view';
  const tags = [...new Set([...(folder.tags ?? []), ...model.yamlTags, ...model.fileTags])];
  return { materialized, tags };
}

export function modelDescription(model) {
  if (model.isRoot) return `Root model ${model.name}: constant rows, like a seed.`;
  return `Model ${model.name}: ${model.combine} of ${model.parents.join(', ')}.`;
}

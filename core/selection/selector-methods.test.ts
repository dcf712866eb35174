import { describe, expect, it } from 'vitest';
import { labels, shopProject } from './__fixtures__/shop-project.js';
import { resolveSelection } from './resolve-selection.js';

const project = shopProject();
const select = (...args: string[]) => labels(resolveSelection({ ...project, select: args }), project.nodes);

const STAGING = ['stg_charges', 'stg_customers', 'stg_orders', 'stg_payments'];
const MARTS = ['customer_ltv', 'customers', 'daily_revenue', 'orders'];
const SEEDS = ['country_codes', 'raw_customers'];
const SOURCES = ['shop.orders', 'shop.payments', 'stripe.charges'];

describe('fqn method', () => {
  it('a bare name selects the model with that name', () => {
    expect(select('stg_orders')).toEqual(['stg_orders']);
    expect(select('fqn:stg_orders')).toEqual(['stg_orders']);
  });

  it('a bare name never selects a source of the same name', () => {
    expect(select('orders')).toEqual(['orders']);
  });

  it('a dotted fqn prefix selects with or without the package name', () => {
    expect(select('staging.stg_orders')).toEqual(['stg_orders']);
    expect(select('shop.staging.stg_orders')).toEqual(['stg_orders']);
    expect(select('lookups.country_codes')).toEqual(['country_codes']);
  });

  it('a folder name selects every model under it, subfolders included, but not its sources', () => {
    expect(select('staging')).toEqual(STAGING);
    expect(select('shop.staging')).toEqual(STAGING);
    expect(select('staging.stripe')).toEqual(['stg_charges']);
    expect(select('marts.finance')).toEqual(['customer_ltv']);
  });

  it('a package name selects the package non-source nodes', () => {
    expect(select('shop')).toEqual([...SEEDS, ...MARTS, ...STAGING].sort());
    expect(select('audit_utils')).toEqual(['audit_log']);
  });

  it('wildcards match the rest of the fqn from the first wildcard part', () => {
    expect(select('fqn:*')).toEqual(['audit_log', ...SEEDS, ...MARTS, ...STAGING].sort());
    expect(select('*.marts.*')).toEqual(MARTS);
    expect(select('marts.*')).toEqual(MARTS);
    expect(select('staging.stg_?ayments')).toEqual(['stg_payments']);
    // The wildcard part matches the whole rest of the fqn, so stripe/stg_charges is not `stg_[co]*`.
    expect(select('staging.stg_[co]*')).toEqual(['stg_customers', 'stg_orders']);
    expect(select('staging.*.stg_charges')).toEqual(['stg_charges']);
  });

  it('a bare wildcard also matches model names in subfolders', () => {
    expect(select('stg_*')).toEqual(STAGING);
    expect(select('stg_c*')).toEqual(['stg_charges', 'stg_customers']);
    expect(select('stg_?rders')).toEqual(['stg_orders']);
  });

  it('an unknown name selects nothing', () => {
    expect(select('stg_nothing')).toEqual([]);
  });
});

describe('tag method', () => {
  it('selects models, seeds and sources with the tag', () => {
    expect(select('tag:nightly')).toEqual(['customers', 'orders', 'stg_customers', 'stg_orders']);
    expect(select('tag:pii')).toEqual(['shop.orders']);
    expect(select('tag:raw')).toEqual(['raw_customers']);
  });

  it('matches tags with wildcards', () => {
    expect(select('tag:fin*')).toEqual(['daily_revenue', 'orders']);
    expect(select('tag:nightl?')).toEqual(['customers', 'orders', 'stg_customers', 'stg_orders']);
  });
});

describe('path method', () => {
  it('a directory selects the models and the sources defined under it', () => {
    expect(select('path:models/staging')).toEqual([...SOURCES, ...STAGING].sort());
    expect(select('path:models/staging/stripe')).toEqual(['stg_charges', 'stripe.charges']);
    expect(select('path:seeds')).toEqual(SEEDS);
  });

  it('is the default method for a value with a slash', () => {
    expect(select('models/staging/stripe')).toEqual(['stg_charges', 'stripe.charges']);
    expect(select('./models/marts/')).toEqual(MARTS);
    expect(select('models/marts/orders.sql')).toEqual(['orders']);
  });

  it('a file path selects the node defined in it', () => {
    expect(select('path:models/marts/orders.sql')).toEqual(['orders']);
    expect(select('path:models/staging/sources.yml')).toEqual(['shop.orders', 'shop.payments']);
  });

  it('a properties file selects the models it documents', () => {
    expect(select('path:models/staging/schema.yml')).toEqual(['stg_orders']);
  });

  it('only whole path segments match', () => {
    expect(select('path:models/mart')).toEqual([]);
    expect(select('path:models/marts/orders')).toEqual([]);
  });

  it('globs like pathlib: * stays in one folder, ** spans folders', () => {
    expect(select('path:models/*/stg_*.sql')).toEqual(['stg_customers', 'stg_orders', 'stg_payments']);
    expect(select('path:models/**/stg_*.sql')).toEqual(STAGING);
    expect(select('path:models/*/finance')).toEqual(['customer_ltv']);
    expect(select('path:seeds/**')).toEqual(SEEDS);
  });
});

describe('file method', () => {
  it('matches the file name with or without its extension', () => {
    expect(select('file:stg_orders.sql')).toEqual(['stg_orders']);
    expect(select('file:stg_orders')).toEqual(['stg_orders']);
    expect(select('file:country_codes.csv')).toEqual(['country_codes']);
  });

  it('is the default method for a value ending in .sql or .csv', () => {
    expect(select('stg_orders.sql')).toEqual(['stg_orders']);
    expect(select('raw_customers.csv')).toEqual(['raw_customers']);
  });

  it('matches file names with wildcards, sources through their YAML file', () => {
    expect(select('file:stg_*')).toEqual(STAGING);
    expect(select('file:sources.yml')).toEqual(SOURCES);
  });
});

describe('package method', () => {
  it('selects every node of the package, sources included', () => {
    expect(select('package:shop')).toEqual([...SEEDS, ...SOURCES, ...MARTS, ...STAGING].sort());
    expect(select('package:audit_*')).toEqual(['audit_log']);
  });
});

describe('source method', () => {
  it('a source name selects all its tables', () => {
    expect(select('source:shop')).toEqual(['shop.orders', 'shop.payments']);
  });

  it('source.table selects one table, package.source.table too', () => {
    expect(select('source:shop.orders')).toEqual(['shop.orders']);
    expect(select('source:shop.stripe.charges')).toEqual(['stripe.charges']);
  });

  it('matches source and table names with wildcards', () => {
    expect(select('source:*')).toEqual(SOURCES);
    expect(select('source:*.charges')).toEqual(['stripe.charges']);
    expect(select('source:shop.pay*')).toEqual(['shop.payments']);
  });

  it('source:x+ selects the source and everything built on it', () => {
    expect(select('source:shop+')).toEqual(['customer_ltv', 'customers', 'daily_revenue', 'orders', 'shop.orders', 'shop.payments', 'stg_orders', 'stg_payments']);
  });
});

describe('resource_type method', () => {
  it('selects the nodes of one resource type', () => {
    expect(select('resource_type:seed')).toEqual(SEEDS);
    expect(select('resource_type:source')).toEqual(SOURCES);
    expect(select('resource_type:model')).toEqual(['audit_log', ...MARTS, ...STAGING].sort());
    expect(select('resource_type:test')).toEqual([]);
  });
});

describe('config method', () => {
  it('compares a string config', () => {
    expect(select('config.materialized:incremental')).toEqual(['audit_log', 'daily_revenue']);
    expect(select('config.materialized:view')).toEqual(STAGING);
    expect(select('config.unique_key:customer_id')).toEqual(['customers']);
  });

  it('a list config matches when any element equals the value', () => {
    expect(select('config.unique_key:order_id')).toEqual(['orders']);
    expect(select('config.unique_key:currency')).toEqual(['daily_revenue']);
  });

  it('a boolean config compares to true or false, in any case', () => {
    expect(select('config.full_refresh:true')).toEqual(['daily_revenue']);
    expect(select('config.full_refresh:False')).toEqual(['orders']);
    expect(select('config.enabled:true')).toHaveLength(project.nodes.size);
  });

  it('dotted keys descend into nested configs such as meta', () => {
    expect(select('config.meta.owner:finance')).toEqual(['daily_revenue', 'orders']);
    expect(select('config.meta.tier:1')).toEqual(['daily_revenue']);
    expect(select('config.meta.owner.name:finance')).toEqual([]);
  });

  it('does not use wildcards', () => {
    expect(select('config.materialized:incr*')).toEqual([]);
  });
});

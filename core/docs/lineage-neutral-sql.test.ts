import { describe, expect, it } from 'vitest';
import { withoutLineageNeutralClauses } from './lineage-neutral-sql.js';

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('withoutLineageNeutralClauses', () => {
  it('drops group by all', () => {
    expect(squash(withoutLineageNeutralClauses('select a, count(*) as n from t group by all'))).toBe('select a, count(*) as n from t');
  });

  it('drops a qualify clause up to order by, a closing paren or the end', () => {
    expect(squash(withoutLineageNeutralClauses('select a from t qualify row_number() over (partition by a order by b) = 1 order by a'))).toBe('select a from t order by a');
    expect(squash(withoutLineageNeutralClauses('select * from (select a from t qualify rank() over (order by a) = 1) s'))).toBe('select * from (select a from t ) s');
    expect(squash(withoutLineageNeutralClauses('select a from t qualify x = 1'))).toBe('select a from t');
  });

  it('drops the exclude list after a star', () => {
    expect(squash(withoutLineageNeutralClauses('select * exclude (status, "odd)col") from t'))).toBe('select * from t');
    expect(squash(withoutLineageNeutralClauses('select o.* EXCLUDE (a) , b from t o'))).toBe('select o.* , b from t o');
  });

  it('leaves literals, quoted names, comments, replace and look-alike words alone', () => {
    const sql = `select 'group by all' as s, "qualify" as q, qualified_rows, * replace (a + 1 as a) -- qualify x\nfrom t /* group by all */`;
    expect(withoutLineageNeutralClauses(sql)).toBe(sql);
  });
});

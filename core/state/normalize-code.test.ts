import { describe, expect, it } from 'vitest';
import { codeChecksum, normalizeCode } from './normalize-code.js';

describe('normalizeCode', () => {
  it('ignores whitespace and layout changes', () => {
    const a = 'select order_id, amount\nfrom {{ref "stg_orders"}}\nwhere amount > 0';
    const b = '  select   order_id ,\n\tamount\n\n  from {{ ref "stg_orders" }}   where amount>0\n';
    expect(normalizeCode(a)).toBe(normalizeCode(b));
    expect(codeChecksum(a)).toBe(codeChecksum(b));
  });

  it('ignores SQL and Handlebars comments', () => {
    const plain = 'select 1 as x';
    expect(normalizeCode('-- the answer\nselect 1 /* one */ as x -- trailing')).toBe(normalizeCode(plain));
    expect(normalizeCode('{{!-- a comment with }} inside --}}select 1 as x{{! short }}')).toBe(normalizeCode(plain));
  });

  it('keeps the space between two words', () => {
    expect(normalizeCode('select  a\n from t')).toBe('select a from t');
    expect(normalizeCode('select a from t')).not.toBe(normalizeCode('select afrom t'));
  });

  it('sees a change inside a string literal, even of whitespace', () => {
    expect(normalizeCode("where s = 'a  b'")).not.toBe(normalizeCode("where s = 'a b'"));
    expect(normalizeCode("where s = '-- not a comment'")).toContain('-- not a comment');
    expect(normalizeCode("select 'it''s' -- gone")).toBe("select'it''s'");
  });

  it('sees a changed expression', () => {
    expect(codeChecksum('select amount * 100 as cents')).not.toBe(codeChecksum('select amount * 1000 as cents'));
  });

  it('reads JavaScript comments and strings', () => {
    const a = "export function f(x) { return `${x} // kept`; } // note\n/* block */";
    const b = "export function f(x) {\n  // explain\n  return `${x} // kept`;\n}";
    expect(normalizeCode(a, 'javascript')).toBe(normalizeCode(b, 'javascript'));
    expect(normalizeCode("const s = 'a\\'b' // c", 'javascript')).toBe("const s='a\\'b'");
  });
});

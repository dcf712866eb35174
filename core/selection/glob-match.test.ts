import { describe, expect, it } from 'vitest';
import { globMatcher, normalizePath, pathMatcher } from './glob-match.js';

describe('globMatcher', () => {
  it('without wildcards compares exactly', () => {
    expect(globMatcher('a.b')('a.b')).toBe(true);
    expect(globMatcher('a.b')('aXb')).toBe(false);
  });

  it('* matches any run of characters, dots and slashes included, as fnmatch does', () => {
    expect(globMatcher('*.marts.*')('shop.marts.finance.ltv')).toBe(true);
    expect(globMatcher('a*')('a/b')).toBe(true);
    expect(globMatcher('a*')('ba')).toBe(false);
  });

  it('? matches one character', () => {
    expect(globMatcher('m_?')('m_1')).toBe(true);
    expect(globMatcher('m_?')('m_12')).toBe(false);
  });

  it('[abc], [a-z] and [!a] match one character of a class', () => {
    expect(globMatcher('m_[ab]')('m_b')).toBe(true);
    expect(globMatcher('m_[a-c]')('m_d')).toBe(false);
    expect(globMatcher('m_[!a]')('m_a')).toBe(false);
    expect(globMatcher('m_[!a]')('m_b')).toBe(true);
  });

  it('regex characters and an unclosed [ are literal', () => {
    expect(globMatcher('a+(b)*')('a+(b)c')).toBe(true);
    expect(globMatcher('a[b*')('a[bcd')).toBe(true);
  });
});

describe('pathMatcher', () => {
  it('matches a file, or a file under a matching directory', () => {
    const isMatch = pathMatcher('models/staging');
    expect(isMatch('models/staging/a.sql')).toBe(true);
    expect(isMatch('models/staging')).toBe(true);
    expect(isMatch('models/staging_old/a.sql')).toBe(false);
  });

  it('* stays in one segment, ** spans any number of them', () => {
    expect(pathMatcher('models/*.sql')('models/a.sql')).toBe(true);
    expect(pathMatcher('models/*.sql')('models/x/a.sql')).toBe(false);
    expect(pathMatcher('models/**/a.sql')('models/a.sql')).toBe(true);
    expect(pathMatcher('models/**/a.sql')('models/x/y/a.sql')).toBe(true);
    expect(pathMatcher('*/x')('models/x/a.sql')).toBe(true);
  });

  it('. is the project root and matches everything', () => {
    expect(pathMatcher('.')('models/a.sql')).toBe(true);
  });

  it('normalizes ./, backslashes and trailing slashes', () => {
    expect(normalizePath('./models\\staging//')).toBe('models/staging');
    expect(pathMatcher('./models/staging/')('models/staging/a.sql')).toBe(true);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { Logger } from './logger.js';

function stream(isTTY: boolean) {
  const out = { text: '', isTTY, columns: 80, write(chunk: string) { out.text += chunk; return true; } };
  return out;
}
const ci = process.env.CI;
afterEach(() => {
  if (ci === undefined) delete process.env.CI;
  else process.env.CI = ci;
});

describe('Logger', () => {
  it('on a terminal, shows a progress line and redraws it under each log line', () => {
    delete process.env.CI;
    const out = stream(true);
    const logger = new Logger('text', out as unknown as NodeJS.WriteStream);
    logger.progress('[1/3] running a');
    logger.info('1 of 3 OK a');
    expect(out.text).toContain('\r\x1b[2K');
    expect(out.text.lastIndexOf('[1/3] running a')).toBeGreaterThan(out.text.indexOf('1 of 3 OK a'));
    logger.clearProgress();
    expect(out.text.endsWith('\r\x1b[2K')).toBe(true);
  });

  it('in CI, prints plain lines with no progress or colour codes', () => {
    process.env.CI = 'true';
    const out = stream(true);
    const logger = new Logger('text', out as unknown as NodeJS.WriteStream);
    logger.progress('[1/3] running a');
    logger.error('1 of 3 ERROR a');
    expect(out.text).not.toContain('\x1b');
    expect(out.text).toMatch(/^\d\d:\d\d:\d\d {2}1 of 3 ERROR a\n$/);
  });

  it('json format prints one object per line and masks secrets everywhere', () => {
    const out = stream(false);
    const logger = new Logger('json', out as unknown as NodeJS.WriteStream);
    logger.addSecrets(['hunter22']);
    logger.info('connecting with hunter22', 'connect', { dsn: 'postgres://u:hunter22@h/db' });
    const record = JSON.parse(out.text);
    expect(record).toMatchObject({ level: 'info', event: 'connect', msg: 'connecting with *****', data: { dsn: 'postgres://u:*****@h/db' } });
  });
});

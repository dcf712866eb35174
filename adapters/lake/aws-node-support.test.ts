import { afterEach, describe, expect, it } from 'vitest';
import { nodeSupportNote } from './aws-node-support.js';
import { S3LakeStorage } from './s3-lake-storage.js';

const VARIABLE = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
const before = process.env[VARIABLE];

describe('the AWS SDK and the Node version', () => {
  afterEach(() => {
    if (before === undefined) delete process.env[VARIABLE];
    else process.env[VARIABLE] = before;
  });

  it('debug notes Node before 22, and says nothing from 22 on', () => {
    expect(nodeSupportNote('v20.20.2')).toBe('node v20.20.2: the AWS SDK (the s3:// lake) supports Node 20 only in its releases up to January 2027; use Node 22 or newer for an S3 lake');
    expect(nodeSupportNote('v21.7.0')).toContain('use Node 22 or newer');
    expect(nodeSupportNote('v22.0.0')).toBeUndefined();
    expect(nodeSupportNote('v24.11.1')).toBeUndefined();
  });

  // Must run first in this file: the SDK warns once per process. (On Node 22 or newer it never warns.)
  it("an S3 lake does not print the SDK's Node warning", async () => {
    delete process.env[VARIABLE];
    const warnings: string[] = [];
    const listen = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', listen);
    try {
      new S3LakeStorage('s3://lake/prod', { region: 'us-east-1' });
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      process.off('warning', listen);
    }
    expect(warnings.filter((w) => w.includes('NodeVersionSupportWarning'))).toEqual([]);
    expect(process.env[VARIABLE]).toBe('true');
  });

  it('a user who set the variable keeps their setting', () => {
    process.env[VARIABLE] = 'false';
    new S3LakeStorage('s3://lake/prod', { region: 'us-east-1' });
    expect(process.env[VARIABLE]).toBe('false');
  });
});

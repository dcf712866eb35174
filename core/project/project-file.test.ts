import { describe, expect, it } from 'vitest';
import { tempFolder } from '../__fixtures__/temp-folder.js';
import type { UserError } from '../errors/user-error.js';
import { readProjectFile } from './project-file.js';

describe('readProjectFile', () => {
  it("reads dbt's dbt_project.yml, with the keys for what Strata has no part of", () => {
    const dir = tempFolder('strata-project-file-', {
      'dbt_project.yml': [
        'config-version: 2',
        'name: "jaffle_shop"',
        'require-dbt-version: ">=1.7.1"',
        'dbt-cloud:',
        '  project-id: 283328',
        'log-path: logs',
        'restrict-access: true',
        'semantic-models:',
        '  +enabled: true',
        'model-paths: ["models"]',
        '',
      ].join('\n'),
    });
    const project = readProjectFile(dir);
    expect(project.name).toBe('jaffle_shop');
    expect(project.modelPaths).toEqual(['models']);
  });

  it('refuses a misspelt key, naming its line and the key meant', () => {
    const dir = tempFolder('strata-project-file-', { 'project.yml': 'name: shop\nmodel-path: [models]\n' });
    let error: UserError | undefined;
    try {
      readProjectFile(dir);
    } catch (e) {
      error = e as UserError;
    }
    expect(error?.format()).toBe("project.yml:2: unknown key 'model-path' in project.yml\n  hint: did you mean 'model-paths'?");
  });
});

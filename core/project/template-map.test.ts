import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../template/template-parser.js';
import { TemplateMap } from './template-map.js';

describe('TemplateMap', () => {
  it('parses a template registered by its source on first use, once', () => {
    const templates = new TemplateMap();
    const source = 'select * from {{ref "a"}}\n{{#if (is_incremental)}}where x{{/if}}';
    templates.setSource('model.p.b', 'models/b.sql', source);
    expect(templates.has('model.p.b')).toBe(true);
    const first = templates.get('model.p.b');
    expect(first).toEqual(parseTemplate(source, 'models/b.sql'));
    expect(templates.get('model.p.b')).toBe(first);
  });

  it('gives parsed templates as they were set, and nothing for unknown ids', () => {
    const templates = new TemplateMap();
    const parsed = parseTemplate('select 1', 'models/a.sql');
    templates.set('model.p.a', parsed);
    expect(templates.get('model.p.a')).toBe(parsed);
    expect(templates.get('model.p.zzz')).toBeUndefined();
    expect(templates.has('model.p.zzz')).toBe(false);
  });
});

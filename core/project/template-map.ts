import { parseTemplate, type Template } from '../template/template-parser.js';

/**
 * Parsed templates by unique_id. A template parsed on a worker thread is not copied back (a
 * copy of its tree costs about as much as parsing it): its source is kept and parsed here on
 * first use, which only compilation needs.
 */
export class TemplateMap extends Map<string, Template> {
  private readonly sources = new Map<string, { file: string; source: string }>();

  /** Registers a template that parsed without error elsewhere, to be parsed again when asked for. */
  setSource(id: string, file: string, source: string): void {
    this.sources.set(id, { file, source });
  }

  override get(id: string): Template | undefined {
    const parsed = super.get(id);
    if (parsed) return parsed;
    const pending = this.sources.get(id);
    if (!pending) return undefined;
    const template = parseTemplate(pending.source, pending.file);
    this.sources.delete(id);
    super.set(id, template);
    return template;
  }

  override has(id: string): boolean {
    return super.has(id) || this.sources.has(id);
  }
}

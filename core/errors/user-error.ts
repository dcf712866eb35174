/** Where in a user's file a mistake was found. */
export interface SourceLocation {
  /** Path relative to the project root where possible. */
  file?: string;
  /** 1-based line number. */
  line?: number;
}

/**
 * A mistake in the user's project, command line or environment. The CLI prints it in
 * one or two lines (file:line, message, hint) and exits 2; anything else is a bug.
 */
export class UserError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly hint?: string;

  constructor(message: string, options: SourceLocation & { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.file = options.file;
    this.line = options.line;
    this.hint = options.hint;
  }

  /** The one or two lines the CLI prints. */
  format(): string {
    const where = this.file ? `${this.file}${this.line ? `:${this.line}` : ''}: ` : '';
    return `${where}${this.message}${this.hint ? `\n  hint: ${this.hint}` : ''}`;
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

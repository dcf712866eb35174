import pc from 'picocolors';
import { scrubSecrets } from '../../core/artifacts/artifact-metadata.js';

export type LogFormat = 'text' | 'json';
export type Level = 'debug' | 'info' | 'warn' | 'error';

/** Prints to the terminal like dbt: timestamped lines, or one JSON object a line for machines. */
export class Logger {
  private status = '';
  readonly tty: boolean;
  readonly color: boolean;
  private secrets: string[] = [];
  /** --quiet: only warnings, errors and the command's result (dbt's -q). */
  quiet = false;
  /** How many warnings were printed (--warn-error turns them into a failed command). */
  warnings = 0;

  constructor(
    readonly format: LogFormat = 'text',
    private readonly out: NodeJS.WriteStream = process.stdout,
    readonly debugEnabled = false,
    /** Where log lines go when they must not mix with the result (ls prints names to pipe on). */
    private readonly logOut: NodeJS.WriteStream = out,
  ) {
    this.tty = Boolean(out.isTTY) && !process.env.CI && format === 'text';
    this.color = this.tty && !process.env.NO_COLOR;
  }

  /** Values that must never be printed (resolved secrets). */
  addSecrets(secrets: string[]): void {
    this.secrets.push(...secrets);
  }

  /** A line of output; `data` goes into the JSON form only. */
  log(level: Level, message: string, event = 'log', data: Record<string, unknown> = {}): void {
    if (level === 'debug' && !this.debugEnabled) return;
    if (this.quiet && (level === 'info' || level === 'debug')) return;
    const clean = scrubSecrets(message, this.secrets);
    if (this.format === 'json') {
      const record = { ts: new Date().toISOString(), level, event, msg: stripAnsi(clean), data };
      this.write(scrubSecrets(JSON.stringify(record), this.secrets) + '\n');
      return;
    }
    const time = new Date().toISOString().slice(11, 19);
    const lines = clean.split('\n').map((line) => `${this.paint(pc.dim, time)}  ${line}`);
    this.write(lines.join('\n') + '\n');
  }

  info(message: string, event?: string, data?: Record<string, unknown>): void {
    this.log('info', message, event, data);
  }

  warn(message: string, event?: string, data?: Record<string, unknown>): void {
    this.warnings++;
    this.log('warn', this.paint(pc.yellow, message), event, data);
  }

  error(message: string, event?: string, data?: Record<string, unknown>): void {
    this.log('error', this.paint(pc.red, message), event, data);
  }

  /** Output that is the command's result (ls, show): printed bare, not as a log line. */
  result(text: string): void {
    this.out.write(scrubSecrets(text, this.secrets) + (text.endsWith('\n') ? '' : '\n'));
  }

  /** A one-line progress indicator under the log, on a terminal only. */
  progress(text: string): void {
    if (!this.tty || this.quiet) return;
    this.status = text.slice(0, (this.out.columns ?? 80) - 1);
    this.out.write(`\r\x1b[2K${this.paint(pc.cyan, this.status)}`);
  }

  clearProgress(): void {
    if (this.tty && this.status) this.out.write('\r\x1b[2K');
    this.status = '';
  }

  paint(style: (s: string) => string, text: string): string {
    return this.color ? style(text) : text;
  }

  private write(text: string): void {
    if (this.logOut !== this.out) {
      this.logOut.write(text);
      return;
    }
    if (this.tty && this.status) this.out.write('\r\x1b[2K');
    this.out.write(text);
    if (this.tty && this.status) this.out.write(this.paint(pc.cyan, this.status));
  }
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}

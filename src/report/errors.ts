// sa-report's failures and exit statuses. Dovecot treats any non-zero exit of the pipe program as a failed
// action (the antispam plugin then refuses the user's move), so only errors that would fail on EVERY move
// (a broken Dovecot or sa-report configuration) exit non-zero; see docs/sa-report.md "Exit statuses".
import { SaTrainError, type ErrorCode, type ErrorPosition } from '../errors.js';

/** sysexits(3)-style statuses; the README lists them. */
export const REPORT_EXIT = {
  /** Reported, spooled, or the input was skipped with a warning. */
  OK: 0,
  /** Unexpected failure (a bug): the message says what happened. */
  FAILURE: 70,
  /** Bad command line (EX_USAGE): a Dovecot setting is wrong. */
  USAGE: 64,
  /** The report could be neither delivered nor spooled (EX_TEMPFAIL). */
  TEMPFAIL: 75,
  /** Configuration, gpg or key missing or unusable (EX_CONFIG). */
  CONFIG: 78,
} as const;

export type ReportFailure = 'usage' | 'config' | 'tempfail';

/** An SaTrainError that also says which exit status it maps to. */
export class ReportError extends SaTrainError {
  readonly failure: ReportFailure;
  constructor(failure: ReportFailure, code: ErrorCode, message: string, pos?: ErrorPosition, options?: { cause?: unknown }) {
    super(code, message, pos, options);
    this.name = 'ReportError';
    this.failure = failure;
  }
  get exitCode(): number {
    switch (this.failure) {
      case 'usage':
        return REPORT_EXIT.USAGE;
      case 'config':
        return REPORT_EXIT.CONFIG;
      case 'tempfail':
        return REPORT_EXIT.TEMPFAIL;
    }
  }
}

export const configError = (message: string, file?: string, line?: number, cause?: unknown): ReportError =>
  new ReportError('config', 'BAD_ARGUMENT', message, file === undefined ? undefined : { file, line }, cause === undefined ? undefined : { cause });
export const usageError = (message: string): ReportError => new ReportError('usage', 'BAD_ARGUMENT', message);

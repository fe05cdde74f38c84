// Exit statuses of sa-train, documented in the README. sa-learn itself only distinguishes 0 and non-zero;
// cron jobs and scripts can tell these apart.
import type { ErrorCode } from '../errors.js';

export const EXIT = {
  OK: 0,
  /** Unexpected failure (a bug): the message says what happened. */
  FAILURE: 1,
  /** Bad command line. */
  USAGE: 2,
  /** The training set is missing, empty or unreadable. */
  SOURCE: 3,
  /** The engine is not installed or failed. */
  ENGINE: 4,
  /** The output could not be written or failed validation. */
  OUTPUT: 5,
  /** The two engines disagree (sa-train verify). */
  DIFFERENT: 6,
  /** SIGINT / SIGTERM. */
  INTERRUPTED: 130,
} as const;

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'BAD_ARGUMENT':
      return EXIT.USAGE;
    case 'SOURCE_MISSING':
    case 'CLASS_MISSING':
    case 'CLASS_EMPTY':
    case 'SOURCE_UNREADABLE':
    case 'DECRYPT_FAILED':
    case 'MESSAGE_INVALID':
      return EXIT.SOURCE;
    case 'ENGINE_MISSING':
    case 'ENGINE_FAILED':
      return EXIT.ENGINE;
    case 'DUMP_INVALID':
    case 'OUTPUT_FAILED':
      return EXIT.OUTPUT;
    case 'INTERRUPTED':
      return EXIT.INTERRUPTED;
  }
}

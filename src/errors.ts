// Typed errors: every failure the user can see has a stable code, a one-line message and, where it
// applies, the file and message position it refers to.

export type ErrorCode =
  | 'SOURCE_MISSING' // --source does not exist or is not a directory
  | 'CLASS_MISSING' // DIR/ham or DIR/spam absent
  | 'CLASS_EMPTY' // a class holds no message
  | 'SOURCE_UNREADABLE' // a file or directory cannot be read
  | 'BAD_ARGUMENT' // a command-line value is out of range or malformed
  | 'ENGINE_MISSING' // the engine's program (sa-learn, faketime) is not installed
  | 'ENGINE_FAILED' // the engine ran and failed
  | 'DUMP_INVALID' // a dump failed validation
  | 'OUTPUT_FAILED' // the output could not be written
  | 'INTERRUPTED' // SIGINT/SIGTERM
  | 'DECRYPT_FAILED' // a GnuPG source could not be decrypted
  | 'MESSAGE_INVALID'; // a message could not be parsed at all

export interface ErrorPosition {
  file?: string;
  /** 1-based message number inside the file (mbox). */
  message?: number;
  /** byte offset inside the file. */
  offset?: number;
  line?: number;
}

export class SaTrainError extends Error {
  readonly code: ErrorCode;
  readonly pos: ErrorPosition | undefined;
  constructor(code: ErrorCode, message: string, pos?: ErrorPosition, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SaTrainError';
    this.code = code;
    this.pos = pos;
  }

  /** One line for stderr: "code: message (file, message N, offset O)". */
  describe(): string {
    const where: string[] = [];
    if (this.pos?.file) where.push(this.pos.file);
    if (this.pos?.message !== undefined) where.push(`message ${this.pos.message}`);
    if (this.pos?.offset !== undefined) where.push(`offset ${this.pos.offset}`);
    if (this.pos?.line !== undefined) where.push(`line ${this.pos.line}`);
    return `${this.message}${where.length ? ` (${where.join(', ')})` : ''} [${this.code}]`;
  }
}

export function isSaTrainError(e: unknown): e is SaTrainError {
  return e instanceof SaTrainError;
}

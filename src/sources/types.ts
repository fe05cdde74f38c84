// What every source reader yields: one raw message and where it came from.

export type MessageClass = 'spam' | 'ham';

export interface MessageOrigin {
  file: string;
  /** 1-based message number inside an mbox; absent for one-message files. */
  index?: number;
  /** Byte offset of the message inside an mbox. */
  offset?: number;
}

export interface SourceMessage {
  cls: MessageClass;
  /** The message bytes exactly as SpamAssassin's ArchiveIterator hands them over (mbox From_ line included). */
  raw: Buffer;
  origin: MessageOrigin;
}

export function describeOrigin(o: MessageOrigin): string {
  return o.index !== undefined ? `${o.file} message ${o.index} (offset ${o.offset ?? 0})` : o.file;
}

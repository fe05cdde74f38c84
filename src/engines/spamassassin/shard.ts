// Sharding for parallel sa-learn runs. Messages that SpamAssassin treats as the same must be learned by
// the same sa-learn instance. Plugin/Bayes.pm::_learn_trapped looks a message up in the seen map under
// its generated id and under its Message-Id header, and stores it under the generated id; so two messages
// interact when their generated ids are equal, or when one's Message-Id equals the other's generated id.
// We compute the ids exactly as SpamAssassin does (src/mail: markup removal and re-parse included) and
// group messages with a union-find over those relations.
import { parseForLearning } from '../../mail/learner-input.js';
import { generateMsgid, getMsgid } from '../../mail/msgid.js';
import { createHash } from 'node:crypto';

export interface MessageIds {
  msgid: string;
  hdrMsgid: string | null;
}

/** generate_msgid and get_msgid of a raw message (From_ line included). */
export function messageIds(raw: Buffer): MessageIds {
  const msg = parseForLearning(raw);
  return { msgid: generateMsgid(msg), hdrMsgid: getMsgid(msg) };
}

/** Groups of messages (by index) that SpamAssassin's seen rules may connect. */
export class IdGroups {
  private readonly parent: number[] = [];
  private readonly byId = new Map<string, number>();
  private readonly hdr: Array<string | null> = [];

  add(ids: MessageIds): number {
    const i = this.parent.length;
    this.parent.push(i);
    this.hdr.push(ids.hdrMsgid);
    const prev = this.byId.get(ids.msgid);
    if (prev === undefined) this.byId.set(ids.msgid, i);
    else this.union(prev, i);
    return i;
  }

  private find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]!]!;
      i = this.parent[i]!;
    }
    return i;
  }

  private union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }

  /** Call once all messages are added: joins a message to the one whose generated id its Message-Id is. */
  close(): void {
    this.hdr.forEach((h, i) => {
      const j = h === null ? undefined : this.byId.get(h);
      if (j !== undefined) this.union(i, j);
    });
  }

  /** A stable key for the message's group: the group's first message index. */
  groupOf(i: number): number {
    return this.find(i);
  }
}

/** Shard number in [0, shards) for a group. */
export function shardOf(group: number, shards: number): number {
  const h = createHash('sha1').update(String(group)).digest();
  return h.readUInt32BE(0) % shards;
}

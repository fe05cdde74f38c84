// A deterministic generator of "modern HTML mail" for the benchmark: newsletters, receipts and spam
// as they look today: multipart/alternative or related, UTF-8 (RFC 2047 subjects, emoji, accented
// text), HTML with <style> CSS, nested layout tables, tracking links and pixels, inline base64 images,
// quoted-printable and base64 transfer encodings, DKIM/ARC/List-Unsubscribe headers, hidden preheader
// text. All text is synthesised from a seeded PRNG (syllable words): no copyrighted content.

/** xorshift32: the same seed gives the same corpus on every machine. */
export class Rng {
  private x: number;
  constructor(seed: number) {
    this.x = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let x = this.x;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.x = x >>> 0;
    return this.x / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)]!;
  }
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vi', 'so', 'pe', 'da', 'ri', 'mo', 'len', 'tor', 'gan', 'vel', 'stra', 'qui', 'bel', 'zen', 'ar', 'is', 'um', 'ex', 'on'];
const ACCENTED = ['é', 'è', 'ü', 'ö', 'ñ', 'ç', 'å', 'ø', 'ß', 'ł', 'ž', 'ă'];
const EMOJI = ['🎉', '🔥', '✨', '💰', '📦', '✅', '⭐', '🚀', '🎁', '💡', '❤️', '👉'];
const TLDS = ['com', 'net', 'io', 'co', 'shop', 'app', 'info', 'biz', 'xyz', 'de', 'fr'];
const COLORS = ['#1a73e8', '#202124', '#ffffff', '#f1f3f4', '#d93025', '#188038', '#fbbc04', '#5f6368', '#e8f0fe', '#333333'];
const FONTS = ['Helvetica, Arial, sans-serif', "'Segoe UI', Roboto, sans-serif", 'Georgia, serif', 'Verdana, Geneva, sans-serif'];

function word(r: Rng, accents = false): string {
  let w = '';
  const n = 1 + r.int(3);
  for (let i = 0; i < n; i++) w += r.pick(SYLLABLES);
  if (accents && r.int(6) === 0) w = w.slice(0, 1 + r.int(w.length)) + r.pick(ACCENTED) + w.slice(1 + r.int(w.length));
  return w;
}

function sentence(r: Rng, words: number, accents = false): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(word(r, accents));
  const s = out.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1) + r.pick(['.', '.', '!', '?']);
}

function domain(r: Rng): string {
  return `${word(r)}${r.int(3) === 0 ? '-' + word(r) : ''}.${r.pick(TLDS)}`;
}

function base64Lines(buf: Buffer): string {
  return (buf.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

/** Quoted-printable (RFC 2045) of UTF-8 text, soft line breaks at 76. */
function quotedPrintable(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  const lines: string[] = [];
  let line = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x0a) {
      lines.push(line);
      line = '';
      continue;
    }
    if (b === 0x0d) continue;
    const enc = (b >= 33 && b <= 126 && b !== 61) || b === 32 ? String.fromCharCode(b) : '=' + b.toString(16).toUpperCase().padStart(2, '0');
    if (line.length + enc.length > 75) {
      lines.push(line + '=');
      line = '';
    }
    line += enc;
  }
  lines.push(line);
  return lines.join('\r\n');
}

function encodedWord(text: string): string {
  return `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

/** A small image-like blob (PNG signature + seeded bytes): what matters is the base64 volume. */
function fakePng(r: Rng, size: number): Buffer {
  const b = Buffer.alloc(size);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b);
  for (let i = 8; i < size; i++) b[i] = r.int(256);
  return b;
}

function trackingUrl(r: Rng, host: string): string {
  let q = '';
  for (let i = 0; i < 40 + r.int(60); i++) q += 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[r.int(62)];
  return `https://click.${host}/ls/click?upn=${q}&utm_source=newsletter&utm_medium=email&utm_campaign=${word(r)}_${2024 + r.int(2)}`;
}

function css(r: Rng): string {
  const rules: string[] = [];
  for (let i = 0; i < 25 + r.int(30); i++) {
    rules.push(
      `.${word(r)}-${i} { color: ${r.pick(COLORS)}; background-color: ${r.pick(COLORS)}; font-family: ${r.pick(FONTS)}; font-size: ${12 + r.int(12)}px; padding: ${r.int(24)}px ${r.int(24)}px; }`,
    );
  }
  rules.push('@media only screen and (max-width: 600px) { .container { width: 100% !important; } .col { display: block !important; } }');
  return rules.join('\n');
}

function htmlBody(r: Rng, spam: boolean, host: string, cids: string[]): string {
  const parts: string[] = [];
  parts.push('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">');
  parts.push(`<html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta name="viewport" content="width=device-width, initial-scale=1.0"><title>${sentence(r, 4)}</title>`);
  parts.push(`<style type="text/css">\n${css(r)}\n</style></head>`);
  parts.push(`<body style="margin:0;padding:0;background-color:${r.pick(COLORS)};">`);
  // Hidden preheader, a staple of marketing mail.
  parts.push(`<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">${sentence(r, 12, true)} ${'&zwnj;&nbsp;'.repeat(20 + r.int(40))}</div>`);
  parts.push('<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td align="center">');
  parts.push(`<table class="container" width="600" cellpadding="0" cellspacing="0" border="0" style="width:600px;background:#ffffff;">`);
  parts.push(`<tr><td style="padding:24px;"><a href="${trackingUrl(r, host)}"><img src="cid:${cids[0] ?? 'logo'}" width="160" height="40" alt="${word(r)}" style="display:block;border:0;"></a></td></tr>`);
  const sections = 3 + r.int(6);
  for (let s = 0; s < sections; s++) {
    parts.push('<tr><td class="col" style="padding:16px 24px;">');
    parts.push(`<h2 style="font-family:${r.pick(FONTS)};color:${r.pick(COLORS)};margin:0 0 8px 0;">${r.int(3) === 0 ? r.pick(EMOJI) + ' ' : ''}${sentence(r, 3 + r.int(5), true)}</h2>`);
    for (let p = 0; p < 1 + r.int(3); p++) {
      parts.push(`<p style="margin:0 0 12px 0;line-height:1.5;font-size:15px;">${sentence(r, 10 + r.int(25), true)} <a href="${trackingUrl(r, host)}" style="color:${r.pick(COLORS)};text-decoration:underline;">${sentence(r, 2 + r.int(3))}</a> ${sentence(r, 8 + r.int(15), true)}</p>`);
    }
    if (r.int(2) === 0) {
      parts.push('<table width="100%" cellpadding="0" cellspacing="0"><tr>');
      for (let c = 0; c < 2 + r.int(2); c++) {
        parts.push(`<td width="33%" valign="top" style="padding:8px;"><img src="https://img.${host}/p/${r.int(1e6)}.jpg" width="180" alt="${word(r)}"><br><b>${word(r, true)}</b> &euro;${r.int(200)},${r.int(100)} <span style="text-decoration:line-through;color:#999">${r.int(400)}</span></td>`);
      }
      parts.push('</tr></table>');
    }
    parts.push(`<table cellpadding="0" cellspacing="0" border="0"><tr><td bgcolor="${r.pick(COLORS)}" style="border-radius:4px;"><a href="${trackingUrl(r, host)}" style="display:inline-block;padding:12px 24px;color:#fff;font-weight:bold;text-decoration:none;">${spam ? 'CLAIM NOW' : sentence(r, 2)}</a></td></tr></table>`);
    parts.push('</td></tr>');
  }
  if (spam) {
    // Classic tricks: tiny/white text, split words, lookalike links.
    parts.push(`<tr><td><font color="#ffffff" size="1">${sentence(r, 40)}</font></td></tr>`);
    parts.push(`<tr><td><a href="http://${domain(r)}/${word(r)}.php?id=${r.int(1e9)}">https://secure.${domain(r)}/login</a> &nbsp; f<!-- x -->r<!-- y -->ee m<b></b>oney</td></tr>`);
  }
  parts.push(`<tr><td style="padding:24px;font-size:11px;color:#777;">${sentence(r, 20, true)}<br><a href="https://${host}/unsubscribe?e=${r.int(1e9)}">Unsubscribe</a> · <a href="https://${host}/privacy">Privacy</a><br>${word(r)} GmbH, ${word(r, true)}straße ${r.int(200)}, ${10000 + r.int(89999)} ${word(r)}</td></tr>`);
  parts.push(`</table></td></tr></table><img src="https://t.${host}/o/${r.int(1e12).toString(36)}.gif" width="1" height="1" alt="" style="display:none"></body></html>`);
  return parts.join('\n');
}

function textBody(r: Rng, host: string): string {
  const lines: string[] = [];
  for (let i = 0; i < 6 + r.int(10); i++) {
    lines.push(sentence(r, 8 + r.int(14), true));
    if (r.int(3) === 0) lines.push(trackingUrl(r, host));
    lines.push('');
  }
  lines.push(`Unsubscribe: https://${host}/unsubscribe?e=${r.int(1e9)}`);
  return lines.join('\n');
}

function rfc2822Date(t: number): string {
  const d = new Date(t * 1000);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

function ip(r: Rng): string {
  return `${1 + r.int(222)}.${r.int(256)}.${r.int(256)}.${1 + r.int(254)}`;
}

/** One message as mbox bytes (From_ line included, CRLF inside MIME parts as real mailers send). */
export function modernMessage(seed: number, spam: boolean): Buffer {
  const r = new Rng(seed * 2654435761 + (spam ? 1 : 2));
  const host = domain(r);
  const t = 1735689600 + r.int(300 * 86400); // 2025
  const from = `${word(r)}@${host}`;
  const boundaryAlt = `----=_Part_${r.int(1e9)}_${r.int(1e9)}.${t}`;
  const boundaryRel = `----=_Rel_${r.int(1e9)}`;
  const images = r.int(4);
  const cids = Array.from({ length: images }, (_, i) => `img${i}.${r.int(1e9)}@${host}`);
  const subject = `${r.int(2) === 0 ? r.pick(EMOJI) + ' ' : ''}${sentence(r, 3 + r.int(5), true)}`;
  const hdr: string[] = [];
  hdr.push(`From bounce-${r.int(1e6)}@${host} ${new Date(t * 1000).toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $5 $4')}`);
  for (let i = 0; i < 2 + r.int(3); i++) {
    hdr.push(`Received: from mail${r.int(50)}.${host} (mail${r.int(50)}.${host} [${ip(r)}])\r\n\tby mx${r.int(9)}.example.net (Postfix) with ESMTPS id ${r.int(1e12).toString(16).toUpperCase()}\r\n\tfor <user${r.int(1000)}@example.net>; ${rfc2822Date(t - i * 3)}`);
  }
  hdr.push(`DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${host}; s=s${r.int(9)}; t=${t};\r\n\th=from:to:subject:date:message-id:list-unsubscribe;\r\n\tbh=${fakePng(r, 32).toString('base64')};\r\n\tb=${base64Lines(fakePng(r, 180)).replace(/\r\n/g, '\r\n\t ')}`);
  hdr.push(`ARC-Authentication-Results: i=1; mx.example.net; dkim=pass header.d=${host}; spf=pass smtp.mailfrom=${host}`);
  hdr.push(`From: ${encodedWord(word(r, true) + ' ' + word(r, true))} <${from}>`);
  hdr.push(`To: user${r.int(1000)}@example.net`);
  hdr.push(`Subject: ${encodedWord(subject)}`);
  hdr.push(`Date: ${rfc2822Date(t)}`);
  hdr.push(`Message-ID: <${r.int(1e12).toString(36)}.${r.int(1e9)}@${host}>`);
  hdr.push(`List-Unsubscribe: <https://${host}/u/${r.int(1e9)}>, <mailto:unsub-${r.int(1e6)}@${host}>`);
  hdr.push('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
  hdr.push(`X-Mailer: ${word(r)}Mail ${r.int(10)}.${r.int(10)}`);
  hdr.push('MIME-Version: 1.0');
  const text = textBody(r, host);
  const html = htmlBody(r, spam, host, cids);
  const htmlB64 = r.int(3) === 0;
  const alt =
    `--${boundaryAlt}\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${quotedPrintable(text)}\r\n` +
    `--${boundaryAlt}\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: ${htmlB64 ? 'base64' : 'quoted-printable'}\r\n\r\n` +
    `${htmlB64 ? base64Lines(Buffer.from(html, 'utf8')) : quotedPrintable(html)}\r\n--${boundaryAlt}--\r\n`;
  let body: string;
  if (images) {
    hdr.push(`Content-Type: multipart/related; boundary="${boundaryRel}"; type="multipart/alternative"`);
    body = `--${boundaryRel}\r\nContent-Type: multipart/alternative; boundary="${boundaryAlt}"\r\n\r\n${alt}`;
    for (const cid of cids) {
      body += `--${boundaryRel}\r\nContent-Type: image/png; name="${word(r)}.png"\r\nContent-Transfer-Encoding: base64\r\nContent-ID: <${cid}>\r\nContent-Disposition: inline; filename="${word(r)}.png"\r\n\r\n${base64Lines(fakePng(r, 1500 + r.int(12000)))}\r\n`;
    }
    body += `--${boundaryRel}--\r\n`;
  } else {
    hdr.push(`Content-Type: multipart/alternative; boundary="${boundaryAlt}"`);
    body = alt;
  }
  // Stored as a Unix mbox stores mail: LF line endings.
  return Buffer.from(`${hdr.join('\r\n')}\r\n\r\n${body}\n`.replace(/\r\n/g, '\n'), 'utf8');
}

/** `count` messages of one class as one mbox. */
export function modernMbox(count: number, spam: boolean, seed = 1): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < count; i++) parts.push(modernMessage(seed * 100003 + i, spam));
  return Buffer.concat(parts);
}

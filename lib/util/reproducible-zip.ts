/**
 * Rewriting zip files (e.g. .docx packages) so that their bytes depend only on their contents:
 * every entry gets the same timestamp and the entries come in a fixed order.
 */

/** A DOS date and time (as stored in zip headers): `date` = (year-1980)<<9 | month<<5 | day, `time` = hour<<11 | minute<<5 | second/2. */
export interface DosDateTime {
  readonly date: number;
  readonly time: number;
}

/**
 * The DOS date and time of `seconds` since the Unix epoch, in UTC (so the result does not depend on
 * the machine's time zone). Times before 1980-01-01 are clamped to 1980-01-01 00:00:00, times after
 * 2107-12-31 23:59:58 to that; odd seconds round down (DOS times have a 2-second resolution).
 */
export function dosDateTime(seconds: number): DosDateTime {
  const d = new Date(Math.floor(seconds) * 1000);
  const year = d.getUTCFullYear();
  if (!Number.isFinite(seconds) || year < 1980) return { date: (1 << 5) | 1, time: 0 };
  if (year > 2107) return { date: (127 << 9) | (12 << 5) | 31, time: (23 << 11) | (59 << 5) | 29 };
  return {
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
  };
}

export interface NormalizeZipOptions {
  /** Seconds since the Unix epoch stamped on every entry (see `sourceDateEpoch`). */
  readonly epoch: number;
  /** Entry names placed first, in this order (e.g. "[Content_Types].xml" for OOXML); the rest follow sorted by name. */
  readonly first?: readonly string[];
}

interface Entry {
  readonly name: Buffer;
  readonly flags: number;
  readonly method: number;
  readonly crc: number;
  readonly csize: number;
  readonly usize: number;
  readonly data: Buffer;
}

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
/** Bit 11 of the general-purpose flags: the name is UTF-8. The only flag kept. */
const UTF8 = 0x0800;

function readEntries(zip: Buffer): Entry[] {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65535); i--) {
    if (zip.readUInt32LE(i) === END) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error("not a zip file: no end-of-central-directory record");
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || p === 0xffffffff) throw new Error("zip64 files are not supported");
  const entries: Entry[] = [];
  for (let e = 0; e < count; e++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== CENTRAL) throw new Error(`bad zip central directory entry at byte ${p}`);
    const flags = zip.readUInt16LE(p + 8);
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    const csize = zip.readUInt32LE(p + 20);
    const usize = zip.readUInt32LE(p + 24);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLen);
    if (flags & 1) throw new Error(`encrypted zip entry ${name.toString("utf8")} is not supported`);
    if (csize === 0xffffffff || usize === 0xffffffff || local === 0xffffffff) throw new Error("zip64 files are not supported");
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL) throw new Error(`bad zip local header for ${name.toString("utf8")}`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    if (start + csize > zip.length) throw new Error(`zip entry ${name.toString("utf8")} runs past the end of the file`);
    entries.push({ name: Buffer.from(name), flags: flags & UTF8, method, crc, csize, usize, data: zip.subarray(start, start + csize) });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/**
 * A copy of a zip file whose bytes depend only on its entries' names and contents: every entry is
 * stamped with the same DOS time (`opts.epoch`, see {@link dosDateTime}), the entries are ordered
 * (`opts.first`, then by name), and extra fields, comments, file attributes, data descriptors and
 * all flags but the UTF-8 one are dropped. The compressed data are copied as they are (no
 * recompression), so the result is as deterministic as the zip writer's compression. Directory
 * entries are kept like files. Zip64 and encrypted files are refused.
 *
 * @example
 *   fs.writeFileSync("a.docx", normalizeZip(await Packer.toBuffer(doc), { epoch: sourceDateEpoch(), first: ["[Content_Types].xml"] }));
 */
export function normalizeZip(zip: Uint8Array, opts: NormalizeZipOptions): Buffer {
  const buf = Buffer.isBuffer(zip) ? zip : Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  const entries = readEntries(buf);
  const rank = new Map((opts.first ?? []).map((n, i) => [n, i] as const));
  const seen = new Set<string>();
  for (const e of entries) {
    const n = e.name.toString("utf8");
    if (seen.has(n)) throw new Error(`zip entry ${n} appears twice`);
    seen.add(n);
  }
  entries.sort((a, b) => {
    const ra = rank.get(a.name.toString("utf8")) ?? Infinity;
    const rb = rank.get(b.name.toString("utf8")) ?? Infinity;
    return ra !== rb ? ra - rb : Buffer.compare(a.name, b.name);
  });
  const { date, time } = dosDateTime(opts.epoch);
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const h = Buffer.alloc(30);
    h.writeUInt32LE(LOCAL, 0);
    h.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    h.writeUInt16LE(e.flags, 6);
    h.writeUInt16LE(e.method, 8);
    h.writeUInt16LE(time, 10);
    h.writeUInt16LE(date, 12);
    h.writeUInt32LE(e.crc, 14);
    h.writeUInt32LE(e.csize, 18);
    h.writeUInt32LE(e.usize, 22);
    h.writeUInt16LE(e.name.length, 26);
    h.writeUInt16LE(0, 28);
    parts.push(h, e.name, e.data);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(CENTRAL, 0);
    c.writeUInt16LE(20, 4); // version made by: 2.0, MS-DOS attributes
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(e.flags, 8);
    c.writeUInt16LE(e.method, 10);
    c.writeUInt16LE(time, 12);
    c.writeUInt16LE(date, 14);
    c.writeUInt32LE(e.crc, 16);
    c.writeUInt32LE(e.csize, 20);
    c.writeUInt32LE(e.usize, 24);
    c.writeUInt16LE(e.name.length, 28);
    // extra length, comment length, disk number, internal and external attributes: 0
    c.writeUInt32LE(offset, 42);
    central.push(c, e.name);
    offset += 30 + e.name.length + e.data.length;
  }
  const cdSize = central.reduce((s, b) => s + b.length, 0);
  if (offset > 0xfffffffe || cdSize > 0xfffffffe) throw new Error("zip too large for a non-zip64 file");
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...central, end]);
}

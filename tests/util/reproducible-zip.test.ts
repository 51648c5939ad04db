import { test } from "uvu";
import * as assert from "uvu/assert";
import { crc32, deflateRawSync } from "node:zlib";
import { dosDateTime, normalizeZip } from "../../lib/util/reproducible-zip";
import { DOS_EPOCH_SECONDS } from "../../lib/util/source-date";
import { unzip, zipEntries } from "../report/zip";

interface RawEntry {
  name: string;
  data: Buffer;
  deflate?: boolean;
  time: number;
  date: number;
  /** Write crc and sizes in a data descriptor after the data (flag bit 3) instead of the local header. */
  descriptor?: boolean;
  extra?: Buffer;
  comment?: string;
}

/** A small zip writer for test input, with the variations a real writer may use (extra fields, comments, data descriptors). */
function makeZip(entries: readonly RawEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, "utf8");
    const body = e.deflate ? deflateRawSync(e.data) : e.data;
    const crc = crc32(e.data);
    const extra = e.extra ?? Buffer.alloc(0);
    const flags = (e.descriptor ? 8 : 0) | 0x0800;
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(flags, 6);
    h.writeUInt16LE(e.deflate ? 8 : 0, 8);
    h.writeUInt16LE(e.time, 10);
    h.writeUInt16LE(e.date, 12);
    if (!e.descriptor) {
      h.writeUInt32LE(crc, 14);
      h.writeUInt32LE(body.length, 18);
      h.writeUInt32LE(e.data.length, 22);
    }
    h.writeUInt16LE(name.length, 26);
    h.writeUInt16LE(extra.length, 28);
    const dd = Buffer.alloc(e.descriptor ? 16 : 0);
    if (e.descriptor) {
      dd.writeUInt32LE(0x08074b50, 0);
      dd.writeUInt32LE(crc, 4);
      dd.writeUInt32LE(body.length, 8);
      dd.writeUInt32LE(e.data.length, 12);
    }
    parts.push(h, name, extra, body, dd);
    const comment = Buffer.from(e.comment ?? "", "utf8");
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(0x031e, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(flags, 8);
    c.writeUInt16LE(e.deflate ? 8 : 0, 10);
    c.writeUInt16LE(e.time, 12);
    c.writeUInt16LE(e.date, 14);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(body.length, 20);
    c.writeUInt32LE(e.data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt16LE(extra.length, 30);
    c.writeUInt16LE(comment.length, 32);
    c.writeUInt32LE(0o100644 * 0x10000, 38);
    c.writeUInt32LE(offset, 42);
    central.push(c, name, extra, comment);
    offset += h.length + name.length + extra.length + body.length + dd.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}

const files: Record<string, string> = {
  "word/document.xml": "<w:document>" + "表 ".repeat(200) + "</w:document>",
  "[Content_Types].xml": "<Types/>",
  "_rels/.rels": "<Relationships/>",
  "docProps/core.xml": "<cp:coreProperties/>",
};

function sample(time: number, date: number, order: readonly string[], variant: boolean): Buffer {
  return makeZip(
    order.map((name, i) => ({
      name,
      data: Buffer.from(files[name] as string, "utf8"),
      deflate: name.endsWith("document.xml"),
      time: time + i,
      date,
      descriptor: variant && i % 2 === 0,
      extra: variant ? Buffer.from([0x55, 0x54, 5, 0, 1, 1, 2, 3, 4]) : undefined,
      comment: variant ? "made at some time" : undefined,
    })),
  );
}

test("dosDateTime: UTC fields, 2-second resolution, clamped to the DOS range", () => {
  const d = dosDateTime(Date.UTC(2024, 2, 5, 6, 7, 9) / 1000);
  assert.equal(d, { date: (44 << 9) | (3 << 5) | 5, time: (6 << 11) | (7 << 5) | 4 });
  assert.equal(dosDateTime(DOS_EPOCH_SECONDS), { date: 0x21, time: 0 });
  assert.equal(dosDateTime(0), { date: 0x21, time: 0 }, "before 1980: 1980-01-01 00:00:00");
  assert.equal(dosDateTime(-1e9), { date: 0x21, time: 0 });
  assert.equal(dosDateTime(Date.UTC(2200, 0, 1) / 1000), { date: (127 << 9) | (12 << 5) | 31, time: (23 << 11) | (59 << 5) | 29 });
});

test("normalizeZip: same entries, different times/order/extras — the same bytes", () => {
  const names = Object.keys(files);
  const a = sample(0x1234, 0x5821, names, false);
  const b = sample(0x4321, 0x5a33, [...names].reverse(), true);
  assert.not.ok(a.equals(b));
  const na = normalizeZip(a, { epoch: 1700000000, first: ["[Content_Types].xml"] });
  const nb = normalizeZip(new Uint8Array(b), { epoch: 1700000000, first: ["[Content_Types].xml"] });
  assert.ok(na.equals(nb));
  assert.ok(normalizeZip(na, { epoch: 1700000000, first: ["[Content_Types].xml"] }).equals(na), "idempotent");
});

test("normalizeZip: fixed order, one timestamp, no extras, contents and CRCs kept", () => {
  const z = normalizeZip(sample(1, 0x5821, Object.keys(files), true), { epoch: 1700000000, first: ["[Content_Types].xml"] });
  const entries = zipEntries(z);
  assert.equal(
    entries.map((e) => e.name),
    ["[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "word/document.xml"],
  );
  const { date, time } = dosDateTime(1700000000);
  for (const e of entries) {
    assert.equal([e.time, e.date, e.localTime, e.localDate], [time, date, time, date], e.name);
    assert.equal([e.flags, e.localFlags, e.extraLen, e.localExtraLen], [0x0800, 0x0800, 0, 0], e.name);
    assert.is(e.localCrc, e.crc);
  }
  const content = unzip(z);
  for (const [name, text] of Object.entries(files)) {
    assert.is(content.get(name)?.toString("utf8"), text, name);
    assert.is(entries.find((e) => e.name === name)?.crc, crc32(Buffer.from(text, "utf8")), name);
  }
  const other = normalizeZip(z, { epoch: 1800000000 });
  assert.not.ok(other.equals(z), "another epoch, other bytes");
  assert.is(other.length, z.length);
});

test("normalizeZip: refuses what is not a zip", () => {
  assert.throws(() => normalizeZip(Buffer.from("not a zip at all, just some text here"), { epoch: 0 }), /not a zip/);
});

test.run();

import * as fs from "fs";
import { DataError } from "../../util/errors";

/**
 * A .dta file opened for positional reads. Reads go through `fs.readSync` into buffers of the
 * requested size only, so a multi-GB file is never loaded whole (see `readDataSection`).
 *
 * @example
 *   const src = DtaSource.open("data/raw/customs.dta");
 *   try { const head = src.read(0, 11); } finally { src.close(); }
 */
export class DtaSource {
  private constructor(
    readonly path: string,
    readonly fd: number,
    readonly size: number,
  ) {}

  static open(path: string): DtaSource {
    let fd: number;
    try {
      fd = fs.openSync(path, "r");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new DataError(code === "ENOENT" ? "file not found" : `cannot open (${code ?? String(e)})`, { file: path });
    }
    const size = fs.fstatSync(fd).size;
    return new DtaSource(path, fd, size);
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  /** Exactly `len` bytes at `pos`, or a DataError saying the file is truncated (naming `what`). */
  read(pos: number, len: number, what = "header"): Buffer {
    if (pos < 0 || pos + len > this.size)
      throw this.error(`truncated or corrupt file: ${what} needs bytes ${pos}–${pos + len} but the file has ${this.size}`);
    const buf = Buffer.allocUnsafe(len);
    this.readInto(buf, 0, len, pos, what);
    return buf;
  }

  /** Fill `buf[off, off+len)` from file position `pos`. */
  readInto(buf: Uint8Array, off: number, len: number, pos: number, what: string): void {
    let done = 0;
    while (done < len) {
      const n = fs.readSync(this.fd, buf, off + done, len - done, pos + done);
      if (n <= 0) throw this.error(`truncated or corrupt file: ${what} ends early at byte ${pos + done} of ${this.size}`);
      done += n;
    }
  }

  error(detail: string, column?: string): DataError {
    return new DataError(detail, column === undefined ? { file: this.path } : { file: this.path, column });
  }
}

/** Unsigned integer of `n` (1–8) bytes at `pos` in the given byte order (exact up to 2^53). */
export function readUInt(buf: Uint8Array, pos: number, n: number, littleEndian: boolean): number {
  let v = 0;
  if (littleEndian) for (let i = n - 1; i >= 0; i--) v = v * 256 + (buf[pos + i] as number);
  else for (let i = 0; i < n; i++) v = v * 256 + (buf[pos + i] as number);
  return v;
}

/** The bytes up to the first NUL (or the whole field) of a fixed-width field, as [start, end). */
export function cstrEnd(buf: Uint8Array, start: number, width: number): number {
  const end = start + width;
  for (let i = start; i < end; i++) if (buf[i] === 0) return i;
  return end;
}

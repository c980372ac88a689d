/**
 * The demo's sample file: a synthetic "video" that looks like an MP4 to `file` and to servers that
 * pick a Content-Type by extension, but is not playable. It is an `ftyp` box, a `free` box that
 * says it is synthetic, and an `mdat` box of pseudo-random bytes.
 *
 * The bytes are an AES-128-CTR keystream under a fixed key: incompressible like real video (so no
 * layer can cheat by compressing), yet the same file and SHA-256 on every run, and fast to make.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

export const MIB = 1024 * 1024;

const FTYP_BOX = Buffer.from([
  // size 32, 'ftyp', major brand 'isom', minor version 0x200, compatible: isom iso2 avc1 mp41
  0x00, 0x00, 0x00, 0x20, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0x00, 0x00, 0x02, 0x00,
  0x69, 0x73, 0x6f, 0x6d, 0x69, 0x73, 0x6f, 0x32, 0x61, 0x76, 0x63, 0x31, 0x6d, 0x70, 0x34, 0x31,
]);

export const SYNTHETIC_NOTE =
  'lb demo: synthetic sample, not a playable video (MP4 boxes around pseudo-random bytes)';

const KEY = Buffer.from('lb-demo-sample-k', 'latin1');
const IV = Buffer.alloc(16);
const CHUNK_BYTES = MIB;

function box(type: string, payload: Buffer, declaredSize = 8 + payload.length): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(declaredSize, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, payload]);
}

/** Everything before the random bytes: ftyp, free (the note), and the mdat box header. */
export function sampleVideoHeader(size: number): Buffer {
  const free = box('free', Buffer.from(SYNTHETIC_NOTE, 'latin1'));
  const before = FTYP_BOX.length + free.length;
  const mdatSize = size - before;
  if (mdatSize < 8) {
    throw new RangeError(`a sample video needs at least ${before + 8} bytes, got ${size}`);
  }
  // The mdat header's size covers the rest of the file, so the box structure is consistent.
  return Buffer.concat([FTYP_BOX, free, box('mdat', Buffer.alloc(0), mdatSize)]);
}

export interface SampleFile {
  path: string;
  size: number;
  /** Hex, as `sha256sum` prints it. */
  sha256: string;
}

/** Writes a sample video of exactly `size` bytes at `path` and returns its SHA-256. */
export async function writeSampleVideo(path: string, size: number): Promise<SampleFile> {
  const header = sampleVideoHeader(size);
  const keystream = createCipheriv('aes-128-ctr', KEY, IV);
  const zeros = Buffer.alloc(CHUNK_BYTES);
  const hash = createHash('sha256');
  const file = await open(path, 'w');
  try {
    await file.write(header);
    hash.update(header);
    for (let left = size - header.length; left > 0; ) {
      const take = Math.min(left, CHUNK_BYTES);
      const chunk = keystream.update(zeros.subarray(0, take));
      await file.write(chunk);
      hash.update(chunk);
      left -= take;
    }
  } finally {
    await file.close();
  }
  return { path, size, sha256: hash.digest('hex') };
}

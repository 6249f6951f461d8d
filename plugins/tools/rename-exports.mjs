// Rename exports of a core WebAssembly module in place of wasm-ld, which cannot
// rename `memory` / `_initialize`:
//   node rename-exports.mjs in.wasm out.wasm old=new [old=new ...]
// Only the export section (id 7) is rewritten; every other byte is copied as is.
// Fails when a requested export is missing or a new name already exists.
import { readFileSync, writeFileSync } from 'node:fs';

const [input, output, ...pairs] = process.argv.slice(2);
if (!input || !output || pairs.length === 0) {
  console.error('usage: rename-exports.mjs in.wasm out.wasm old=new [old=new ...]');
  process.exit(2);
}
const renames = new Map(pairs.map((p) => {
  const i = p.indexOf('=');
  if (i <= 0) throw new Error(`bad rename ${p}`);
  return [p.slice(0, i), p.slice(i + 1)];
}));

const bytes = readFileSync(input);
const header = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
if (!bytes.subarray(0, 8).equals(header)) throw new Error(`${input}: not a core wasm module`);

function readU32(buf, pos) {
  let result = 0, shift = 0, b;
  do {
    b = buf[pos++];
    result |= (b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  return [result >>> 0, pos];
}
function u32(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return Buffer.from(out);
}

const parts = [bytes.subarray(0, 8)];
let pos = 8;
let found = 0;
while (pos < bytes.length) {
  const id = bytes[pos];
  const [size, start] = readU32(bytes, pos + 1);
  const end = start + size;
  if (id !== 7) {
    parts.push(bytes.subarray(pos, end));
    pos = end;
    continue;
  }
  let p = start;
  let count;
  [count, p] = readU32(bytes, p);
  const entries = [];
  const names = new Set();
  for (let i = 0; i < count; i++) {
    let len;
    [len, p] = readU32(bytes, p);
    let name = bytes.subarray(p, p + len).toString('utf8');
    p += len;
    const kind = bytes[p++];
    const idxStart = p;
    [, p] = readU32(bytes, p);
    if (renames.has(name)) {
      name = renames.get(name);
      found++;
    }
    if (names.has(name)) throw new Error(`duplicate export ${name}`);
    names.add(name);
    const nameBytes = Buffer.from(name, 'utf8');
    entries.push(Buffer.concat([u32(nameBytes.length), nameBytes, Buffer.from([kind]), bytes.subarray(idxStart, p)]));
  }
  if (p !== end) throw new Error('export section size mismatch');
  const payload = Buffer.concat([u32(count), ...entries]);
  parts.push(Buffer.from([7]), u32(payload.length), payload);
  pos = end;
}
if (found !== renames.size) throw new Error(`${input}: expected ${renames.size} exports to rename, found ${found}`);
writeFileSync(output, Buffer.concat(parts));

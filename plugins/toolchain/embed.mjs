// Embeds a WIT world into a core module (what wit-bindgen's custom section does):
//   node --import ./preopen.mjs embed.mjs <core.wasm> <wit dir or file> <world> <out.wasm>
// Uses jco's componentEmbed API because `jco embed` ignores --world-name in 1.35.
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { componentEmbed } from '@bytecodealliance/jco';

const [input, wit, world, output] = process.argv.slice(2);
if (!output) {
  console.error('usage: embed.mjs <core.wasm> <wit> <world> <out.wasm>');
  process.exit(2);
}
const embedded = await componentEmbed({
  binary: await readFile(input),
  witPath: resolve(wit),
  world,
  stringEncoding: 'utf8',
});
await writeFile(output, embedded);

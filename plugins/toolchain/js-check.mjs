// componentize-js output is not byte-reproducible (the wizer snapshot of the
// JavaScript engine differs from run to run), so `build-fixtures.sh --check`
// compares a JavaScript component by content instead:
//   node js-check.mjs <committed.wasm> <rebuilt.wasm> <plugin.js>
// passes when the committed component embeds the current source verbatim and
// has the same component-level WIT (imports/exports) as a fresh build.
import { readFile } from 'node:fs/promises';
import { componentWit } from '@bytecodealliance/jco';

const [committedPath, rebuiltPath, sourcePath] = process.argv.slice(2);
const [committed, rebuilt, source] = await Promise.all([committedPath, rebuiltPath, sourcePath].map((p) => readFile(p)));
const problems = [];
if (committed.indexOf(source) < 0) problems.push(`does not embed the current ${sourcePath}`);
const [a, b] = await Promise.all([componentWit(committed), componentWit(rebuilt)]);
if (a !== b) problems.push('component WIT differs from a fresh build');
if (problems.length) {
  console.error(`${committedPath}: ${problems.join('; ')}`);
  process.exit(1);
}

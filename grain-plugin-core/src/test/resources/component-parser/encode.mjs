// Encodes a component WAT file with wasm-tools (vendored in jco), an encoder independent
// of the test-only ComponentBytes writer. Run from plugins/toolchain (where jco is
// installed), with its preopen.mjs (jco 1.35 runs wasm-tools under preview2-shim, which
// starts with no filesystem preopens):
//   cd plugins/toolchain
//   D=../../grain-plugin-core/src/test/resources/component-parser
//   node --import ./preopen.mjs $D/encode.mjs $D/features.wat $D/features.wasm
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

// Resolve jco from the working directory, not from this file's location.
const require = createRequire(pathToFileURL(process.cwd() + '/').href);
const { parse } = await import(pathToFileURL(require.resolve('@bytecodealliance/jco')).href);

const [input, output] = process.argv.slice(2);
writeFileSync(output, await parse(readFileSync(input, 'utf8')));

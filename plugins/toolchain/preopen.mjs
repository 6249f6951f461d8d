// Preloaded with `node --import ./preopen.mjs …`: jco 1.35 runs wasm-tools on
// preview2-shim 0.26, which starts without filesystem preopens, so reading the WIT
// fails with `os error 44`. Expose the host root as `/`.
import { _setPreopens } from '@bytecodealliance/preview2-shim/filesystem';

_setPreopens({ '/': '/' });

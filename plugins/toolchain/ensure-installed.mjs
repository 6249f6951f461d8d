// Makes sure a folder's node_modules matches its package-lock.json, running `npm ci`
// only when it does not (a fresh `npm ci` deletes node_modules first, which would
// disturb anything else using the folder, and takes about a minute).
//   node ensure-installed.mjs          (from anywhere: plugins/toolchain)
//   node ensure-installed.mjs <folder> (another pinned set, e.g. the sample app's MCP client)
// Up to date means: node_modules/.package-lock.json (written by npm ci / npm install)
// lists every non-optional package of package-lock.json at the same version and
// integrity, and every optional one it lists has the locked version.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = process.argv[2] ? resolve(process.argv[2]) : dirname(fileURLToPath(import.meta.url));
const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  console.error(`ensure-installed: Node.js >= 20 is required, found ${process.version}`);
  process.exit(1);
}

function stale() {
  const hidden = join(here, 'node_modules', '.package-lock.json');
  if (!existsSync(hidden)) return 'node_modules/.package-lock.json is missing';
  const locked = JSON.parse(readFileSync(join(here, 'package-lock.json'), 'utf8')).packages ?? {};
  const installed = JSON.parse(readFileSync(hidden, 'utf8')).packages ?? {};
  for (const [path, want] of Object.entries(locked)) {
    if (path === '') continue;
    const have = installed[path];
    if (!have) {
      if (want.optional) continue; // another platform's binary
      return `${path} is not installed`;
    }
    if (have.version !== want.version || (want.integrity && have.integrity !== want.integrity)) {
      return `${path} is ${have.version}, locked ${want.version}`;
    }
    if (!existsSync(join(here, path, 'package.json'))) return `${path}/package.json is missing`;
  }
  return null;
}

const reason = stale();
if (reason === null) {
  console.log(`ensure-installed: ${here}/node_modules is up to date with package-lock.json`);
  process.exit(0);
}
console.log(`ensure-installed: ${reason}; running npm ci in ${here}`);
const npmCommand = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npm = (args, quiet = false) => {
  const r = spawnSync(npmCommand, [...args, '--no-audit', '--no-fund'], {
    cwd: here, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', encoding: 'utf8', maxBuffer: 64 << 20,
  });
  if (quiet && r.status !== 0 && !r.error) {
    // npm ci answers a lock mismatch with its whole usage text: show the error lines only
    const lines = `${r.stdout}${r.stderr}`.split('\n').filter((l) => /^npm error (code|Missing|`npm ci`)/.test(l));
    console.error(lines.slice(0, 12).join('\n') + (lines.length > 12 ? `\n... ${lines.length - 12} more` : ''));
  } else if (quiet) {
    process.stdout.write(r.stdout ?? '');
    process.stderr.write(r.stderr ?? '');
  }
  if (r.error) {
    console.error(`ensure-installed: cannot run npm (${r.error.message}); npm is required`);
    process.exit(1);
  }
  return r.status;
};
if (npm(['ci'], true) !== 0) {
  // Known: package-lock.json was resolved against a registry without some platform
  // packages (win32 / musl / other-arch binaries of jco-node-fs, rolldown, ...), so
  // `npm ci` rejects it ("Missing: ... from lock file"). `npm install --no-save`
  // installs the locked versions without rewriting the lock; verified below.
  console.warn('ensure-installed: WARNING npm ci failed; falling back to npm install --no-save'
    + ' (package-lock.json lacks optional platform packages; regenerate it against the public registry to fix)');
  if (npm(['install', '--no-save']) !== 0) process.exit(1);
}
const after = stale();
if (after !== null) {
  console.error(`ensure-installed: node_modules still does not match package-lock.json: ${after}`);
  process.exit(1);
}
console.log('ensure-installed: installed');

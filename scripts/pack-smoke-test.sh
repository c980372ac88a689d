#!/usr/bin/env bash
# Packs every publishable workspace package with `pnpm pack`, installs the tarballs with plain npm
# into a scratch project outside the workspace, and imports each one: proves `files`/`exports`
# are complete and that workspace:^ ranges were rewritten to real versions.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/tarballs" "$scratch/project"

pnpm -r build >/dev/null
# Private workspace kits (`"private": true`, e.g. @lb/test-kit) are never published: skip them.
pnpm -r --filter './packages/*' --filter '@lb/server' --filter '@lb/balancer' --filter '@lb/client' \
  exec sh -c 'node -e "process.exit(require(\"./package.json\").private ? 0 : 1)" ||
    pnpm pack --pack-destination "$0"' "$scratch/tarballs" >/dev/null

# Every @lb package resolves to its local tarball, also where one depends on another.
node - "$scratch" <<'JS'
const fs = require('node:fs');
const path = require('node:path');
const scratch = process.argv[2];
const tarballs = fs.readdirSync(path.join(scratch, 'tarballs'));
const deps = {};
for (const file of tarballs) {
  const name = '@lb/' + file.replace(/^lb-/, '').replace(/-\d+\.\d+\.\d+.*\.tgz$/, '');
  deps[name] = 'file:' + path.join(scratch, 'tarballs', file);
}
fs.writeFileSync(
  path.join(scratch, 'project', 'package.json'),
  JSON.stringify({ name: 'scratch', private: true, type: 'module', dependencies: deps, overrides: deps }, null, 2),
);
JS

cd "$scratch/project"
npm install --no-audit --no-fund --loglevel=error >/dev/null
cat > smoke.mjs <<'JS'
import { RequestParser, parseRange } from '@lb/http-wire';
import { createStrategy, listStrategies } from '@lb/ranking';
import { simulate } from '@lb/ranking/sim';
import { planFragments } from '@lb/segments';
import { download } from '@lb/download';
import { probe } from '@lb/probe';

const parser = new RequestParser();
const { events } = parser.execute(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
if (events[0].kind !== 'head' || events[0].head.method !== 'GET') throw new Error('http-wire parse');
if (parseRange('bytes=0-0', 10).kind !== 'ranges') throw new Error('http-wire range');
const strategy = createStrategy('round-robin');
strategy.setEndpoints([{ id: 'a', address: '127.0.0.1:1', weight: 1 }]);
if (!strategy.pick({ now: 0 }).ok) throw new Error('ranking pick');
if (listStrategies().length < 10) throw new Error('ranking registry');
if (typeof simulate !== 'function') throw new Error('ranking/sim');
if (planFragments(3 << 20).count !== 3) throw new Error('segments plan');
if (typeof probe !== 'function') throw new Error('probe');
if (typeof download !== 'function') throw new Error('download');
console.log('pack smoke test: all packages installed from tarballs and imported');
JS
node smoke.mjs
for bin in lb-server lb-balancer lb-client; do
  "./node_modules/.bin/$bin" --version >/dev/null
done
echo "pack smoke test: lb-server, lb-balancer and lb-client --version ran from the installed tarballs"

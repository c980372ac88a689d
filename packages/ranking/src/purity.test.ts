import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('.', import.meta.url));

/** What a pure library must not touch: wall clocks, ambient randomness, timers, sockets, I/O. */
const FORBIDDEN: readonly [string, RegExp][] = [
  ['Date.now()', /\bDate\.now\s*\(/],
  ['new Date()', /\bnew\s+Date\s*\(/],
  ['Math.random()', /\bMath\.random\s*\(/],
  ['performance.now()', /\bperformance\.now\s*\(/],
  ['process.hrtime', /\bprocess\.hrtime\b/],
  ['timers', /\b(setTimeout|setInterval|setImmediate|queueMicrotask)\s*\(/],
  // Deterministic hashing (node:crypto createHash) is fine; I/O and clock modules are not.
  [
    'I/O or clock modules',
    /\bfrom\s+['"](node:)?(fs|fs\/promises|net|http|https|http2|dgram|tls|dns|child_process|timers|timers\/promises|worker_threads|perf_hooks|readline)['"]/,
  ],
  ['crypto randomness', /\b(getRandomValues|randomBytes|randomUUID|randomInt|randomFill)\s*\(/],
  ['console', /\bconsole\./],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Drops comments so documentation may name what the code must not do. */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

describe('purity', () => {
  const files = sourceFiles(SRC);

  it('the patterns catch violations and ignore comments', () => {
    const flagged = (code: string) =>
      FORBIDDEN.filter(([, pattern]) => pattern.test(stripComments(code))).map(([what]) => what);
    expect(flagged('const t = Date.now();')).toEqual(['Date.now()']);
    expect(flagged("import { connect } from 'node:net';")).toEqual(['I/O or clock modules']);
    expect(flagged('setTimeout(f, 1); Math.random();')).toEqual(['Math.random()', 'timers']);
    expect(flagged("import { createHash } from 'node:crypto';")).toEqual([]);
    expect(flagged('// never Date.now()\n/* nor Math.random() */ const url = "http://x";')).toEqual(
      [],
    );
  });

  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('no clock, ambient randomness, timers, sockets or printing in src/ (tests excluded)', () => {
    const violations: string[] = [];
    for (const file of files) {
      const code = stripComments(readFileSync(file, 'utf8'));
      for (const [what, pattern] of FORBIDDEN) {
        if (pattern.test(code)) violations.push(`${relative(SRC, file)}: ${what}`);
      }
    }
    expect(violations).toEqual([]);
  });
});

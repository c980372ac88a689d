/**
 * Peer programs (curl, aria2c, nginx) are optional on a developer machine: tests that need one
 * skip with a printed reason when it is missing (CI installs them, so they run there).
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Also looked at: where distributions put nginx outside a normal user's PATH. */
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

/** The program's path on PATH (or an sbin directory), or undefined. */
export function findProgram(name: string): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), ...EXTRA_DIRS];
  for (const dir of dirs) {
    if (dir === '') continue;
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

export function hasProgram(name: string): boolean {
  return findProgram(name) !== undefined;
}

/** Prints why the tests that need `name` are skipped, and returns the reason. */
export function skipReason(name: string): string {
  const reason = `${name} is not installed; skipping the tests that use it as a peer`;
  console.warn(reason);
  return reason;
}

/**
 * The program's path, or undefined after printing the skip reason: for
 * `describe.skipIf(!peer('curl'))` style guards.
 */
export function peer(name: string): string | undefined {
  const path = findProgram(name);
  if (path === undefined) skipReason(name);
  return path;
}

/**
 * Mode 2: `-a <address> -p <port>…`. The file is `--file NAME`, or the one file the servers list
 * in their JSON index (asked of every server; the first that answers decides). Then it is the
 * multi-source engine over `http://<address>:<port>/<file>`, Server k being the k-th port.
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { NoMirrorLeftError, ServersLostError } from '@lb/download';
import type { ServerPortsConfig } from './client-config.js';
import { interruption, UsageError } from './errors.js';
import { ensureDirectory } from './output-path.js';
import { notice, type RunContext } from './run-context.js';
import { runMirrors } from './run-mirrors.js';
import { chooseIndexedFile, encodeFilePath, fetchServerIndex } from './server-index.js';

const INDEX_RETRY_MS = 500;

export function serverBaseUrl(address: string, port: number): string {
  const host = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
  return `http://${host}:${port}/`;
}

async function discoverFilePath(context: RunContext, config: ServerPortsConfig): Promise<string> {
  const bases = config.ports.map((port) => serverBaseUrl(config.address, port));
  const started = performance.now();
  let announced = false;
  for (;;) {
    const results = await Promise.all(
      bases.map((base) =>
        fetchServerIndex(base, {
          connectTimeoutMs: config.connectTimeoutMs,
          responseTimeoutMs: Math.max(config.stallTimeoutMs, config.connectTimeoutMs),
          signal: context.signal,
        }),
      ),
    );
    if (context.signal.aborted) throw interruption(context.signal);
    const found = results.find((r) => r.kind === 'ok');
    if (found?.kind === 'ok') {
      if (found.files.length === 0) {
        throw new NoMirrorLeftError('the servers serve no files', true);
      }
      return chooseIndexedFile(found.files).url;
    }
    if (results.every((r) => r.kind === 'unusable')) {
      const reasons = results.map(
        (r, k) => `Server ${k + 1}: ${r.kind === 'unusable' ? r.reason : ''}`,
      );
      throw new UsageError(
        `the servers do not list their files (${reasons.join('; ')}); name the file with --file NAME`,
      );
    }
    if (performance.now() - started >= config.waitMs) {
      throw new ServersLostError({
        everConnected: false,
        waitMs: config.waitMs,
        partPath: undefined,
        urls: bases,
      });
    }
    if (!announced) {
      announced = true;
      notice(
        context,
        `no server answers yet; retrying for up to ${config.waitMs / 1000} s (${bases.join(', ')})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, INDEX_RETRY_MS));
  }
}

export async function runServers(context: RunContext, config: ServerPortsConfig): Promise<string> {
  const directory = await ensureDirectory(resolve(context.cwd, config.output ?? '.'));
  const path =
    config.file !== undefined
      ? encodeFilePath(config.file)
      : await discoverFilePath(context, config);
  const mirrors = config.ports.map(
    (port) => new URL(path, serverBaseUrl(config.address, port)).href,
  );
  const result = await runMirrors(context, config, mirrors, { kind: 'directory', path: directory });
  return result.path;
}

/**
 * The baseline of the server benchmark: the obvious Node file server, `node:http` with
 * `fs.createReadStream(...).pipe(res)`. Bench-only code (node:http is not allowed in the product).
 * Usage: node --import tsx bench/node-http-baseline.ts <root> <port>; prints the `--json` listening
 * event of the lb apps (`{"event":"listening","url":…}`).
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, normalize } from 'node:path';

const [root = '.', port = '0'] = process.argv.slice(2);

const server = createServer((req, res) => {
  const path = join(root, normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!)));
  let size: number;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) throw new Error('not a file');
    size = stats.size;
  } catch {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'Content-Length': size, 'Content-Type': 'application/octet-stream' });
  createReadStream(path).pipe(res);
});
server.keepAliveTimeout = 60_000;
server.listen(Number(port), '127.0.0.1', () => {
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
  // The lb apps' --json listening event, so @lb/test-kit's startApp reads it.
  console.log(JSON.stringify({ event: 'listening', url }));
});

/**
 * The baseline of the benchmark: a `node:http` server answering every request with the same 301 the
 * balancer sends (Location, Cache-Control, Link to two other servers, the HTML body), round-robin
 * over three fixed servers. Benchmarks may use node:http; product code never does.
 *
 *   node bench/node-http-redirect.ts PORT   → prints `{"event":"listening","url":"http://127.0.0.1:PORT"}`
 */
import http from 'node:http';

const SERVERS = ['http://127.0.0.1:18081', 'http://127.0.0.1:18082', 'http://127.0.0.1:18083'];
let next = 0;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const server = http.createServer((request, response) => {
  const target = request.url ?? '/';
  const index = next++ % SERVERS.length;
  const location = SERVERS[index] + target;
  const others = SERVERS.filter((_, i) => i !== index);
  const body =
    '<!DOCTYPE html>\n<html><head><title>301 Moved Permanently</title></head>\n' +
    `<body><h1>Moved Permanently</h1><p>The document has moved <a href="${escapeHtml(location)}">here</a>.</p></body></html>\n`;
  response.writeHead(301, {
    Location: location,
    'Cache-Control': 'no-store',
    Link: others.map((origin, i) => `<${origin}${target}>; rel=duplicate; pri=${i + 1}`).join(', '),
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  response.end(body);
});
server.keepAliveTimeout = 300_000;
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const address = server.address() as { port: number };
  // The lb apps' --json listening event, so @lb/test-kit's startApp reads it.
  process.stdout.write(
    `${JSON.stringify({ event: 'listening', url: `http://127.0.0.1:${address.port}` })}\n`,
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

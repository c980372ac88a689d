/**
 * A small HTTP/1.1 mirror on a real `node:net` socket for the engine's tests: serves one file with
 * Range (206 and Content-Range), a strong ETag, optionally Repr-Digest and an lb-server style
 * fragment map (`Link: <…>; rel="describedby"`), keep-alive, and ways to misbehave. The bytes on
 * the wire are written out literally, as undici's tests do.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { fragmentMapPath, planWithFragmentSize } from '@lb/segments';

export interface MirrorServerOptions {
  body: Uint8Array;
  /** URL path of the file (default `/f.bin`). */
  path?: string;
  /** Send a fragment map with fragments of this size. */
  fragmentSize?: number;
  /** Send Repr-Digest (default true). */
  reprDigest?: boolean;
  /** Flip the first byte of every range served (a mirror holding a corrupt copy). */
  corrupt?: boolean;
  /** Answer every request with this status and no body. */
  status?: number;
}

export interface MirrorServer {
  readonly url: string;
  readonly port: number;
  /** Ranges served so far. */
  readonly rangesServed: number;
  close(): Promise<void>;
}

const REASONS: Record<number, string> = {
  200: 'OK',
  206: 'Partial Content',
  404: 'Not Found',
  416: 'Range Not Satisfiable',
  503: 'Service Unavailable',
};

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

function fragmentMapJson(options: MirrorServerOptions, name: string, etag: string): string {
  const { body } = options;
  const plan = planWithFragmentSize(body.byteLength, options.fragmentSize!);
  return JSON.stringify({
    version: 1,
    name,
    size: body.byteLength,
    etag,
    sha256: sha256(body),
    fragmentSize: plan.fragmentSize,
    fragments: plan.fragments.map((f) => sha256(body.subarray(f.start, f.end + 1))),
  });
}

export async function startMirrorServer(options: MirrorServerOptions): Promise<MirrorServer> {
  const path = options.path ?? '/f.bin';
  const { body } = options;
  const etag = `"${body.byteLength.toString(16)}-${sha256(body).slice(0, 8)}"`;
  const mapPath = fragmentMapPath(path);
  const name = path.slice(path.lastIndexOf('/') + 1);
  const sockets = new Set<Socket>();
  let rangesServed = 0;

  const respond = (socket: Socket, target: string, headers: Map<string, string>) => {
    const write = (status: number, fields: string[], payload?: Uint8Array) => {
      const head = [
        `HTTP/1.1 ${status} ${REASONS[status] ?? 'Status'}`,
        ...fields,
        `Content-Length: ${payload?.byteLength ?? 0}`,
        '',
        '',
      ].join('\r\n');
      socket.write(head);
      if (payload !== undefined && payload.byteLength > 0) socket.write(payload);
    };
    if (options.status !== undefined) return write(options.status, []);
    if (options.fragmentSize !== undefined && target === mapPath) {
      return write(
        200,
        ['Content-Type: application/json'],
        Buffer.from(fragmentMapJson(options, name, etag)),
      );
    }
    if (target !== path) return write(404, []);
    const fields = [`ETag: ${etag}`, 'Accept-Ranges: bytes'];
    if (options.reprDigest ?? true) fields.push(`Repr-Digest: sha-256=:${sha256(body)}:`);
    if (options.fragmentSize !== undefined) fields.push(`Link: <${mapPath}>; rel="describedby"`);
    const range = /^bytes=(\d+)-(\d+)$/.exec(headers.get('range') ?? '');
    if (range === null) return write(200, fields, body);
    const start = Number(range[1]);
    const end = Math.min(Number(range[2]), body.byteLength - 1);
    if (start >= body.byteLength) {
      return write(416, [...fields, `Content-Range: bytes */${body.byteLength}`]);
    }
    rangesServed++;
    let bytes = body.subarray(start, end + 1);
    if (options.corrupt) {
      bytes = Uint8Array.from(bytes);
      bytes[0] = bytes[0]! ^ 0xff;
    }
    write(206, [...fields, `Content-Range: bytes ${start}-${end}/${body.byteLength}`], bytes);
  };

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n\r\n'); end !== -1; end = pending.indexOf('\r\n\r\n')) {
        const [requestLine = '', ...lines] = pending.slice(0, end).split('\r\n');
        pending = pending.slice(end + 4);
        const headers = new Map<string, string>();
        for (const line of lines) {
          const colon = line.indexOf(':');
          headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
        }
        respond(socket, requestLine.split(' ')[1] ?? '/', headers);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    port,
    get rangesServed() {
      return rangesServed;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

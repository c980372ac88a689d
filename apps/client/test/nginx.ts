/**
 * nginx as a peer mirror (tests and bench): a generated config in a temporary prefix, one
 * foreground process (`daemon off; master_process off;`) run as the current user with its pid,
 * error log and temp paths in that prefix, one `server` per port serving `root` with an optional
 * `limit_rate` (per connection, as nginx applies it). Range, ETag and Last-Modified are nginx's
 * own.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, peer } from '@lb/test-kit';
import { makeTempDir, Proc, removeDir } from './helpers.js';

export { freePort };

/** The nginx binary, or undefined after printing why the tests that need it skip. */
export function findNginx(): string | undefined {
  return peer('nginx');
}

export function findAria2c(): string | undefined {
  return peer('aria2c');
}

export interface NginxMirrors {
  ports: number[];
  url: (k: number, path: string) => string;
  stop: () => Promise<void>;
}

/** `rates[k]` is server k's `limit_rate` (nginx syntax, e.g. `2m`), or undefined for none. */
export async function startNginx(
  binary: string,
  root: string,
  rates: ReadonlyArray<string | undefined>,
): Promise<NginxMirrors> {
  const prefix = await makeTempDir('lb-client-nginx-');
  for (const dir of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    await mkdir(join(prefix, dir));
  }
  const ports = await Promise.all(rates.map(() => freePort()));
  const servers = ports
    .map(
      (port, k) => `  server {
    listen 127.0.0.1:${port};
    root ${root};
    location / {${rates[k] === undefined ? '' : ` limit_rate ${rates[k]};`} }
  }`,
    )
    .join('\n');
  const config = `daemon off;
master_process off;
worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'error.log')} warn;
events { worker_connections 256; }
http {
  access_log off;
  # sendfile writes a whole range into the socket buffer at once, which limit_rate cannot pace;
  # small buffered writes keep the rate honest for 1 MiB ranges too.
  sendfile off;
  output_buffers 1 64k;
  keepalive_requests 100000;
  client_body_temp_path ${join(prefix, 'body')};
  proxy_temp_path ${join(prefix, 'proxy')};
  fastcgi_temp_path ${join(prefix, 'fastcgi')};
  uwsgi_temp_path ${join(prefix, 'uwsgi')};
  scgi_temp_path ${join(prefix, 'scgi')};
  types { application/octet-stream bin; }
${servers}
}
`;
  const configPath = join(prefix, 'nginx.conf');
  await writeFile(configPath, config);
  const proc = new Proc({
    command: binary,
    args: ['-p', prefix, '-c', configPath, '-e', join(prefix, 'error.log')],
    label: 'nginx',
  });
  // Ready when every port accepts a request.
  const deadline = Date.now() + 20_000;
  for (const port of ports) {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/`).then(
        () => true,
        () => false,
      );
      if (ok) break;
      if (proc.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`nginx did not start: ${proc.stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    ports,
    url: (k, path) => `http://127.0.0.1:${ports[k - 1]}${path}`,
    stop: async () => {
      proc.kill('SIGQUIT');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await proc.exited;
      clearTimeout(timer);
      await removeDir(prefix);
    },
  };
}

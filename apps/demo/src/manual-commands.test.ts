import { describe, expect, it } from 'vitest';
import { formatManualCommands } from './manual-commands.js';

describe('formatManualCommands', () => {
  const input = {
    repoRoot: '/repo',
    filePath: '/tmp/lb-demo-x/sample.mp4',
    fileName: 'sample.mp4',
    rates: ['2M', '3M'],
    serverToShutDown: 2,
    outputDir: '/tmp/lb-demo-x',
    kept: true,
  };

  it('gives one command per program, with absolute paths (pnpm --filter runs in the app dir)', () => {
    expect(formatManualCommands(input)).toEqual([
      'one terminal each, anywhere inside /repo; /tmp/lb-demo-x/sample.mp4 is kept (--keep): the commands below use it',
      '  pnpm --filter @lb/server start -i 5 -n 2 -f /tmp/lb-demo-x/sample.mp4 -p 8001 8002 --rate 2M 3M',
      '  pnpm --filter @lb/balancer start 127.0.0.1:8001 127.0.0.1:8002 --probe-path /sample.mp4 --port 8080',
      '  pnpm --filter @lb/client start http://127.0.0.1:8080/sample.mp4 -o /tmp/lb-demo-x/via-balancer/',
      '  pnpm --filter @lb/client start -i 1 -o /tmp/lb-demo-x/all-servers -a 127.0.0.1 -p 8001 8002',
      "  while the last one runs, type E2 in the server's terminal (S2 restarts it, q quits)",
    ]);
  });

  it('says how to keep the file when the temp dir is gone', () => {
    expect(formatManualCommands({ ...input, kept: false })[0]).toBe(
      'one terminal each, anywhere inside /repo; pnpm start --keep keeps the temp dir and its sample.mp4 for the commands below',
    );
  });
});

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { locateServerCommand } from './locate-server-command.js';

describe('locateServerCommand', () => {
  const workspace = mkdtemp(join(tmpdir(), 'lb-locate-'));
  afterAll(async () => rm(await workspace, { recursive: true, force: true }));

  it('runs the sibling source through tsx from source, the build from a build, else lb-server on PATH', async () => {
    const root = await workspace;
    const from = (file: string) => pathToFileURL(join(root, 'apps/balancer', file)).href;
    expect(locateServerCommand(from('src/replica-manager.ts'))).toEqual({
      executable: 'lb-server',
      args: [],
      cwd: undefined,
    });
    await mkdir(join(root, 'apps/server/src'), { recursive: true });
    await writeFile(join(root, 'apps/server/src/bin.ts'), '');
    const serverDir = `${join(root, 'apps/server')}/`;
    const fromSource = {
      executable: process.execPath,
      args: ['--conditions=@lb/source', '--import', 'tsx', join(serverDir, 'src/bin.ts')],
      cwd: serverDir,
    };
    expect(locateServerCommand(from('src/replica-manager.ts'))).toEqual(fromSource);
    // A build of the balancer without a build of the server still finds the source.
    expect(locateServerCommand(from('dist/index.js'))).toEqual(fromSource);
    await mkdir(join(root, 'apps/server/dist'), { recursive: true });
    await writeFile(join(root, 'apps/server/dist/bin.js'), '');
    expect(locateServerCommand(from('dist/index.js'))).toEqual({
      executable: process.execPath,
      args: [join(serverDir, 'dist/bin.js')],
      cwd: serverDir,
    });
    expect(locateServerCommand(from('src/replica-manager.ts'))).toEqual(fromSource);
  });
});

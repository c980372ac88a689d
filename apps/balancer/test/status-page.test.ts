/**
 * The live status page in a real browser: headless Chromium opens the admin port's `/`, the page
 * fetches /rep and shows every server, and keeps refreshing (a redirect made after the page loaded
 * shows up without a reload). With a token, the page takes it from the URL fragment.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BALANCER_TEST_ARGS,
  pipelinedGets,
  type RunningBalancer,
  startBalancer,
  useLbServers,
  useRoot,
} from './processes.js';

/** The page's DOM, as far as the functions run inside Chromium use it (this package has no DOM lib). */
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  getElementById(id: string): { textContent: string | null } | null;
};

const CHROMIUM = '/usr/bin/chromium';
const skip = !existsSync(CHROMIUM);
if (skip)
  console.log(
    `skipping the status page test: ${CHROMIUM} is not installed (apt-get install chromium)`,
  );

const TOKEN = 'status-page-token-0123456789';

describe.skipIf(skip)('status page', () => {
  const root = useRoot({}, 4 * 1024);
  const servers = useLbServers(root, ['p0', 'p1']);
  let balancer: RunningBalancer;
  let browser: Browser;

  beforeAll(async () => {
    balancer = await startBalancer([
      ...BALANCER_TEST_ARGS,
      '--admin-token',
      TOKEN,
      ...servers.map((server) => server.id),
    ]);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await balancer?.stop();
  });

  it('shows every server and refreshes itself', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`${balancer.adminUrl}/#token=${TOKEN}`);
    for (const server of servers) {
      const row = page.locator(`tr[data-server="${server.id}"]`);
      await row.waitFor();
      expect(await row.locator('td.state').textContent()).toBe('up');
    }
    expect(await page.locator('#summary').textContent()).toContain('2 of 2 servers live');
    expect(await page.title()).toBe('lb-balancer status');

    // A redirect made now appears in the table without reloading the page.
    const [redirect] = await pipelinedGets(balancer.port, ['/after-load']);
    const target = new URL(/\r?\n?Location: (\S+)/i.exec(redirect!.fields.join('\n'))?.[1] ?? '')
      .host;
    await page.waitForFunction(
      (id) => document.querySelector(`tr[data-server="${id}"] td:last-child`)?.textContent === '1',
      target,
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says how to pass the token when it is missing', async () => {
    const page = await browser.newPage();
    await page.goto(`${balancer.adminUrl}/`);
    await page.waitForFunction(() => (document.getElementById('error')?.textContent ?? '') !== '');
    expect(await page.locator('#error').textContent()).toBe(
      'cannot load /rep: 401 Unauthorized: open this page as /#token=<admin token>',
    );
    await page.close();
  });
});

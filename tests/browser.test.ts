// A real browser (Debian's Chromium, driven by playwright-core) using the local web chat.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';
import { startServer, type Running } from './server-helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = path.join(ROOT, 'screenshots');

describe('the local web chat in Chromium', () => {
  let s: Running;
  let browser: Browser;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (.ci/run does), or set CHROMIUM_PATH`);
    s = await startServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // No network beyond 127.0.0.1 here: keep Chromium from reaching for its own services.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('answers the canonical question as a card, then a follow-up from its button', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1500 } });
    await page.goto(`${s.base}/`);
    await expect(page.getByText('This is a local test chat').first().isVisible()).resolves.toBe(true);
    expect(await page.locator('#knowledge').innerText()).toMatch(/126 NICE interventional procedures guidance pages/);

    const box = page.getByRole('textbox').first();
    await box.waitFor({ timeout: 20_000 });
    await box.fill('how do I code percutaneous RFA of liver mets?');
    await box.press('Enter');
    const card = page.locator('.ac-adaptiveCard').filter({ hasText: 'J12.4' }).first();
    await card.waitFor({ timeout: 20_000 });
    const text = await card.innerText();
    for (const expected of ['J12.4', 'Y53.9', 'C78.7', 'IPG327', 'Source: NICE IPG327']) expect(text).toContain(expected);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, 'webchat-answer.png'), fullPage: true });

    await card.getByRole('button', { name: 'Why do I need a Y53 code?' }).click();
    const next = page.locator('.ac-adaptiveCard').filter({ hasText: 'Coding rule from' }).first();
    await next.waitFor({ timeout: 20_000 });
    expect(await next.innerText()).toMatch(/secondary codes/);
    await page.screenshot({ path: path.join(SHOTS, 'webchat-follow-up.png'), fullPage: true });
  }, 90_000);
});

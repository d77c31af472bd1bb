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

  for (const width of [1280, 380]) {
    it(`lays out at ${width} px: header above the transcript, compact buttons, whole words`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 2200 } });
      await page.goto(`${s.base}/`);
      const box = page.getByRole('textbox').first();
      await box.waitFor({ timeout: 20_000 });
      await box.fill('check J12.4 Y53.9 C78.7 for perc RFA of liver mets');
      await box.press('Enter');
      const card = page.locator('.ac-adaptiveCard').filter({ hasText: 'confirmed' }).first();
      await card.waitFor({ timeout: 20_000 });
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, `webchat-check-${width}.png`) });
      // The header sits above the chat, never over it.
      const header = (await page.locator('body > header').boundingBox())!;
      const chat = (await page.locator('#webchat').boundingBox())!;
      expect(header.y + header.height).toBeLessThanOrEqual(chat.y + 1);
      // Four buttons (open, a suggestion, helpful, not helpful) take at most three rows, not four bars.
      const buttons = await card.locator('.ac-actionSet .ac-pushButton').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
      expect(buttons.length).toBeGreaterThanOrEqual(3);
      expect(new Set(buttons.map((t) => Math.round(t))).size).toBeLessThan(buttons.length);
      // "confirmed" is never split across lines.
      // (Run in the page, where the DOM is; written as a string since these tests compile without DOM types.)
      const splits = await page.evaluate<number>(`(() => {
        const el = [...document.querySelectorAll('.ac-adaptiveCard')].find((c) => c.textContent.includes('confirmed'));
        let n = 0;
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let t = walker.nextNode(); t; t = walker.nextNode()) {
          for (const m of t.textContent.matchAll(/confirmed/g)) {
            const r = document.createRange();
            r.setStart(t, m.index);
            r.setEnd(t, m.index + m[0].length);
            if (new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size > 1) n++;
          }
        }
        return n;
      })()`);
      expect(splits).toBe(0);
      await page.close();
    }, 90_000);
  }
});

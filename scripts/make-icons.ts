// Draws the Teams app icons (192x192 colour, 32x32 white outline on transparent) with Chromium.
// Run once when the design changes: npx tsx scripts/make-icons.ts; the PNGs are committed.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'teams');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const page = await browser.newPage({ deviceScaleFactor: 1 });

const color = `<svg xmlns="http://www.w3.org/2000/svg" width="192" height="192" viewBox="0 0 192 192">
  <rect width="192" height="192" rx="28" fill="#005EB8"/>
  <rect x="38" y="44" width="116" height="104" rx="10" fill="#FFFFFF"/>
  <rect x="54" y="64" width="60" height="10" rx="5" fill="#005EB8"/>
  <rect x="54" y="86" width="84" height="10" rx="5" fill="#41B6E6"/>
  <rect x="54" y="108" width="48" height="10" rx="5" fill="#005EB8"/>
  <circle cx="142" cy="142" r="26" fill="#009639" stroke="#FFFFFF" stroke-width="6"/>
  <path d="M130 142 l9 9 l16 -18" fill="none" stroke="#FFFFFF" stroke-width="7" stroke-linecap="round" stroke-linejoin="round"/>
</svg>`;
const outline = `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">
  <rect x="4" y="5" width="20" height="19" rx="2" fill="none" stroke="#FFFFFF" stroke-width="2"/>
  <path d="M8 11 h10 M8 15 h12 M8 19 h7" stroke="#FFFFFF" stroke-width="2" stroke-linecap="round"/>
  <path d="M19 24 l3 3 l6 -7" fill="none" stroke="#FFFFFF" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"/>
</svg>`;

for (const [name, svg, size] of [['color.png', color, 192], ['outline.png', outline, 32]] as const) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.screenshot({ path: path.join(out, name), omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
  console.log(`wrote teams/${name}`);
}
await browser.close();

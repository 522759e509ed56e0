// Shared Playwright setup: Debian's Chromium via playwright-core (never a downloaded browser).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export const WIDGET_URL = process.env.WIDGET_URL ?? 'http://127.0.0.1:8080';
export const GC_SIM_URL = process.env.GC_SIM_URL ?? 'http://127.0.0.1:8787';
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? 'target/e2e';

// Flags that work as root on this machine type; background networking off (no internet here).
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export async function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: FLAGS });
}

/** The widget's URL for this run's simulator. */
export function widgetUrl() {
  return `${WIDGET_URL}/?sim=${encodeURIComponent(GC_SIM_URL)}`;
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Sign in through the simulator's real sign-in page; returns the secret the redirect carried
 * (the PKCE code, or the token with `grant=implicit`). */
/** The access token a sign-in on `page` obtains, however it arrives: in the implicit redirect's
 *  fragment, or in the answer to the PKCE code exchange at `/oauth/token`. Returns a getter. */
export function watchToken(page) {
  let token = null;
  page.on('framenavigated', (frame) => {
    const m = /[#&]access_token=([^&]+)/.exec(frame.url());
    if (m) token = decodeURIComponent(m[1]);
  });
  page.on('response', async (response) => {
    if (!new URL(response.url()).pathname.endsWith('/oauth/token') || !response.ok()) return;
    const body = await response.json().catch(() => null);
    if (body?.access_token) token = body.access_token;
  });
  return () => token;
}

export async function signIn(page, userLabel = /Supervisor/) {
  const token = watchToken(page);
  await page.goto(widgetUrl());
  await page.getByRole('button', { name: /Sign in to gc-sim/ }).click();
  await page.waitForURL(/\/oauth\/authorize/);
  const option = await page.locator('#user option', { hasText: userLabel }).first().getAttribute('value');
  await page.selectOption('#user', option);
  await page.click('#sign-in');
  await page.waitForURL((url) => url.toString().startsWith(WIDGET_URL));
  return token;
}

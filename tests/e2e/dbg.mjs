import { chromium } from 'playwright-core';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
context.on('page', (p) => { p.on('console', (m) => console.log('POPUP console', m.text())); p.on('pageerror', (e) => console.log('POPUP err', String(e))); });
const page = await context.newPage();
page.on('console', (m) => console.log('console', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror', String(e)));
const q = new URLSearchParams({ app: 'http://127.0.0.1:18080/', sim: 'http://127.0.0.1:18787', frames: process.argv[2] ?? 'app', popup: 'true' });
await page.goto(`http://localhost:18080/host.html?${q}`);
const frame = page.frameLocator('#frame-0');
const [popup] = await Promise.all([page.waitForEvent('popup'), frame.getByRole('button', { name: /Sign in to gc-sim/ }).click()]);
await popup.locator('#user').waitFor();
const option = await popup.locator('#user option', { hasText: /Supervisor/ }).first().getAttribute('value');
await popup.selectOption('#user', option);
await popup.click('#sign-in');
await new Promise((r) => setTimeout(r, 8000));
console.log('popup closed?', popup.isClosed());
const f = page.frames().find((f) => f.url().includes('18080/?') || f.url().startsWith('http://127.0.0.1:18080/'));
console.log('frame url', f?.url());
console.log('caps', await f.evaluate(async () => {
  const out = {};
  try { await navigator.locks.query(); out.locks = 'ok'; } catch (e) { out.locks = String(e); }
  try { const c = new BroadcastChannel('x'); c.postMessage('hi'); c.close(); out.bc = 'ok'; } catch (e) { out.bc = String(e); }
  try { await new Promise((res, rej) => { const r = indexedDB.open('probe'); r.onsuccess = res; r.onerror = () => rej(r.error); }); out.idb = 'ok'; } catch (e) { out.idb = String(e); }
  try { sessionStorage.setItem('a', 'b'); out.ss = 'ok'; } catch (e) { out.ss = String(e); }
  out.hasStorageAccess = await document.hasStorageAccess?.();
  return JSON.stringify(out);
}));
console.log(await f.evaluate(() => document.body.innerText.slice(0, 600)));
await page.screenshot({ path: '/tmp/dbg/host.png' });
await browser.close();

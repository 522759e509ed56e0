// Languages: the host's gcLangTag picks the widget's language. With `de-de` the chrome (sign-in card,
// top bar, toolbar, panel tabs) reads as locales/de says, through the sign-in round trip; an unsupported
// tag falls back to English. Expected words come from the .ftl files, not from copies here.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { WIDGET_URL, launch, screenshot, widgetUrl } from './browser.mjs';

/** The single-line messages of locales/<tag>/wrapup-live.ftl (enough for the chrome checked here). */
function messages(tag) {
  const text = readFileSync(new URL(`../../locales/${tag}/wrapup-live.ftl`, import.meta.url), 'utf8');
  const map = new Map();
  for (const line of text.split('\n')) {
    const m = /^([a-z][a-z0-9-]*) = (.+)$/.exec(line);
    if (m) map.set(m[1], m[2].trim());
  }
  return map;
}

const de = messages('de');
const en = messages('en-US');

/** A message with one `{ $variable }`, as the text before and after it. */
function around(message, variable) {
  const parts = message.split(`{ $${variable} }`);
  assert.equal(parts.length, 2, `${message} has one { $${variable} }`);
  return parts;
}

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('gcLangTag=de-de: the chrome is German before and after signing in', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${widgetUrl()}&gcLangTag=de-de`);

  assert.equal(await page.getAttribute('html', 'lang'), 'de');
  assert.equal(await page.locator('#sign-in-title').textContent(), de.get('sign-in-title'));
  assert.notEqual(de.get('sign-in-title'), en.get('sign-in-title'), 'the check must tell the languages apart');
  const [before, afterPlatform] = around(de.get('sign-in-button'), 'platform');
  const button = await page.locator('#sign-in').textContent();
  assert.ok(button.startsWith(before) && button.endsWith(afterPlatform), `sign-in button: ${button}`);
  assert.equal(await page.locator('.sign-in .help').textContent(), de.get('sign-in-help-simulator'));

  await page.locator('#sign-in').click();
  await page.waitForURL(/\/oauth\/authorize/);
  const option = await page.locator('#user option', { hasText: /Supervisor/ }).first().getAttribute('value');
  await page.selectOption('#user', option);
  await page.click('#sign-in');
  await page.waitForURL((url) => url.toString().startsWith(WIDGET_URL));

  await page.getByRole('button', { name: de.get('sign-out'), exact: true }).waitFor({ timeout: 15_000 });
  assert.equal(await page.getAttribute('html', 'lang'), 'de');
  await page.getByTestId('connection').filter({ hasText: de.get('pill-live') }).waitFor({ timeout: 15_000 });
  for (const id of ['toolbar-pause', 'toolbar-export-csv', 'toolbar-download-frames']) {
    await page.getByRole('button', { name: de.get(id), exact: true }).waitFor({ timeout: 5_000 });
  }
  for (const id of ['filter-all-agents', 'filter-all-queues', 'filter-all-codes', 'filter-all-outcomes']) {
    assert.equal(await page.locator('option', { hasText: de.get(id) }).count(), 1, id);
  }
  assert.equal(await page.getByRole('tab', { name: de.get('tab-conversation') }).count(), 1);
  const headers = await page.locator('.feed-counts dt').allTextContents();
  assert.deepEqual(headers, ['outcome-submitted', 'outcome-timed-out', 'outcome-skipped', 'outcome-not-required']
    .map((id) => de.get(id)));
  await screenshot(page, 'i18n-de');
  assert.deepEqual(errors, []);
});

test('an unsupported gcLangTag (pt-BR) falls back to English', async () => {
  const page = await browser.newPage();
  await page.goto(`${widgetUrl()}&gcLangTag=pt-BR`);
  assert.equal(await page.locator('#sign-in-title').textContent(), en.get('sign-in-title'));
  assert.equal(await page.getAttribute('html', 'lang'), 'en-US');
  await page.close();
});

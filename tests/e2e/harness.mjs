// The end-to-end harness: a real `haven demo` instance with generated data on a free
// port, and Debian's Chromium driven headless by playwright-core. Every test file
// starts its own instance (a fresh folder) and browser, and stops both at the end.
//
//   HAVEN_BIN      the haven binary (default: build/haven)
//   CHROMIUM_BIN   the browser (default: /usr/bin/chromium)
//   HAVEN_SCREENSHOTS  a folder to write screenshots to (the docs' are made so)
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '../..');
const require = createRequire(join(repo, 'web/package.json'));
const { chromium } = require('playwright-core');
export const axeSource = require('fs').readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const PASSWORD = 'haven-demo-2026';

// Starts `haven demo` in a new folder; resolves with its base URL once it listens.
export async function startHaven({ cases = 60 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'haven-e2e-'));
  const bin = process.env.HAVEN_BIN ?? join(repo, 'build/haven');
  const child = spawn(bin, ['demo', '--dir', join(dir, 'instance'), '--port', '0', '--cases', String(cases)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  const url = await new Promise((resolveUrl, reject) => {
    // Generating the demo data takes time in proportion to the cases asked for.
    const timer = setTimeout(() => reject(new Error(`haven demo did not start:\n${out}\n${log}`)), 60_000 + cases * 20);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /Haven listening on (https?:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`haven demo exited with ${code}:\n${out}\n${log}`)));
  });
  return {
    url,
    dir,
    log: () => log,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.on('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

// A new page of its own context (own cookies), recording what must never carry an
// identity: every URL it asked for and every console message.
export async function newPage(browser, baseURL, { locale = 'en-GB' } = {}) {
  const context = await browser.newContext({ baseURL, locale, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.seen = { urls: [], console: [], titles: [], errors: [] };
  page.on('request', (r) => page.seen.urls.push(r.url()));
  page.on('console', (m) => page.seen.console.push(m.text()));
  page.on('pageerror', (e) => page.seen.errors.push(String(e)));
  page.on('framenavigated', async (f) => {
    if (f === page.mainFrame()) page.seen.urls.push(f.url());
  });
  // Generous: the suite shares two cores with the rest of `make test`.
  page.setDefaultTimeout(30_000);
  return page;
}

// Signs in on the sign-in screen as a user types it.
export async function signIn(page, username, password = PASSWORD) {
  await page.goto('/');
  await page.getByLabel(/^(Username|İstifadəçi adı|Имя пользователя)$/).fill(username);
  await page.getByLabel(/^(Password|Parol|Пароль)$/).fill(password);
  await page.getByRole('button', { name: /^(Sign in|Daxil ol|Войти)$/ }).click();
  await page.getByRole('navigation', { name: /Main menu|Əsas menyu|Главное меню/ }).waitFor();
}

// Switches the interface language with the header's buttons. With `remembered`, waits
// until the account keeps the choice (PATCH /api/v1/me), so that a reload right after
// shows it too; a language already chosen is left as it is.
export async function chooseLanguage(page, name /* 'English' | 'Русский' | 'Azərbaycanca' */, { remembered = false } = {}) {
  const button = page.getByRole('button', { name, exact: true }).first();
  if (!remembered) return button.click();
  if ((await button.getAttribute('aria-pressed')) === 'true') return;
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/me') && r.request().method() === 'PATCH', { timeout: 60_000 });
  await button.click();
  await saved;
}

// Runs axe-core in the page; returns the violations at WCAG 2.1 A and AA.
export async function axeViolations(page) {
  // Through the DevTools protocol, which the page's Content-Security-Policy (rightly)
  // does not govern: an inline <script> would be refused.
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
}

// No script error, and nothing of a person's identity in the console, the URLs asked
// for or the titles shown (the screens name cases by their code only).
export function noIdentityLeak(page) {
  assert.deepEqual(page.seen.errors, [], 'no script error');
  const identity = /given_name|family_name|other_names|birth_date|birth_year/i;
  for (const t of page.seen.console) assert.doesNotMatch(t, identity, `console: ${t}`);
  for (const u of page.seen.urls) assert.doesNotMatch(decodeURIComponent(u), identity, u);
}

// Saves a screenshot to $HAVEN_SCREENSHOTS/NAME.png when that is set.
export async function screenshot(page, name) {
  const dir = process.env.HAVEN_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: false });
}

// An API call with the page's own session (cookie + CSRF token), for setting up a
// state faster than through the screens (and for checking what the server holds).
export async function apiAs(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const s = await fetch('/api/v1/auth/session').then((r) => r.json());
      const r = await fetch(path, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, body: r.status === 204 ? null : await r.json() };
    },
    { method, path, body },
  );
}

// One demo instance and one browser for the tests of a file: started before them and
// stopped after. `page()` opens a page on it; `signedIn(username)` one signed in, in
// English (remembered with the account, so that it holds across reloads).
export function demoInstance(options = {}) {
  const at = { haven: null, browser: null };
  before(async () => {
    at.haven = await startHaven(options);
    at.browser = await startBrowser();
  });
  after(async () => {
    await at.browser?.close();
    await at.haven?.stop();
  });
  at.page = (pageOptions) => newPage(at.browser, at.haven.url, pageOptions);
  at.signedIn = async (username, language = 'English') => {
    const page = await at.page();
    await signIn(page, username);
    await chooseLanguage(page, language, { remembered: true });
    return page;
  };
  return at;
}

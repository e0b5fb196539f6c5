#!/usr/bin/env node
// The web application over a slow connection: Chromium throttled through the DevTools
// protocol (Network.emulateNetworkConditions) loads the sign-in screen, signs in and
// opens the case list of a demo instance with many cases. Measured: the compressed
// bytes of script the first screen needs (the budget is 250 KB) and the times, next to
// a baseline in the same run and under the same throttling: one small answer of the
// same server, i.e. the floor that latency sets.
//
//   node bench/web_first_screen.mjs [--cases 100000] [--runs 3]
//   (needs build/haven and web/dist: `make`)
import { performance } from 'node:perf_hooks';
import { newPage, signIn, startBrowser, startHaven } from '../tests/e2e/harness.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const CASES = Number(args.cases ?? 100000);
const RUNS = Number(args.runs ?? 3);
// A regional office on a poor mobile connection ("Slow 3G" in Chromium's presets):
// 400 ms round trip, 400 kbit/s down, 400 kbit/s up.
const NETWORK = { offline: false, latency: 400, downloadThroughput: (400 * 1024) / 8, uploadThroughput: (400 * 1024) / 8 };

async function throttled(browser, url) {
  const page = await newPage(browser, url);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', NETWORK);
  const bytes = { script: 0, style: 0, document: 0, other: 0 };
  cdp.on('Network.loadingFinished', (e) => (cdp.sizes ??= new Map()).set(e.requestId, e.encodedDataLength));
  const types = new Map();
  cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
  page.bytes = () => {
    for (const k of Object.keys(bytes)) bytes[k] = 0;
    for (const [id, n] of cdp.sizes ?? []) {
      const t = (types.get(id) ?? 'Other').toLowerCase();
      const key = t === 'script' ? 'script' : t === 'stylesheet' ? 'style' : t === 'document' ? 'document' : 'other';
      bytes[key] += n;
    }
    return { ...bytes };
  };
  page.resetBytes = () => cdp.sizes?.clear();
  return page;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const haven = await startHaven({ cases: CASES });
const browser = await startBrowser();
const rows = { baseline: [], signIn: [], cases: [] };
let firstScreen;
try {
  for (let run = 0; run < RUNS; run++) {
    // Baseline: one small static answer of the same server (GET /api/v1/health, a
    // few dozen bytes), same throttling: what latency alone costs.
    const base = await throttled(browser, haven.url);
    let t = performance.now();
    await base.goto('/api/v1/health', { waitUntil: 'load' });
    rows.baseline.push(performance.now() - t);
    await base.context().close();

    const page = await throttled(browser, haven.url);
    t = performance.now();
    await page.goto('/');
    await page.getByLabel('İstifadəçi adı').waitFor();
    rows.signIn.push(performance.now() - t);
    firstScreen = page.bytes();
    t = performance.now();
    await page.getByLabel('İstifadəçi adı').fill('caseworker');
    await page.getByLabel('Parol').fill('haven-demo-2026');
    await page.getByRole('button', { name: 'Daxil ol' }).click();
    await page.getByRole('navigation', { name: 'Əsas menyu' }).waitFor();
    await page.goto('/cases');
    await page.getByRole('table').waitFor();
    rows.cases.push(performance.now() - t);
    await page.context().close();
  }
} finally {
  await browser.close();
  await haven.stop();
}

const kb = (n) => (n / 1024).toFixed(1);
console.log(`# web first screen, ${new Date().toISOString().slice(0, 10)}, ${CASES} demo cases, ${RUNS} runs (median), throttled to 400 ms RTT and 400 kbit/s`);
console.log('| what | median ms | ratio to baseline |');
console.log('|---|---:|---:|');
const b = median(rows.baseline);
for (const [name, xs] of [['baseline: one small static answer (GET /api/v1/health)', rows.baseline], ['sign-in screen ready (first visit, cold cache)', rows.signIn], ['sign in, then the case list drawn', rows.cases]])
  console.log(`| ${name} | ${median(xs).toFixed(0)} | ${(median(xs) / b).toFixed(1)} |`);
console.log(`\nfirst screen transferred (compressed): script ${kb(firstScreen.script)} KB, styles ${kb(firstScreen.style)} KB, page ${kb(firstScreen.document)} KB, other ${kb(firstScreen.other)} KB`);
if (firstScreen.script > 250 * 1024) {
  console.error(`over the budget: ${kb(firstScreen.script)} KB of script > 250 KB`);
  process.exit(1);
}

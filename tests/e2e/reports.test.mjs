// The statistics reports: an analyst opens the list, opens a report, reads its tables
// (hidden small counts shown as the server marks them) and its charts (drawn, with
// hidden cells left out), downloads the CSV, and reads the screen in Russian and
// Azerbaijani. Chart.js is fetched only once a report is open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { apiAs, axeViolations, chooseLanguage, demoInstance, screenshot, signIn } from './harness.mjs';

const demo = demoInstance({ cases: 400 });

const chartRequested = (page) => page.seen.urls.some((u) => /\/assets\/chart[-.][^/]*\.js/.test(u));

// Waits until a canvas has painted pixels (not transparent, not white): the chart was
// drawn. A blank canvas keeps it waiting until the timeout.
async function waitForDrawing(page, selector) {
  await page.waitForFunction((sel) => {
    const canvas = document.querySelector(sel);
    if (!canvas || !canvas.width || !canvas.height) return false;
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 0 && !(data[i] > 250 && data[i + 1] > 250 && data[i + 2] > 250)) n++;
    }
    return n > 500;
  }, selector);
}

test('an analyst reads a report as table and chart, downloads it, in three languages', async () => {
  const page = await demo.page();
  await signIn(page, 'analyst');
  await chooseLanguage(page, 'English');
  const year = new Date().getFullYear();

  // The list: every report with its description, for the chosen year.
  await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Reports' }).click();
  await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
  assert.equal(await page.getByLabel('Year of identification').inputValue(), String(year));
  await page.locator('.report-list__title').first().waitFor();
  const titles = await page.locator('.report-list__title').allTextContents();
  assert.equal(titles.length, 7);
  await page.getByText('The headline figures for OSCE reporting, each with its total.').waitFor();
  assert.equal(chartRequested(page), false, 'Chart.js is not loaded before a report is opened');

  // One report: its tables.
  await page.getByRole('link', { name: /^OSCE summary of identified victims/ }).click();
  await page.getByRole('heading', { level: 1, name: /OSCE summary of identified victims/ }).waitFor();
  assert.match(page.url(), new RegExp(`/reports/osce\\?year=${year}$`));
  const table = page.locator('table', { has: page.locator('caption', { hasText: `Identified victims by sex, ${year}` }) });
  await table.waitFor();
  assert.deepEqual(await table.locator('thead th').allTextContents(), ['Sex', 'Count']);
  const rowHeads = await table.locator('tbody th[scope="row"]').allTextContents();
  assert.deepEqual(rowHeads, ['Female', 'Male', 'Other', 'Unknown']);
  assert.equal(await table.locator('tfoot th').textContent(), 'Total');

  // What the server sent, to compare the screen with.
  const report = (await apiAs(page, 'GET', `/api/v1/reports/osce?year=${year}`)).body;
  const sex = report.tables.find((t) => t.id === 'sex');
  const cells = await table.locator('tbody td').allTextContents();
  assert.deepEqual(
    cells,
    sex.rows.map((r) => (typeof r.values[0] === 'string' ? r.values[0] : r.values[0].toLocaleString('en-GB'))),
  );
  // Hidden small counts appear exactly as the server marks them, with the legend.
  if (report.suppression.primary > 0) {
    assert.ok((await page.locator('td', { hasText: /^<5$/ }).count()) > 0, 'a hidden count is shown as <5');
    await page.getByText('a count from 1 to 4.').waitFor();
  }

  // The chart: Chart.js was fetched now, the canvas is drawn and labelled.
  const canvas = page.locator('#table-sex canvas');
  await canvas.waitFor();
  assert.equal(await canvas.getAttribute('role'), 'img');
  const label = await canvas.getAttribute('aria-label');
  assert.match(label, /^Bar chart of “Identified victims by sex”/);
  const hiddenInSex = sex.rows.filter((r) => typeof r.values[0] === 'string').length;
  if (hiddenInSex > 0) assert.match(label, /hidden cells? (is|are) left out of the chart/);
  await waitForDrawing(page, '#table-sex canvas');
  assert.equal(chartRequested(page), true, 'Chart.js is loaded by the report screen');

  assert.deepEqual([], await axeViolations(page));
  await page.evaluate(() => document.getElementById('table-sex').scrollIntoView());
  await screenshot(page, 'report-en');

  // The CSV, as the server makes it.
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  assert.equal(file.suggestedFilename(), `osce-${year}.csv`);
  const csv = readFileSync(await file.path(), 'utf8');
  assert.equal(csv.split('\n')[0], 'table,row,column,value');
  assert.match(csv, /^about,report,,osce$/m);

  // Another year, kept in the address.
  await page.getByLabel('Year of identification').selectOption(String(year - 1));
  await page.locator('caption', { hasText: `Identified victims by sex, ${year - 1}` }).waitFor();
  assert.match(page.url(), new RegExp(`year=${year - 1}$`));

  // In Russian: the same screen translated, labels of codes included.
  await chooseLanguage(page, 'Русский');
  await page.getByRole('heading', { level: 1, name: /Сводка ОБСЕ по выявленным жертвам/ }).waitFor();
  await page.locator('caption', { hasText: `Выявленные жертвы по полу, ${year - 1}` }).waitFor();
  assert.equal(await page.locator('caption', { hasText: 'Identified victims by sex' }).count(), 0);
  const ruTable = page.locator('#table-sex table');
  assert.deepEqual(await ruTable.locator('thead th').allTextContents(), ['Пол', 'Число']);
  assert.equal(await ruTable.locator('tfoot th').textContent(), 'Всего');
  await page.getByRole('button', { name: 'Скачать CSV' }).waitFor();
  await page.getByRole('heading', { name: 'Скрытые малые числа' }).waitFor();
  assert.match(await page.locator('#table-sex canvas').getAttribute('aria-label'), /^Столбчатая диаграмма «Выявленные жертвы по полу»/);
  assert.deepEqual([], await axeViolations(page));

  // In Azerbaijani.
  await chooseLanguage(page, 'Azərbaycanca');
  await page.getByRole('heading', { level: 1, name: /ATƏT üçün müəyyən edilmiş qurbanlar üzrə xülasə/ }).waitFor();
  await page.getByRole('button', { name: 'CSV yüklə' }).waitFor();
  await waitForDrawing(page, '#table-sex canvas'); // drawn again in the new language
  await page.evaluate(() => document.getElementById('table-sex').scrollIntoView());
  await screenshot(page, 'report-az');

  // Nothing about a person in the addresses, the titles or the console; no script error.
  assert.deepEqual(page.seen.errors, []);
  assert.ok(page.seen.urls.every((u) => !/name=|person|identity/i.test(u)), 'no personal data in URLs');
  await page.context().close();
});

test('a report with two-way tables draws a bar per column and leaves hidden cells out', async () => {
  const page = await demo.page();
  await signIn(page, 'coordinator');
  await chooseLanguage(page, 'English');
  const year = new Date().getFullYear();
  await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Reports' }).click();
  await page.getByRole('link', { name: /^UNODC Global Report/ }).click();
  await page.getByRole('heading', { level: 1, name: /UNODC Global Report/ }).waitFor();
  const section = page.locator('#table-detected_victims_by_exploitation');
  await section.locator('caption').waitFor();
  assert.deepEqual(await section.locator('thead th').allTextContents(), [
    'Form of exploitation',
    'Women',
    'Men',
    'Girls',
    'Boys',
    'Unknown',
    'Total',
  ]);
  await section.getByText(/A person exploited in several forms is counted under each/).waitFor();
  const report = (await apiAs(page, 'GET', `/api/v1/reports/unodc?year=${year}`)).body;
  const t = report.tables.find((x) => x.id === 'detected_victims_by_exploitation');
  const hiddenCells = t.rows.flatMap((r) => r.values).filter((v) => typeof v === 'string').length;
  const shown = t.rows.flatMap((r) => r.values).some((v) => typeof v === 'number' && v > 0);
  if (shown) {
    const label = await section.locator('canvas').getAttribute('aria-label');
    assert.match(label, /bars: Age and sex/);
    if (hiddenCells > 0) assert.ok(label.includes(`${hiddenCells} hidden cell`), label);
  } else {
    await section.getByText('No chart: every count of this table is zero or hidden.').waitFor();
  }
  assert.deepEqual([], await axeViolations(page));
  assert.deepEqual(page.seen.errors, []);
  await page.context().close();
});

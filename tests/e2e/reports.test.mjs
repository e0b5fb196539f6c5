// The statistics reports: an analyst opens the list, opens a report, reads its tables
// (hidden small counts shown as the server marks them, totals only where the server
// publishes them) and its charts (drawn, with hidden cells left out), downloads the
// CSV and the PDF, and reads the report in Russian and Azerbaijani in the server's own
// words; chooses whose records are counted; prepares the CTDC export and downloads it.
// Chart.js is fetched only once a report is open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { apiAs, axeViolations, chooseLanguage, demoInstance, noIdentityLeak, screenshot, signIn } from './harness.mjs';

const demo = demoInstance({ cases: 400 });

const chartRequested = (page) => page.seen.urls.some((u) => /\/assets\/chart[-.][^/]*\.js/.test(u));
const cyrillic = /[\u0400-\u04FF]/;
const menu = (page) => page.getByRole('navigation', { name: /Main menu|Əsas menyu|Главное меню/ });

// A cell as the screen shows it in English: a hidden one as the server marks it.
const shown = (v) => (typeof v === 'string' ? v : v.toLocaleString('en-GB'));

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

// Clicks a download button; resolves with the file's suggested name and bytes.
async function downloaded(page, button) {
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}

const report = async (page, name, query) => (await apiAs(page, 'GET', `/api/v1/reports/${name}?${query}`)).body;

test('an analyst reads a report as table and chart, downloads it, in three languages', async () => {
  const page = await demo.page();
  await signIn(page, 'analyst');
  await chooseLanguage(page, 'English');
  const year = new Date().getFullYear();

  // The list: every report with its description, for the chosen year.
  await menu(page).getByRole('link', { name: 'Reports' }).click();
  await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
  assert.equal(await page.getByLabel('Year of identification').inputValue(), String(year));
  await page.locator('.report-list__title').first().waitFor();
  const titles = await page.locator('.report-list__title').allTextContents();
  assert.equal(titles.length, 7);
  await page.getByText('The headline figures for OSCE reporting, each with its total.').waitFor();
  assert.equal(chartRequested(page), false, 'Chart.js is not loaded before a report is opened');

  // One report: its tables, in the server's words.
  const en = await report(page, 'osce', `year=${year}&lang=en`);
  assert.equal(en.language, 'en');
  await page.getByRole('link', { name: /^OSCE summary of identified victims/ }).click();
  await page.getByRole('heading', { level: 1, name: en.title }).waitFor();
  assert.match(page.url(), new RegExp(`/reports/osce\\?year=${year}$`));
  await page.getByText(en.description).waitFor();
  const sex = en.tables.find((t) => t.id === 'sex');
  const table = page.locator('#table-sex table');
  await table.locator('caption', { hasText: `${sex.title}, ${year}` }).waitFor();
  assert.equal(sex.title, 'Identified victims by sex');
  assert.deepEqual(await table.locator('thead th').allTextContents(), [sex.row_dimension_label, ...sex.column_labels]);
  assert.deepEqual(await table.locator('tbody th[scope="row"]').allTextContents(), sex.rows.map((r) => r.label_text));
  assert.deepEqual(await table.locator('tbody th[scope="row"]').allTextContents(), ['Female', 'Male', 'Other', 'Unknown']);
  // A table the server totals: its total row.
  assert.equal(sex.column_totals, true);
  assert.equal(await table.locator('tfoot th').textContent(), 'Total');
  assert.deepEqual(await table.locator('tfoot td').allTextContents(), sex.totals.values.map(shown));
  assert.deepEqual(await table.locator('tbody td').allTextContents(), sex.rows.map((r) => shown(r.values[0])));
  // Hidden small counts appear exactly as the server marks them, with its legend.
  if (en.suppression.primary > 0) {
    assert.ok((await page.locator('td', { hasText: /^<5$/ }).count()) > 0, 'a hidden count is shown as <5');
    await page.locator('.report-legend dd', { hasText: en.suppression.legend['<5'] }).waitFor();
  }
  // The server's notes about the figures: whose records, linkage.
  for (const note of en.notes) await page.locator('.report-about li', { hasText: note }).waitFor();
  // Every person-count report offers whose records to count: Haven's own by default.
  assert.equal(await page.getByLabel('Records counted').inputValue(), 'haven');

  // The chart: Chart.js was fetched now, the canvas is drawn and labelled.
  const canvas = page.locator('#table-sex canvas');
  await canvas.waitFor();
  assert.equal(await canvas.getAttribute('role'), 'img');
  const label = await canvas.getAttribute('aria-label');
  assert.match(label, /^Bar chart of “Identified victims by sex” \(groups: Sex\)/);
  const hiddenInSex = sex.rows.filter((r) => typeof r.values[0] === 'string').length;
  if (hiddenInSex > 0) assert.match(label, /hidden cells? (is|are) left out of the chart/);
  await waitForDrawing(page, '#table-sex canvas');
  assert.equal(chartRequested(page), true, 'Chart.js is loaded by the report screen');

  assert.deepEqual([], await axeViolations(page));
  await page.evaluate(() => document.getElementById('table-sex').scrollIntoView());
  await screenshot(page, 'report-en');

  // The CSV and the PDF, as the server makes them, under the names it gives.
  const csv = await downloaded(page, page.getByRole('button', { name: 'Download CSV' }));
  assert.equal(csv.name, `osce-${year}.csv`);
  const csvText = csv.bytes.toString('utf8');
  assert.equal(csvText.split('\n')[0], 'table,row,column,value,row_label,column_label');
  assert.match(csvText, /^about,report,,osce,/m);
  assert.match(csvText, /^about,language,,en,/m);
  assert.match(csvText, /^sex,female,count,[^,]+,Female,/m);
  const pdf = await downloaded(page, page.getByRole('button', { name: 'Download PDF' }));
  assert.equal(pdf.name, `osce-${year}.pdf`);
  assert.equal(pdf.bytes.subarray(0, 5).toString('latin1'), '%PDF-');

  // Another year, kept in the address.
  await page.getByLabel('Year of identification').selectOption(String(year - 1));
  await page.locator('caption', { hasText: `${sex.title}, ${year - 1}` }).waitFor();
  assert.match(page.url(), new RegExp(`year=${year - 1}$`));

  // In Russian: the report asked for again in Russian, the server's words shown.
  const ru = await report(page, 'osce', `year=${year - 1}&lang=ru`);
  assert.equal(ru.language, 'ru');
  const ruSex = ru.tables.find((t) => t.id === 'sex');
  assert.match(ru.title, cyrillic);
  assert.match(ruSex.title, cyrillic);
  await chooseLanguage(page, 'Русский');
  await page.getByRole('heading', { level: 1, name: ru.title }).waitFor();
  await page.locator('caption', { hasText: `${ruSex.title}, ${year - 1}` }).waitFor();
  assert.equal(await page.locator('caption', { hasText: 'Identified victims by sex' }).count(), 0);
  const ruTable = page.locator('#table-sex table');
  const ruHeads = await ruTable.locator('thead th').allTextContents();
  assert.deepEqual(ruHeads, [ruSex.row_dimension_label, ...ruSex.column_labels]);
  assert.ok(ruHeads.every((h) => cyrillic.test(h)), ruHeads.join(' | '));
  const ruRows = await ruTable.locator('tbody th[scope="row"]').allTextContents();
  assert.deepEqual(ruRows, ruSex.rows.map((r) => r.label_text));
  assert.ok(ruRows.every((h) => cyrillic.test(h)), ruRows.join(' | '));
  assert.equal(await ruTable.locator('tfoot th').textContent(), 'Всего');
  const marked = await page.locator('main [lang]').evaluateAll((es) => es.map((e) => e.outerHTML.slice(0, 120)));
  assert.deepEqual(marked, [], 'every word in the language of the screen');
  await page.getByRole('heading', { name: 'Скрытые малые числа' }).waitFor();
  await page.locator('.report-legend dd', { hasText: ru.suppression.legend['<5'] }).waitFor();
  for (const note of ru.notes) await page.locator('.report-about li', { hasText: note }).waitFor();
  assert.ok((await page.locator('#table-sex canvas').getAttribute('aria-label')).startsWith(`Столбчатая диаграмма «${ruSex.title}»`));
  const ruPdf = await downloaded(page, page.getByRole('button', { name: 'Скачать PDF' }));
  assert.equal(ruPdf.name, `osce-${year - 1}-ru.pdf`);
  assert.equal(ruPdf.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  const ruCsv = await downloaded(page, page.getByRole('button', { name: 'Скачать CSV' }));
  assert.equal(ruCsv.name, `osce-${year - 1}-ru.csv`);
  assert.match(ruCsv.bytes.toString('utf8'), /^about,language,,ru,/m);
  assert.deepEqual([], await axeViolations(page));

  // In Azerbaijani: one table's title checked against the server's.
  const az = await report(page, 'osce', `year=${year - 1}&lang=az`);
  assert.equal(az.language, 'az');
  const azAge = az.tables.find((t) => t.id === 'age');
  await chooseLanguage(page, 'Azərbaycanca');
  await page.getByRole('heading', { level: 1, name: az.title }).waitFor();
  await page.locator('#table-age h2', { hasText: azAge.title }).waitFor();
  assert.equal(await page.locator('#table-age h2').textContent(), azAge.title);
  assert.notEqual(azAge.title, en.tables.find((t) => t.id === 'age').title);
  assert.deepEqual(await page.locator('#table-age thead th').allTextContents(), [azAge.row_dimension_label, ...azAge.column_labels]);
  assert.equal(await page.locator('.report-contents li').nth(1).textContent(), azAge.title);
  await page.getByRole('button', { name: 'CSV yüklə' }).waitFor();
  await page.getByRole('button', { name: 'PDF yüklə' }).waitFor();
  await waitForDrawing(page, '#table-sex canvas'); // drawn again in the new language
  assert.deepEqual([], await axeViolations(page));
  await page.evaluate(() => document.getElementById('table-sex').scrollIntoView());
  await screenshot(page, 'report-az');

  // Nothing about a person in the addresses, the titles or the console; no script error.
  noIdentityLeak(page);
  assert.ok(page.seen.urls.every((u) => !/name=|person|identity/i.test(u)), 'no personal data in URLs');
  await page.context().close();
});

test('a total is shown only where the server publishes one; two-way tables draw a bar per column', async () => {
  const page = await demo.page();
  await signIn(page, 'coordinator');
  await chooseLanguage(page, 'English');
  const year = new Date().getFullYear();

  // UNODC: a total per form of exploitation, none across the forms.
  await menu(page).getByRole('link', { name: 'Reports' }).click();
  await page.getByRole('link', { name: /^UNODC Global Report/ }).click();
  await page.getByRole('heading', { level: 1, name: /UNODC Global Report/ }).waitFor();
  const unodc = await report(page, 'unodc', `year=${year}&lang=en`);
  const t = unodc.tables.find((x) => x.id === 'detected_victims_by_exploitation');
  assert.equal(t.column_totals, false);
  assert.equal(t.row_totals, true);
  assert.ok(t.totals.values.every((v) => v === null), 'no total across forms of exploitation');
  const section = page.locator('#table-detected_victims_by_exploitation');
  await section.locator('caption').waitFor();
  // The dimension of the columns over them, then each column; a total per row.
  assert.deepEqual(await section.locator('thead th').allTextContents(), [
    t.row_dimension_label,
    t.column_dimension_label,
    'Total',
    ...t.column_labels,
  ]);
  assert.deepEqual(t.column_labels, ['Women', 'Men', 'Girls', 'Boys', 'Unknown']);
  assert.equal(await section.locator('tfoot').count(), 0, 'no total row');
  const firstRow = await section.locator('tbody tr').first().locator('td').allTextContents();
  assert.deepEqual(firstRow, [...t.rows[0].values.map(shown), shown(t.rows[0].total)]);
  await section.getByText(t.notes[0]).waitFor();
  const hiddenCells = t.rows.flatMap((r) => r.values).filter((v) => typeof v === 'string').length;
  const anyShown = t.rows.flatMap((r) => r.values).some((v) => typeof v === 'number' && v > 0);
  if (anyShown) {
    const label = await section.locator('canvas').getAttribute('aria-label');
    assert.match(label, /bars: Age and sex/);
    if (hiddenCells > 0) assert.ok(label.includes(`${hiddenCells} hidden cell`), label);
  } else {
    await section.getByText('No chart: every count of this table is zero or hidden.').waitFor();
  }
  assert.deepEqual([], await axeViolations(page));

  // GRETA: the forms of exploitation have no total row; the sexes and ages have one.
  await page.goto(`/reports/greta?year=${year}`);
  const greta = await report(page, 'greta', `year=${year}&lang=en`);
  const bySex = greta.tables.find((x) => x.id === 'victims_by_exploitation_and_sex');
  assert.equal(bySex.column_totals, false);
  await page.locator('#table-victims_by_exploitation_and_sex caption').waitFor();
  assert.equal(await page.locator('#table-victims_by_exploitation_and_sex tfoot').count(), 0);
  const bySexAndAge = greta.tables.find((x) => x.id === 'victims_by_sex_and_age');
  assert.equal(bySexAndAge.column_totals, true);
  assert.deepEqual(
    await page.locator('#table-victims_by_sex_and_age tfoot td').allTextContents(),
    [...bySexAndAge.totals.values, bySexAndAge.totals.total].map(shown),
  );

  // The annual report: stays and bed-days are not added up, nor given a total column.
  await page.goto(`/reports/annual?year=${year}`);
  const annual = await report(page, 'annual', `year=${year}&lang=en`);
  const shelter = annual.tables.find((x) => x.id === 'shelter_use');
  assert.equal(shelter.column_totals, false);
  const shelterTable = page.locator('#table-shelter_use table');
  await shelterTable.waitFor();
  assert.deepEqual(await shelterTable.locator('thead th').allTextContents(), [shelter.row_dimension_label, ...shelter.column_labels]);
  assert.deepEqual(await shelterTable.locator('tbody th').allTextContents(), shelter.rows.map((r) => r.label_text));
  assert.equal(await shelterTable.locator('tfoot').count(), 0, 'no total of stays and bed-days');
  assert.equal(await page.locator('#table-services_by_type tfoot th').textContent(), 'Total');

  // Allowances: the amounts in major units of their currency, no total across currencies.
  await page.goto(`/reports/allowances?year=${year}`);
  const allowances = await report(page, 'allowances', `year=${year}&lang=en`);
  const amounts = allowances.tables.find((x) => x.id === 'allowance_amounts');
  assert.equal(amounts.row_totals, false);
  assert.ok(amounts.decimals > 0);
  await page.locator('#table-allowance_amounts caption').waitFor();
  assert.equal(await page.getByLabel('Records counted').count(), 0, "the allowances count Haven's records only");
  const total = amounts.totals.values[0];
  if (typeof total === 'number') {
    const text = await page.locator('#table-allowance_amounts tfoot td').first().textContent();
    assert.equal(text, new Intl.NumberFormat('en-GB', { style: 'currency', currency: amounts.columns[0] }).format(total / 10 ** amounts.decimals));
  }
  assert.deepEqual([], await axeViolations(page));

  // Awareness work in Azerbaijani: in the server's Azerbaijani if it words the report
  // so, else in its English, marked as English.
  await chooseLanguage(page, 'Azərbaycanca');
  const azAwareness = await apiAs(page, 'GET', `/api/v1/reports/awareness?year=${year}&lang=az`);
  await page.goto(`/reports/awareness?year=${year}`);
  if (azAwareness.status === 200) {
    await page.getByRole('heading', { level: 1, name: azAwareness.body.title }).waitFor();
  } else {
    assert.equal(azAwareness.status, 400);
    const enAwareness = await report(page, 'awareness', `year=${year}`);
    await page.locator('h1 span[lang="en"]', { hasText: enAwareness.title }).waitFor();
    await page.locator(`#table-${enAwareness.tables[0].id} caption span[lang="en"]`).waitFor();
  }
  await page.getByRole('button', { name: 'PDF yüklə' }).waitFor();
  assert.equal(await page.getByLabel('Sayılan qeydlər').count(), 0);
  assert.deepEqual([], await axeViolations(page));
  noIdentityLeak(page);
  await page.context().close();
});

test('the records counted are chosen, kept in the address and in the downloads', async () => {
  const page = await demo.page();
  await signIn(page, 'analyst');
  await chooseLanguage(page, 'English');
  const year = new Date().getFullYear();
  await menu(page).getByRole('link', { name: 'Reports' }).click();
  await page.getByRole('link', { name: /^Council of Europe GRETA questionnaire/ }).click();
  const haven = await report(page, 'greta', `year=${year}&lang=en`);
  const ctdc = await report(page, 'greta', `year=${year}&lang=en&source=ctdc`);
  assert.deepEqual(ctdc.sources, ['ctdc']);
  await page.getByRole('heading', { level: 1, name: haven.title }).waitFor();
  const id = 'victims_by_sex_and_age';
  const cells = page.locator(`#table-${id} tbody td`);
  const havenTable = haven.tables.find((x) => x.id === id);
  await page.locator(`#table-${id} caption`).waitFor();
  assert.deepEqual(await cells.allTextContents(), havenTable.rows.flatMap((r) => [...r.values, r.total]).map(shown));

  // The demo imports no CTDC records: counted alone, they make a table of zeros.
  await page.getByLabel('Records counted').selectOption({ label: 'Imported CTDC records' });
  await page.waitForURL(new RegExp(`/reports/greta\\?year=${year}&source=ctdc$`));
  const ctdcTable = ctdc.tables.find((x) => x.id === id);
  assert.ok(ctdcTable.rows.every((r) => r.values.every((v) => v === 0) && r.total === 0), 'no imported records in the demo');
  assert.notDeepEqual(ctdcTable.rows, havenTable.rows, 'the figures are another count');
  const zeros = ctdcTable.rows.flatMap((r) => [...r.values, r.total]).map(shown);
  await page.waitForFunction(
    ({ sel, want }) => JSON.stringify([...document.querySelectorAll(sel)].map((td) => td.textContent)) === want,
    { sel: `#table-${id} tbody td`, want: JSON.stringify(zeros) },
  );
  // The note of the sources counted, as the server words it.
  const sourcesNotes = ctdc.notes.filter((n) => !haven.notes.includes(n));
  assert.ok(sourcesNotes.length > 0, 'the server says which records it counted');
  for (const note of sourcesNotes) await page.locator('.report-about li', { hasText: note }).waitFor();
  await page.locator(`#table-${id} .report-chart__none`).waitFor(); // nothing to draw
  assert.deepEqual([], await axeViolations(page));

  // The downloads count the same records.
  const csv = await downloaded(page, page.getByRole('button', { name: 'Download CSV' }));
  assert.match(csv.bytes.toString('utf8'), /^about,sources,,ctdc,/m);

  // Kept after a reload, and by the list's links (only the person-count reports').
  await page.reload();
  assert.equal(await page.getByLabel('Records counted').inputValue(), 'ctdc');
  await page.getByRole('link', { name: 'All reports' }).click();
  await page.waitForURL(new RegExp(`/reports\\?year=${year}&source=ctdc$`));
  await page.locator('.report-list__title').first().waitFor();
  assert.equal(
    await page.getByRole('link', { name: /^UNODC Global Report/ }).getAttribute('href'),
    `/reports/unodc?year=${year}&source=ctdc`,
  );
  assert.equal(await page.getByRole('link', { name: /^Victim allowances paid/ }).getAttribute('href'), `/reports/allowances?year=${year}`);

  // Both: Haven's cases and the (no) imported records.
  await page.getByRole('link', { name: /^Council of Europe GRETA questionnaire/ }).click();
  await page.getByLabel('Records counted').selectOption({ label: 'Both' });
  await page.waitForURL(/source=haven%2Cctdc$/);
  const both = await report(page, 'greta', `year=${year}&lang=en&source=haven,ctdc`);
  const bothRows = both.tables.find((x) => x.id === id).rows.flatMap((r) => [...r.values, r.total]).map(shown);
  await page.waitForFunction(
    ({ sel, want }) => JSON.stringify([...document.querySelectorAll(sel)].map((td) => td.textContent)) === want,
    { sel: `#table-${id} tbody td`, want: JSON.stringify(bothRows) },
  );
  noIdentityLeak(page);
  await page.context().close();
});

test('an analyst prepares the CTDC export, reads what each field kept, and downloads it', async () => {
  const page = await demo.page();
  await signIn(page, 'analyst');
  await chooseLanguage(page, 'English');
  await menu(page).getByRole('link', { name: 'Reports' }).click();
  const section = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Export for the CTDC' }) });
  await section.waitFor();
  const k = section.getByLabel('k: the smallest group of alike records');
  assert.equal(await k.inputValue(), '11');
  const prepare = section.getByRole('button', { name: 'Prepare the CTDC export' });

  // Not a k the server takes: said at the field.
  await k.fill('1');
  await prepare.click();
  await section.getByText('Enter a whole number from 2 to 1000').waitFor();
  assert.equal(await k.getAttribute('aria-invalid'), 'true');
  // Below the threshold of hidden counts: the server refuses it for an analyst.
  await k.fill('3');
  await prepare.click();
  await section.getByText('k cannot be below the threshold set for hiding small counts. Choose a larger k.').waitFor();

  await k.fill('11');
  await prepare.click();
  const fields = section.getByRole('table', { name: 'What each field kept, k = 11' });
  await fields.waitFor();
  assert.equal(await k.getAttribute('aria-invalid'), null);
  const answer = (await apiAs(page, 'GET', '/api/v1/exports/ctdc?k=11&format=json')).body;
  assert.equal(answer.k, 11);
  assert.deepEqual(await fields.locator('thead th').allTextContents(), ['Field', 'Exact', 'Coarser', 'Left empty', 'Not recorded']);
  const names = await fields.locator('tbody th').allTextContents();
  assert.equal(names.length, answer.fields.length);
  assert.equal(names[answer.fields.findIndex((f) => f.field === 'sex')], 'Sex');
  assert.equal(names[answer.fields.findIndex((f) => f.field === 'age_group')], 'Age group');
  for (const [i, f] of answer.fields.entries()) {
    assert.deepEqual(
      await fields.locator('tbody tr').nth(i).locator('td').allTextContents(),
      [f.exact, f.generalised, f.blanked, f.not_recorded].map(shown),
      f.field,
    );
  }
  const loss = (answer.information_loss * 100).toLocaleString('en-GB', { maximumFractionDigits: 1 });
  await section.getByText(`Information lost: ${loss}%.`).waitFor();
  await section.getByText(new RegExp(`^${answer.persons.toLocaleString('en-GB')} persons? in Haven's cases\\.$`)).waitFor();
  await section.getByText(new RegExp(`^${answer.records.toLocaleString('en-GB')} records? written to the file\\.$`)).waitFor();
  await section.getByText(new RegExp(`^${answer.suppressed.toLocaleString('en-GB')} records? left out`)).waitFor();
  assert.deepEqual([], await axeViolations(page));
  await page.evaluate(() => document.querySelector('.report-ctdc').scrollIntoView());
  await screenshot(page, 'ctdc-export-en');

  // The file: CTDC's CSV as the server wrote it.
  const file = await downloaded(page, section.getByRole('button', { name: 'Download the CSV (k = 11)' }));
  assert.equal(file.name, 'ctdc-k11.csv');
  const text = file.bytes.toString('utf8');
  assert.ok(text.split('\n')[0].startsWith('By using this data'), text.slice(0, 80));
  assert.equal(text, answer.csv);

  // In Russian.
  await chooseLanguage(page, 'Русский');
  const ruSection = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Выгрузка для CTDC' }) });
  await ruSection.getByRole('table', { name: 'Что сохранило каждое поле, k = 11' }).waitFor();
  const ruNames = await ruSection.locator('tbody th').allTextContents();
  assert.ok(ruNames.every((n) => cyrillic.test(n)), ruNames.join(' | '));
  await ruSection.getByRole('button', { name: 'Скачать CSV (k = 11)' }).waitFor();
  assert.deepEqual([], await axeViolations(page));
  noIdentityLeak(page);
  await page.context().close();
});

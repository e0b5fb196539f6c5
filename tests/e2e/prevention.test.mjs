// Prevention and the national action plan through the screens: a caseworker records an
// awareness event (the form first sent incomplete, then with age groups that do not add
// up) and finds it in the list; the coordinator creates a plan, adds a measure, imports
// more from a CSV file (a bad row named with its number, then a good file), reports
// progress and sees the plan's summary change, a measure past its deadline overdue; a
// supervisor may report only where her organisation is responsible; the analyst reads
// the coverage by region with Ganja's events; the coordinator records an agreement with
// partners, changes it (and is refused when someone changed it meanwhile), records a
// convention with a round and its GRETA report links, which a caseworker reads without
// recording. The screens pass axe-core and switch to Azerbaijani.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiAs, axeViolations, chooseLanguage, demoInstance, noIdentityLeak, screenshot } from './harness.mjs';

const demo = demoInstance();

const region = (page, name) => page.getByRole('region', { name });
const menu = (page) => page.getByRole('navigation', { name: 'Main menu' });

const year = new Date().getFullYear();
const pad = (n) => String(n).padStart(2, '0');
const today = (() => {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
})();

// The demo's organisations (src/app/demo.cc) the test names.
const OWN = 'Clean World Social Union (Bakı)'; // the caseworker's and the supervisor's
const GANJA_CENTRE = 'Assistance Centre Gəncə';
const LABOUR = 'Ministry of Labour and Social Protection';
const MIGRATION = 'State Migration Service';
const OSCE = 'OSCE Project Co-ordinator';

// The directory's ids by name.
async function organisationIds(page) {
  const orgs = (await apiAs(page, 'GET', '/api/v1/organizations?limit=200')).body.items;
  return (name) => {
    const o = orgs.find((x) => x.name === name);
    assert.ok(o, `the demo has ${name}`);
    return o.id;
  };
}

// The state the tests build on (they run in order).
const shared = {};
const EVENT_TITLE = 'Safe migration for school leavers (e2e)';

test('a caseworker records an awareness event and finds it in the list', async () => {
  const page = await demo.signedIn('caseworker');
  await menu(page).getByRole('link', { name: 'Awareness work' }).click();
  await page.getByRole('heading', { level: 1, name: 'Awareness work' }).waitFor();
  // The coverage is for the statistics roles only.
  assert.equal(await page.getByRole('link', { name: 'Coverage by region' }).count(), 0);

  await page.getByRole('button', { name: 'Record an event' }).click();
  const form = region(page, 'Record an event');
  // Her own organisation is among the organisers already.
  const organisers = form.getByRole('group', { name: 'Organisers' });
  await organisers.getByRole('button', { name: `Remove ${OWN}` }).waitFor();

  // Sent incomplete: the summary names what is missing.
  await form.getByRole('button', { name: 'Record the event' }).click();
  const summary = form.getByRole('alert');
  await summary.getByText('There is a problem').waitFor();
  await summary.getByRole('link', { name: /Kind of event/ }).waitFor();
  await summary.getByRole('link', { name: /Topics: Choose at least one/ }).waitFor();
  await summary.getByRole('link', { name: /Female participants/ }).waitFor();

  await form.getByLabel('Kind of event').selectOption('training');
  await form.getByLabel('Title').fill(EVENT_TITLE);
  await form.getByLabel('Held on').fill(today);
  await form.getByLabel('Region').selectOption('AZ-GA');
  await form.getByLabel('Place').fill('School no. 5');
  // A second organiser from the directory.
  await organisers.getByLabel('Add an organiser').selectOption({ label: GANJA_CENTRE });
  await organisers.getByRole('button', { name: 'Add', exact: true }).click();
  await organisers.getByRole('button', { name: `Remove ${GANJA_CENTRE}` }).waitFor();
  await form.getByRole('group', { name: 'Topics' }).getByLabel('Safe migration').check();
  await form.getByRole('group', { name: 'Topics' }).getByLabel('Online recruitment').check();
  await form.getByRole('group', { name: 'Audience' }).getByLabel('Students and pupils').check();
  await form.getByLabel('Female participants', { exact: true }).fill('18');
  await form.getByLabel('Male participants', { exact: true }).fill('12');
  // Counted by age too, first with groups that do not add up.
  await form.getByRole('group', { name: 'Were the participants counted by age group?' }).getByLabel('Yes').check();
  await form.getByLabel('Age group: Under 18').fill('20');
  await form.getByLabel('Age group: 18 to 29').fill('9');
  await form.getByRole('button', { name: 'Record the event' }).click();
  await summary.getByRole('link', { name: /The age groups add up to 29, not to the 30 participants/ }).waitFor();
  await form.getByLabel('Age group: 18 to 29').fill('10');
  assert.deepEqual(await axeViolations(page), []);
  await form.getByRole('button', { name: 'Record the event' }).click();
  await page.getByText('The event was recorded: Training, Gəncə.').waitFor();

  // In the list, newest first.
  const row = page.getByRole('row', { name: new RegExp(EVENT_TITLE.replace(/[()]/g, '\\$&')) });
  await row.waitFor();
  const cells = await row.getByRole('cell').allTextContents();
  assert.match(cells[1], /^Training/);
  assert.match(cells[2], /^Gəncə.*School no\. 5/);
  assert.equal(cells[3], `${OWN}; ${GANJA_CENTRE}`);
  assert.equal(cells[4], 'Safe migration, Online recruitment');
  assert.equal(cells[5], '3018 female, 12 male');

  // What the server holds.
  const list = await apiAs(page, 'GET', '/api/v1/trainings?region=AZ-GA&limit=50');
  const e = list.body.items.find((x) => x.title === EVENT_TITLE);
  assert.ok(e, 'the event is stored');
  const id = await organisationIds(page);
  assert.deepEqual(e.organizer_organization_ids, [id(OWN), id(GANJA_CENTRE)]);
  assert.deepEqual(e.participants, { female: 18, male: 12, total: 30, by_age: { under_18: 20, '18_29': 10 } });
  assert.deepEqual(e.topics, ['safe_migration', 'online_recruitment']);

  // The filters: another region has none of it.
  await page.getByLabel('Region', { exact: true }).selectOption('AZ-LA');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForURL(/region=AZ-LA/);
  await page.getByRole('heading', { level: 1, name: 'Awareness work' }).waitFor();
  await page.waitForFunction((t) => !document.body.textContent.includes(t), EVENT_TITLE);
  await page.getByRole('link', { name: 'Clear' }).click();
  await row.waitFor();

  assert.deepEqual(await axeViolations(page), []);
  await screenshot(page, 'trainings-en');
  // In Azerbaijani: the words and the lists' labels, never a bare code.
  await chooseLanguage(page, 'Azərbaycanca');
  await page.getByRole('heading', { level: 1, name: 'Maarifləndirmə işi' }).waitFor();
  await row.getByText('Təlim').waitFor();
  await row.getByText('18 qadın, 12 kişi').waitFor();
  assert.equal(await page.getByText(/^training$|safe_migration/).count(), 0);
  noIdentityLeak(page);
  await page.close();
});

test('the coordinator creates a plan, adds a measure, imports more and reports progress', async () => {
  const page = await demo.signedIn('coordinator');
  const orgId = await organisationIds(page);
  // Another event in Ganja, recorded for a partner (the coordinating body records any).
  const other = await apiAs(page, 'POST', '/api/v1/trainings', {
    kind: 'seminar',
    organizer_organization_ids: [orgId(GANJA_CENTRE)],
    region: 'AZ-GA',
    starts_on: today,
    topics: ['forced_labour'],
    audience: ['labour_inspectors'],
    participants: { female: 7, male: 5 },
  });
  assert.equal(other.status, 201);

  await menu(page).getByRole('link', { name: 'Action plan' }).click();
  await page.getByRole('heading', { level: 1, name: 'Action plan' }).waitFor();
  await page.getByRole('button', { name: 'New plan' }).click();
  const planForm = region(page, 'New plan');
  const title = `National Action Plan ${year - 1}–${year + 1} (e2e)`;
  await planForm.getByLabel('Title').fill(title);
  await planForm.getByLabel('Period starts').fill(`${year + 1}-12-31`);
  await planForm.getByLabel('Period ends').fill(`${year - 1}-01-01`);
  await planForm.getByRole('button', { name: 'Create the plan' }).click();
  await planForm.getByRole('link', { name: /Period ends: The end must be after the start/ }).waitFor();
  await planForm.getByLabel('Period starts').fill(`${year - 1}-01-01`);
  await planForm.getByLabel('Period ends').fill(`${year + 1}-12-31`);
  await planForm.getByRole('button', { name: 'Create the plan' }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  const planId = Number(/\/action-plans\/(\d+)$/.exec(page.url())[1]);
  shared.planId = planId;
  await page.getByText('The plan has no measures yet.').waitFor();

  // A measure through the form, its deadline already past.
  await page.getByRole('button', { name: 'Add a measure' }).click();
  const add = region(page, 'Add a measure');
  await add.getByLabel('Code').fill('1.1');
  await add.getByLabel('Deadline').fill(`${year - 1}-06-30`);
  await add.getByLabel('Measure', { exact: true }).fill('Train labour inspectors to identify forced labour');
  const responsible = add.getByRole('group', { name: 'Responsible bodies' });
  await responsible.getByLabel('Add a responsible body').selectOption({ label: LABOUR });
  await responsible.getByRole('button', { name: 'Add', exact: true }).click();
  const partners = add.getByRole('group', { name: 'Partners' });
  await partners.getByLabel('Add a partner').selectOption({ label: OSCE });
  await partners.getByRole('button', { name: 'Add', exact: true }).click();
  // A second indicator's fields appear once the first is named.
  assert.equal(await add.getByLabel('Indicator 2', { exact: true }).count(), 0);
  await add.getByLabel('Indicator 1', { exact: true }).fill('Labour inspectors trained');
  await add.getByLabel('Unit of indicator 1').fill('persons');
  await add.getByLabel('Baseline of indicator 1').fill('0');
  await add.getByLabel('Target of indicator 1').fill('120');
  await add.getByLabel('Indicator 2', { exact: true }).waitFor();
  await add.getByRole('button', { name: 'Add the measure' }).click();
  await page.getByText('Measure 1.1 was added.').waitFor();
  const measures = page.getByRole('region', { name: 'Measures', exact: true });
  await measures.getByRole('row', { name: /1\.1 Train labour inspectors/ }).getByText('Overdue').waitFor();

  // Import: first a file with a bad row; nothing is stored.
  await measures.getByRole('link', { name: 'Import measures' }).click();
  await page.getByRole('heading', { level: 1, name: 'Import measures' }).waitFor();
  await page.getByText('Responsible bodies and partners are written by their names exactly as in the directory').waitFor();
  const bad = [
    'Code,Measure,Responsible,Deadline',
    `2.1,Hold information sessions in schools,${MIGRATION},${year}-12-31`,
    `2.2,Open a national hotline,Ministry of Nothing,${year}-12-31`,
  ].join('\n');
  await page.getByLabel('CSV or XLSX file').setInputFiles({ name: 'measures.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.getByRole('button', { name: 'Check the file' }).click();
  const problems = page.getByRole('alert').filter({ hasText: 'cannot be imported' });
  await problems.getByText('1 row cannot be imported').waitFor();
  await problems.getByText(/Row 3 — Responsible: there is no organisation named “Ministry of Nothing” in the directory/).waitFor();
  await problems.getByText('Nothing was stored.', { exact: false }).waitFor();
  assert.equal(await page.getByRole('button', { name: /^Import \d+ measure/ }).count(), 0);
  assert.equal((await apiAs(page, 'GET', `/api/v1/action-plans/${planId}/measures`)).body.items.length, 1);

  // Then a good file, headed in Azerbaijani, dates as people write them.
  const good = [
    'Kod;Tədbir;İcraçı;İcra müddəti;Tərəfdaşlar;Göstərici;Ölçü vahidi;İlkin göstərici;Hədəf',
    `2.1;Hold information sessions in schools;${MIGRATION};31.12.${year + 1};${OSCE};Sessions held;sessions;0;40`,
    `2.2;Open a national hotline;${LABOUR};${year + 1};;;;;`,
    `2.3;Train NGO staff on the referral mechanism;${OWN};${year + 1}-06-30;;;;;`,
  ].join('\n');
  await page.getByLabel('CSV or XLSX file').setInputFiles({ name: 'measures.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.getByText('The file can be imported: it adds 3 measures.', { exact: false }).waitFor();
  const preview = page.getByRole('table', { name: 'The measures the file adds' });
  const previewRow = await preview.locator('tbody tr').first().getByRole('cell').allTextContents();
  assert.deepEqual(previewRow.slice(0, 4), ['2.1', 'Hold information sessions in schools', MIGRATION, OSCE]);
  assert.match(previewRow[5], /^Sessions heldfrom 0 sessions to 40 sessions$/);
  assert.equal((await apiAs(page, 'GET', `/api/v1/action-plans/${planId}/measures`)).body.items.length, 1, 'the check stores nothing');
  assert.deepEqual(await axeViolations(page), []);
  await page.getByRole('button', { name: 'Import 3 measures' }).click();
  await page.getByText('3 measures were imported into the plan.').waitFor();
  const stored = (await apiAs(page, 'GET', `/api/v1/action-plans/${planId}/measures`)).body.items;
  assert.deepEqual(stored.map((m) => m.code), ['1.1', '2.1', '2.2', '2.3']);
  assert.equal(stored[1].deadline, `${year + 1}-12-31`);
  assert.deepEqual(stored[1].indicators, [{ name: 'Sessions held', unit: 'sessions', baseline: 0, target: 40 }]);
  assert.deepEqual(await axeViolations(page), []);

  // Progress on 2.1: done, for one of the bodies the measure names.
  await page.getByRole('link', { name: 'Back to the plan', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await page.getByRole('link', { name: 'Hold information sessions in schools' }).click();
  await page.getByRole('heading', { level: 1, name: 'Measure 2.1' }).waitFor();
  await page.getByText('No progress has been reported yet.').waitFor();
  await page.getByRole('button', { name: 'Report progress' }).click();
  const report = region(page, 'Report progress');
  const bodies = await report.getByLabel('Reported for').locator('option').allTextContents();
  assert.deepEqual(bodies.slice(1), [MIGRATION, OSCE]);
  await report.getByLabel('Reported for').selectOption({ label: MIGRATION });
  await report.getByLabel('Status').selectOption('done');
  await report.getByLabel('What was done').fill('Forty sessions held in the schools of Gəncə and Şəki.');
  await report.getByLabel('Value reached: Sessions held').fill('40');
  await report.getByRole('button', { name: 'Record the report' }).click();
  await page.getByText('The progress report was recorded (revision 1).').waitFor();
  await page.getByRole('heading', { level: 3, name: /Report 1 of .* Done/ }).waitFor();
  await page.getByText('Reported for State Migration Service').waitFor();
  const indicators = page.getByRole('table', { name: 'Indicators' });
  const values = await indicators.getByRole('row', { name: /Sessions held/ }).getByRole('cell').allTextContents();
  assert.deepEqual(values.slice(0, 3), ['sessions', '0', '40']);
  assert.match(values[3], /^40\d/, 'the last value with the date of its report');

  // Progress on the overdue 1.1: in progress, still overdue past its deadline.
  const overdueMeasure = stored[0];
  const late = await apiAs(page, 'POST', `/api/v1/measures/${overdueMeasure.id}/progress`, {
    reported_on: today,
    status: 'in_progress',
    reporting_organization_id: orgId(LABOUR),
    indicator_values: [{ indicator: 0, value: 45 }],
  });
  assert.equal(late.status, 201);

  // The summary: one done, one overdue (last reported in progress), two not started.
  await page.goto(`/action-plans/${planId}`);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  const standing = region(page, /Where the plan stands on/);
  await standing.getByText('4 measures').waitFor();
  const line = await standing.locator('.status-line__list li').allTextContents();
  assert.deepEqual(line, ['Overdue 1', 'In progress 0', 'Not started 2', 'Done 1']);
  const overdue = standing.getByRole('table', { name: /Overdue measures/ });
  assert.deepEqual(await overdue.locator('tbody tr').first().getByRole('cell').allTextContents(), [
    '1.1',
    'Train labour inspectors to identify forced labour',
    new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${year - 1}-06-30T00:00:00Z`)),
    LABOUR,
    'In progress',
  ]);
  const byBody = standing.getByRole('table', { name: 'Measures by responsible body' });
  assert.deepEqual(await byBody.getByRole('row', { name: new RegExp(`^${MIGRATION}`) }).getByRole('cell').allTextContents(), ['0', '0', '0', '1', '1']);
  const summary = (await apiAs(page, 'GET', `/api/v1/action-plans/${planId}/summary`)).body;
  assert.deepEqual(summary.counts, { not_started: 2, in_progress: 0, done: 1, overdue: 1, total: 4 });
  await page.getByRole('row', { name: /2\.1 Hold information sessions/ }).getByText('Done').waitFor();

  // By one responsible body.
  await page.getByLabel('Responsible body', { exact: true }).selectOption({ label: LABOUR });
  await page.waitForURL(/body=\d+/);
  await page.getByRole('table', { name: `Measures of ${LABOUR}` }).waitFor();
  assert.equal(await page.getByRole('table', { name: `Measures of ${LABOUR}` }).locator('tbody tr').count(), 2);
  await page.getByLabel('Responsible body', { exact: true }).selectOption('');
  await page.getByRole('table', { name: "The plan's measures in the order of their codes" }).waitFor();

  assert.deepEqual(await axeViolations(page), []);
  await screenshot(page, 'action-plan-en');
  await chooseLanguage(page, 'Azərbaycanca');
  await page.getByRole('heading', { level: 2, name: 'Tədbirlər' }).waitFor();
  await page.getByRole('heading', { level: 3, name: 'Gecikən tədbirlər' }).waitFor();
  await page.getByRole('row', { name: /2\.1 Hold information sessions/ }).getByText('İcra olunub').waitFor();
  assert.equal(await page.getByText(/not_started|in_progress|overdue/).count(), 0);
  await screenshot(page, 'action-plan-az');
  noIdentityLeak(page);
  await page.close();
});

test('a supervisor reports progress only where her organisation is responsible', async () => {
  const page = await demo.signedIn('supervisor');
  const items = (await apiAs(page, 'GET', `/api/v1/action-plans/${shared.planId}/measures`)).body.items;
  const ours = items.find((m) => m.code === '2.3');
  const theirs = items.find((m) => m.code === '2.1');
  await page.goto(`/measures/${theirs.id}`);
  await page.getByRole('heading', { level: 1, name: 'Measure 2.1' }).waitFor();
  await page.getByText('Progress on this measure is reported by its responsible bodies.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Report progress' }).count(), 0);

  await page.goto(`/measures/${ours.id}`);
  await page.getByRole('heading', { level: 1, name: 'Measure 2.3' }).waitFor();
  await page.getByRole('button', { name: 'Report progress' }).click();
  const report = region(page, 'Report progress');
  // Her own organisation only: no choice of body.
  assert.equal(await report.getByLabel('Reported for').count(), 0);
  await report.getByLabel('Status').selectOption('in_progress');
  await report.getByRole('button', { name: 'Record the report' }).click();
  await page.getByText('The progress report was recorded (revision 1).').waitFor();
  await page.getByText(`Reported for ${OWN}`).waitFor();
  assert.deepEqual(await axeViolations(page), []);
  noIdentityLeak(page);
  await page.close();
});

test('the analyst reads the coverage by region, with Ganja’s events', async () => {
  const page = await demo.signedIn('analyst');
  await menu(page).getByRole('link', { name: 'Awareness work' }).click();
  await page.getByRole('heading', { level: 1, name: 'Awareness work' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Record an event' }).count(), 0, 'an analyst records no event');
  await page.getByRole('link', { name: 'Coverage by region' }).click();
  await page.getByRole('heading', { level: 1, name: /Coverage by region/ }).waitFor();

  const report = (await apiAs(page, 'GET', `/api/v1/reports/awareness?year=${year}&months=12`)).body;
  const ganja = report.regions['AZ-GA'];
  assert.ok(ganja.events >= 2, 'the two events of the tests are in Ganja');
  const table = page.getByRole('table', { name: `Awareness events and participants by region, ${year}` });
  const row = table.getByRole('row', { name: /^Gəncə/ });
  const cells = await row.getByRole('cell').allTextContents();
  assert.deepEqual(cells.slice(0, 4), [ganja.events, ganja.participants.total, ganja.participants.female, ganja.participants.male].map((n) => n.toLocaleString('en-GB')));
  assert.equal(cells[5], 'Events held');
  assert.equal(await table.locator('tbody tr').count(), Object.keys(report.regions).length);
  const without = report.regions_without_events.regions.length;
  await page.getByText(new RegExp(`^${without} of ${Object.keys(report.regions).length} regions had no event in the 12 months to`)).waitFor();

  // Only the regions without an event: Ganja is not among them.
  await page.getByLabel('Show only the regions without an event').check();
  assert.equal(await table.locator('tbody tr').count(), without);
  assert.equal(await table.getByRole('row', { name: /^Gəncə/ }).count(), 0);
  await table.getByText('No event').first().waitFor();
  assert.deepEqual(await axeViolations(page), []);

  // Another window, kept in the address.
  await page.getByLabel('Without an event in the last').selectOption('24');
  await page.waitForURL(/months=24/);
  await page.getByRole('columnheader', { name: 'In the last 24 months' }).waitFor();
  await page.getByLabel('Show only the regions without an event').uncheck();

  const downloaded = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV' }).click();
  const file = await downloaded;
  assert.match(file.suggestedFilename(), /awareness.*\.csv$/);

  await chooseLanguage(page, 'Русский');
  await page.getByRole('heading', { level: 1, name: /Охват по регионам/ }).waitFor();
  await page.getByRole('row', { name: /^Гянджа/ }).getByText('Мероприятия были').waitFor();
  noIdentityLeak(page);
  await page.close();
});

test('the coordinator records an agreement and a convention’s round; a caseworker reads them', async () => {
  const page = await demo.signedIn('coordinator');
  const fmt = (iso) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
  await menu(page).getByRole('link', { name: 'International cooperation' }).click();
  await page.getByRole('heading', { level: 1, name: 'International cooperation' }).waitFor();

  // An agreement with two partners through the form, first with its end before its start.
  const TITLE = 'Safe migration of seasonal workers (e2e)';
  const agreements = region(page, 'Agreements');
  await agreements.getByRole('button', { name: 'Record an agreement' }).click();
  const form = region(page, 'Record an agreement');
  await form.getByLabel('Title').fill(TITLE);
  await form.getByLabel('Kind').selectOption('memorandum');
  const partners = form.getByRole('group', { name: 'Partners' });
  for (const name of [OSCE, MIGRATION]) {
    await partners.getByLabel('Add a partner').selectOption({ label: name });
    await partners.getByRole('button', { name: 'Add', exact: true }).click();
    await partners.getByRole('button', { name: `Remove ${name}` }).waitFor();
  }
  // Terminated is asked only once it is signed.
  assert.equal(await form.getByLabel('Terminated on').count(), 0);
  await form.getByLabel('Signed on').fill(`${year - 1}-12-01`);
  await form.getByLabel('Terminated on').waitFor();
  await form.getByLabel('Starts on').fill(`${year}-01-01`);
  await form.getByLabel('Ends on').fill(`${year - 1}-12-31`);
  await form.getByLabel('Scope').fill('Information for seasonal workers before they leave, and a hotline abroad.');
  await form.getByRole('button', { name: 'Record the agreement' }).click();
  await form.getByRole('alert').getByRole('link', { name: /Ends on: The end cannot be before the start/ }).waitFor();
  await form.getByLabel('Ends on').fill(`${year + 2}-12-31`);
  await form.getByRole('button', { name: 'Record the agreement' }).click();
  await page.getByText(`The agreement was recorded: ${TITLE}.`).waitFor();

  const row = agreements.getByRole('row', { name: new RegExp(TITLE.replace(/[()]/g, '\\$&')) });
  await row.waitFor();
  const cells = await row.getByRole('cell').allTextContents();
  assert.equal(cells[1], 'Memorandum of understanding');
  assert.deepEqual(cells[2].split('; ').sort(), [MIGRATION, OSCE].sort());
  assert.equal(cells[3], `${fmt(`${year}-01-01`)} – ${fmt(`${year + 2}-12-31`)}`);
  assert.equal(cells[4], 'In force');

  // By one partner, kept in the address: the demo's agreement with IOM alone is not among them.
  await agreements.getByLabel('Partner', { exact: true }).selectOption({ label: OSCE });
  await page.waitForURL(/partner=\d+/);
  const withOsce = agreements.getByRole('table', { name: `Agreements with ${OSCE}` });
  await withOsce.getByRole('row', { name: new RegExp(TITLE.replace(/[()]/g, '\\$&')) }).waitFor();
  assert.equal(await withOsce.getByRole('row', { name: /Reintegration of returning victims/ }).count(), 0);
  await agreements.getByLabel('Partner', { exact: true }).selectOption('');
  await agreements.getByRole('table', { name: 'Agreements, the latest start first' }).waitFor();

  // Its page: the facts, what was done under it (counts), and a change of its end.
  await row.getByRole('link', { name: TITLE }).click();
  await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  const facts = page.locator('dl.facts').first();
  await facts.getByText('In force').waitFor();
  await facts.getByText(fmt(`${year + 2}-12-31`)).waitFor();
  const activity = region(page, 'What was done under it');
  await activity.getByText('Awareness events held under it').waitFor();
  await activity.getByRole('link', { name: 'See the awareness work' }).waitFor();
  await activity.getByText('Cases its partners received').waitFor();
  await activity.getByText(/A count of the cases .* No case is shown or named here\./).waitFor();

  await page.getByRole('button', { name: 'Change', exact: true }).click();
  const change = region(page, 'Change the agreement');
  assert.equal(await change.getByLabel('Title').inputValue(), TITLE);
  assert.equal(await change.getByLabel('Ends on').inputValue(), `${year + 2}-12-31`);
  await change.getByLabel('Ends on').fill(`${year + 1}-06-30`);
  await change.getByRole('button', { name: 'Save the changes' }).click();
  await page.getByText('The agreement was changed.').waitFor();
  await facts.getByText(fmt(`${year + 1}-06-30`)).waitFor();
  const id = Number(/\/agreements\/(\d+)$/.exec(page.url())[1]);
  const stored = (await apiAs(page, 'GET', `/api/v1/agreements/${id}`)).body;
  assert.equal(stored.ends_on, `${year + 1}-06-30`);
  assert.equal(stored.version, 2);
  assert.equal(stored.scope, 'Information for seasonal workers before they leave, and a hotline abroad.');

  // Changed by someone else meanwhile: refused, with the common text.
  await page.getByRole('button', { name: 'Change', exact: true }).click();
  const { title, kind, party_organization_ids, signed_on, starts_on, ends_on, version } = stored;
  const elsewhere = { title, kind, party_organization_ids, signed_on, starts_on, ends_on, version, scope: 'Changed elsewhere.' };
  assert.equal((await apiAs(page, 'PUT', `/api/v1/agreements/${id}`, elsewhere)).status, 200);
  await change.getByLabel('Ends on').fill(`${year + 1}-03-31`);
  await change.getByRole('button', { name: 'Save the changes' }).click();
  await change.getByRole('alert').getByText('Someone changed this record while you were editing it.', { exact: false }).waitFor();
  assert.equal((await apiAs(page, 'GET', `/api/v1/agreements/${id}`)).body.ends_on, `${year + 1}-06-30`);
  assert.deepEqual(await axeViolations(page), []);

  // A convention and a round, through the forms.
  const CONVENTION = 'Convention on Action against Trafficking (e2e)';
  await page.getByRole('link', { name: 'All agreements' }).click();
  await page.getByRole('heading', { level: 1, name: 'International cooperation' }).waitFor();
  const conventions = region(page, 'Conventions');
  await conventions.getByRole('button', { name: 'Record a convention' }).click();
  const cform = region(page, 'Record a convention');
  await cform.getByLabel('Title').fill(CONVENTION);
  await cform.getByLabel('Monitoring body').fill('GRETA');
  await cform.getByLabel('Joined on').fill('2010-06-23');
  await cform.getByRole('button', { name: 'Record the convention' }).click();
  await page.getByText(`The convention was recorded: ${CONVENTION}.`).waitFor();
  const convention = page.getByRole('article', { name: CONVENTION });
  await convention.getByText('No reporting round has been recorded yet.').waitFor();

  await convention.getByRole('button', { name: /^Add a round/ }).click();
  const rform = region(page, `Add a reporting round: ${CONVENTION}`);
  assert.equal(await rform.getByLabel('Number of the round').inputValue(), '1');
  await rform.getByLabel('First year covered').fill('2008');
  await rform.getByLabel('Last year covered').fill('2022');
  await rform.getByRole('button', { name: 'Add the round' }).click();
  await rform.getByRole('alert').getByRole('link', { name: /First year covered: The round cannot cover a year before the state joined the convention \(2010\)/ }).waitFor();
  await rform.getByLabel('First year covered').fill('2019');
  await rform.getByLabel('Due').fill('2023-10-31');
  await rform.getByLabel('Submitted').fill('2023-10-16');
  await rform.getByRole('button', { name: 'Add the round' }).click();
  await page.getByText(`Round 1 was added: ${CONVENTION}.`).waitFor();
  const rounds = convention.getByRole('table', { name: `Reporting rounds: ${CONVENTION}` });
  await rounds.getByRole('row', { name: /2019–2022/ }).waitFor();
  const round = await rounds.locator('tbody tr').first().getByRole('cell').allTextContents();
  assert.deepEqual(round.slice(0, 4), ['1', '2019–2022', fmt('2023-10-31'), fmt('2023-10-16')]);
  for (const y of [2019, 2020, 2021, 2022])
    assert.equal(await rounds.getByRole('link', { name: `GRETA report, ${y}` }).getAttribute('href'), `/reports/greta?year=${y}`);

  // The same number again: refused by the server, said at the field.
  await convention.getByRole('button', { name: /^Add a round/ }).click();
  assert.equal(await rform.getByLabel('Number of the round').inputValue(), '2');
  await rform.getByLabel('Number of the round').fill('1');
  await rform.getByLabel('First year covered').fill('2023');
  await rform.getByLabel('Last year covered').fill('2026');
  await rform.getByRole('button', { name: 'Add the round' }).click();
  await rform.getByRole('alert').getByRole('link', { name: /Number of the round: The convention already has a round with this number/ }).waitFor();
  await rform.getByRole('button', { name: 'Cancel' }).click();

  // The round's submission date corrected later, through its "Change".
  await rounds.getByRole('button', { name: 'Change Round 1' }).click();
  const roundForm = region(page, 'Change round 1');
  await roundForm.getByLabel('Submitted', { exact: true }).fill('2023-10-20');
  await roundForm.getByRole('button', { name: 'Save' }).click();
  await page.getByText(`Round 1 of ${CONVENTION} was changed.`).waitFor();
  await rounds.locator('tbody tr').first().getByRole('cell', { name: fmt('2023-10-20') }).waitFor();
  const changed = await rounds.locator('tbody tr').first().getByRole('cell').allTextContents();
  assert.deepEqual(changed.slice(0, 4), ['1', '2019–2022', fmt('2023-10-31'), fmt('2023-10-20')]);

  // A report link opens the report screen for that year.
  await rounds.getByRole('link', { name: 'GRETA report, 2021' }).click();
  await page.waitForURL(/\/reports\/greta\?year=2021$/);
  await page.goBack();
  await page.getByRole('heading', { level: 1, name: 'International cooperation' }).waitFor();
  await row.waitFor();

  assert.deepEqual(await axeViolations(page), []);
  await screenshot(page, 'cooperation-en');
  await chooseLanguage(page, 'Azərbaycanca');
  await page.getByRole('heading', { level: 1, name: 'Beynəlxalq əməkdaşlıq' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Sazişlər' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Konvensiyalar' }).waitFor();
  const azRow = page.getByRole('row', { name: new RegExp(TITLE.replace(/[()]/g, '\\$&')) });
  await azRow.getByText('Qüvvədədir').waitFor();
  await azRow.getByText('Anlaşma memorandumu').waitFor();
  assert.equal(await page.getByText(/^(in_force|memorandum|draft|ended)$/).count(), 0);
  noIdentityLeak(page);
  await page.close();

  // A caseworker reads them, and records none.
  const reader = await demo.signedIn('caseworker');
  await menu(reader).getByRole('link', { name: 'International cooperation' }).click();
  await reader.getByRole('heading', { level: 1, name: 'International cooperation' }).waitFor();
  await reader.getByRole('row', { name: new RegExp(TITLE.replace(/[()]/g, '\\$&')) }).getByText('In force').waitFor();
  const theRound = reader.getByRole('article', { name: CONVENTION }).locator('tbody tr').first();
  await theRound.getByText('2019–2022').waitFor();
  assert.equal(await reader.getByRole('button', { name: /^Record/ }).count(), 0);
  assert.equal(await reader.getByRole('button', { name: /^Add a round/ }).count(), 0);
  // The reports are the statistics roles': the years without links.
  assert.equal(await theRound.getByRole('link').count(), 0);
  await reader.getByRole('link', { name: TITLE }).click();
  await reader.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  assert.equal(await reader.getByRole('button', { name: 'Change', exact: true }).count(), 0);
  assert.deepEqual(await axeViolations(reader), []);
  noIdentityLeak(reader);
  await reader.close();
});

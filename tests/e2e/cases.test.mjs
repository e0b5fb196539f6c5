// The caseworker's day: register a person and a case through the guided form, find
// the case in the list by its code (never a name), show the identity with a reason and
// find that view in the audit log, record a service, move the case on; the form
// survives an ended session; the screens are translated, accessible, and no name or
// birth date reaches an address, a title or the console.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiAs, axeViolations, chooseLanguage, demoInstance, screenshot, signIn } from './harness.mjs';

const demo = demoInstance();

// Unusual on purpose: any appearance of these is this test's person.
const GIVEN = 'Zəminə';
const FAMILY = 'Qaragözova';
const BIRTH = '1994-07-23';

let caseId;
let caseCode;
const titles = [];

async function english(page) {
  await chooseLanguage(page, 'English', { remembered: true });
  await page.getByRole('navigation', { name: 'Main menu' }).waitFor();
}

// The registration form as a caseworker fills it for this test's person.
async function fillRegistration(page) {
  await page.getByLabel('Given name', { exact: true }).fill(GIVEN);
  await page.getByLabel('Family name', { exact: true }).fill(FAMILY);
  await page.getByLabel('Sex', { exact: true }).selectOption('female');
  await page.getByLabel('Citizenship', { exact: true }).selectOption('UZ');
  await page.getByLabel('Date of birth', { exact: true }).fill(BIRTH);
  await page.getByLabel('Identified by', { exact: true }).selectOption({ index: 1 });
  await page.getByRole('group', { name: 'Forms of exploitation' }).getByRole('checkbox').first().check();
}

function noIdentityIn(page, extra = []) {
  const texts = [...page.seen.urls, ...page.seen.console, ...titles, ...extra];
  for (const t of texts) {
    for (const secret of [GIVEN, FAMILY, encodeURIComponent(GIVEN), encodeURIComponent(FAMILY), BIRTH])
      assert.ok(!t.includes(secret), `"${secret}" appeared in: ${t}`);
  }
}

test('a caseworker signs in with the keyboard only', async () => {
  const page = await demo.page();
  await page.goto('/');
  await page.getByLabel('İstifadəçi adı').waitFor();
  await page.keyboard.press('Tab'); // skip the language buttons to the first field
  for (let i = 0; i < 5 && !(await page.evaluate(() => document.activeElement?.id === 'username')); i++)
    await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'username');
  await page.keyboard.type('caseworker');
  await page.keyboard.press('Tab');
  await page.keyboard.type('haven-demo-2026');
  await page.keyboard.press('Enter');
  await page.getByRole('navigation', { name: 'Əsas menyu' }).waitFor();
  await page.context().close();
});

test('an empty registration names every missing field, at the top and next to each', async () => {
  const page = await demo.page();
  await signIn(page, 'caseworker');
  await english(page);
  await page.goto('/cases/new');
  await page.getByRole('button', { name: 'Check and register' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await summary.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('error-summary')), true);
  for (const message of ['Enter a given or family name', 'Choose the sex', 'Choose who identified the person', 'Select at least one form of exploitation'])
    assert.ok((await summary.textContent()).includes(message), message);
  // Each message also stands by its field, and the link in the summary leads there.
  await summary.getByRole('link', { name: /Sex/ }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'person.sex');
  assert.equal(await page.locator('#person\\.sex-error').count(), 1);
  const count = await apiAs(page, 'GET', '/api/v1/cases?limit=1');
  await page.context().close();
  assert.equal(count.status, 200);
});

test('register a person and a case; the case is listed by code, without the name', async () => {
  const page = await demo.page();
  page.on('framenavigated', async () => titles.push(await page.title().catch(() => '')));
  await signIn(page, 'caseworker');
  await english(page);
  await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Cases' }).click();
  await page.getByRole('link', { name: 'Register a person and a case' }).click();
  await fillRegistration(page);
  await axeViolations(page).then((v) => assert.deepEqual(v, [], 'register form'));
  await screenshot(page, 'register-en');
  await page.getByRole('button', { name: 'Check and register' }).click();
  await page.getByText(/^Case AZ-\d{4}-\d+ has been registered\.$/).waitFor();
  caseCode = (await page.getByRole('heading', { level: 1 }).textContent()).replace('Case ', '').trim();
  caseId = Number(new URL(page.url()).pathname.split('/').pop());
  assert.ok(caseId > 0);
  titles.push(await page.title());

  await page.goto(`/cases?code=${encodeURIComponent(caseCode)}`);
  const row = page.getByRole('row').filter({ hasText: caseCode });
  await row.waitFor();
  const listText = await page.locator('main').textContent();
  assert.ok(!listText.includes(GIVEN) && !listText.includes(FAMILY), 'the list shows no name');
  assert.ok(listText.includes('Uzbekistan'), 'citizenship shown in English');
  await axeViolations(page).then((v) => assert.deepEqual(v, [], 'case list'));
  await screenshot(page, 'cases-en');
  noIdentityIn(page);
  await page.context().close();
});

test('a second registration of the same person warns before saving', async () => {
  const page = await demo.page();
  await signIn(page, 'caseworker');
  await english(page);
  await page.goto('/cases/new');
  await fillRegistration(page);
  await page.getByRole('button', { name: 'Check and register' }).click();
  const warning = page.getByRole('alert').filter({ hasText: 'This person may be registered already' });
  await warning.waitFor();
  await warning.getByRole('link', { name: caseCode }).waitFor();
  // Nothing was saved: the user decides.
  const found = await apiAs(page, 'POST', '/api/v1/persons/lookup', { given_name: GIVEN, family_name: FAMILY, sex: 'female', citizenship: 'UZ', birth_date: BIRTH });
  assert.equal(found.body.own_cases.length, 1);
  noIdentityIn(page);
  await page.context().close();
});

test('past the hourly limit of look-ups, the case page shows what the save found', async () => {
  const page = await demo.page();
  await signIn(page, 'police');
  await english(page);
  // Use up the hour's look-ups (30 in demo.haven.toml's default).
  for (let i = 0; i < 40; i++) {
    const r = await apiAs(page, 'POST', '/api/v1/persons/lookup', { given_name: `Nobody${i}`, family_name: 'Example' });
    if (r.status === 429) break;
  }
  await page.goto('/cases/new');
  await fillRegistration(page);
  await page.getByRole('button', { name: 'Check and register' }).click();
  const warning = page.getByRole('alert').filter({ hasText: 'This person may be registered already' });
  await warning.getByText('The check before saving could not run').waitFor();
  // Another organisation's registration: its kind and day, never its case.
  await warning.getByText(/Non-governmental organisation|NGO/).waitFor();
  assert.equal(await warning.getByRole('link').count(), 0);
  noIdentityIn(page);
  await page.context().close();
});

test('show the identity with a reason; it hides on leaving; the auditor finds the view', async () => {
  const page = await demo.page();
  await signIn(page, 'caseworker');
  await english(page);
  await page.goto(`/cases/${caseId}`);
  await page.getByRole('button', { name: 'Show identity' }).click();
  const dialog = page.getByRole('dialog', { name: 'Why do you need the identity?' });
  await dialog.getByText('Your reason and this view are recorded in the audit log.').waitFor();
  await dialog.getByLabel('Reason').fill('to prepare the residence permit application');
  await dialog.getByRole('button', { name: 'Show and record' }).click();
  const shown = page.getByRole('region', { name: 'Identity' });
  await shown.getByText(`${GIVEN} ${FAMILY}`).waitFor();
  assert.ok((await shown.textContent()).includes('Uzbekistan'));
  titles.push(await page.title());
  // Leaving the page forgets it.
  await page.getByRole('link', { name: 'Cases' }).first().click();
  await page.getByRole('heading', { name: 'Cases', level: 1 }).waitFor();
  await page.goBack();
  await page.getByRole('button', { name: 'Show identity' }).waitFor();
  assert.equal(await page.getByText(`${GIVEN} ${FAMILY}`).count(), 0);
  noIdentityIn(page);
  await page.context().close();

  const auditor = await demo.page();
  await signIn(auditor, 'auditor');
  const log = await apiAs(auditor, 'GET', `/api/v1/audit?action=case.identity_view&object_id=${caseId}`);
  assert.equal(log.status, 200);
  assert.equal(log.body.items.length, 1);
  assert.equal(log.body.items[0].reason, 'to prepare the residence permit application');
  assert.equal(log.body.items[0].actor_username, 'caseworker');
  await auditor.goto('/audit');
  await auditor.getByText('case.identity_view').first().waitFor();
  await auditor.context().close();
});

test('record a service and move the case on; both appear on the timeline', async () => {
  const page = await demo.page();
  await signIn(page, 'caseworker');
  await english(page);
  await page.goto(`/cases/${caseId}`);
  await page.getByRole('tab', { name: 'Services' }).click();
  await page.getByLabel('Service', { exact: true }).selectOption('medical');
  await page.getByLabel('Minutes').fill('45');
  await page.getByRole('button', { name: 'Record the service' }).click();
  await page.getByText('The service has been recorded.').waitFor();
  await page.getByRole('cell', { name: 'Medical' }).first().waitFor();

  await page.getByRole('tab', { name: 'Overview' }).click();
  const next = page.getByLabel('New status');
  const options = await next.locator('option').allTextContents();
  assert.ok(options.length > 1, `next statuses: ${options}`);
  await next.selectOption({ index: 1 });
  const chosen = (await next.locator('option:checked').textContent()).trim();
  await page.getByLabel('Note').fill('Agreed with the person at the first meeting.');
  await page.getByRole('button', { name: 'Record the decision' }).click();
  await page.getByText(/The status has been changed\.|sent to your supervisor/).waitFor();
  const timeline = page.getByRole('region', { name: 'Timeline' });
  await timeline.getByText('Service: Medical').waitFor();
  await timeline.getByText(new RegExp(`→ ${chosen}`)).waitFor();
  await axeViolations(page).then((v) => assert.deepEqual(v, [], 'case page'));
  await screenshot(page, 'case-en');
  await page.context().close();
});

test('an ended session asks to sign in again and the half-filled form is kept', async () => {
  const page = await demo.page();
  await signIn(page, 'caseworker');
  await english(page);
  await page.goto(`/cases/${caseId}`);
  await page.getByRole('tab', { name: 'Notes' }).click();
  await page.getByLabel('New note').fill('She asked for a lawyer who speaks Uzbek.');
  // The session ends on the server (as after its hours) while she types.
  const ended = await apiAs(page, 'POST', '/api/v1/auth/logout');
  assert.equal(ended.status, 204);
  await page.getByRole('button', { name: 'Add the note' }).click();
  const dialog = page.getByRole('dialog', { name: 'Your session has ended' });
  await dialog.getByLabel('Password').fill('haven-demo-2026');
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('She asked for a lawyer who speaks Uzbek.').last().waitFor();
  const notes = await apiAs(page, 'GET', `/api/v1/cases/${caseId}/notes`);
  assert.equal(notes.body.items.length, 1);
  assert.equal(notes.body.items[0].text, 'She asked for a lawyer who speaks Uzbek.');
  await page.context().close();
});

test('Russian and English, and the language is remembered with the account', async () => {
  const page = await demo.page();
  await signIn(page, 'caseworker2');
  await page.getByRole('button', { name: 'Русский', exact: true }).click();
  await page.getByRole('navigation', { name: 'Главное меню' }).getByRole('link', { name: 'Дела' }).click();
  await page.getByRole('heading', { name: 'Дела', level: 1 }).waitFor();
  await page.getByRole('columnheader', { name: 'Гражданство' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ru');
  await page.context().close();

  // A new browser: the account remembers Russian.
  const again = await demo.page();
  await signIn(again, 'caseworker2');
  await again.getByRole('navigation', { name: 'Главное меню' }).waitFor();
  await chooseLanguage(again, 'English', { remembered: true });
  await again.goto('/cases');
  await again.getByRole('heading', { name: 'Cases', level: 1 }).waitFor();
  await again.context().close();
});

test('the Azerbaijani screens (the default), for the documentation', async () => {
  const page = await demo.page({ locale: 'az-AZ' });
  await page.goto('/');
  await screenshot(page, 'sign-in-az');
  await signIn(page, 'caseworker');
  await chooseLanguage(page, 'Azərbaycanca', { remembered: true });
  await page.goto('/cases');
  await page.getByRole('heading', { name: 'İşlər', level: 1 }).waitFor();
  await axeViolations(page).then((v) => assert.deepEqual(v, [], 'case list (az)'));
  await screenshot(page, 'cases-az');
  await page.goto(`/cases/${caseId}`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await screenshot(page, 'case-az');
  assert.deepEqual(page.seen.errors, []);
  await page.context().close();
});

// Everyday casework through the screens: a caseworker records a residence permit,
// then its decision, a criminal proceeding and a compensation claim; a supervisor
// leaves nobody in charge of the case; the caseworker corrects the case's facts and the
// person's identity, takes the case herself, adds a document and downloads it again. Each form tells what is missing before it sends, the
// server holds what the screens show, and the screens pass axe-core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiAs, axeViolations, chooseLanguage, demoInstance, noIdentityLeak, screenshot } from './harness.mjs';

const demo = demoInstance();

// The state the tests build on (they run in order).
const shared = {};

// An open case of the caseworker's organisation.
async function openCase(page) {
  const cases = await apiAs(page, 'GET', '/api/v1/cases?limit=200');
  assert.equal(cases.status, 200);
  const c = cases.body.items.find((x) => x.access.basis === 'owner' && x.status && x.status !== 'closed');
  assert.ok(c, 'the demo has an open case');
  return c;
}

const region = (page, name) => page.getByRole('region', { name });

test('a caseworker records a permit and its decision, a proceeding and a claim', async () => {
  const page = await demo.signedIn('caseworker');
  const c = await openCase(page);
  shared.caseId = c.id;
  await page.goto(`/cases/${c.id}`);
  await page.getByRole('tab', { name: 'Protection and justice' }).click();
  await page.getByRole('heading', { level: 2, name: 'Residence permits' }).waitFor();

  // A permit application, first sent incomplete: the summary names what is missing.
  await page.getByRole('button', { name: 'Record a permit application' }).click();
  const permit = region(page, 'Record a permit application');
  await permit.getByRole('button', { name: 'Save' }).click();
  const summary = permit.getByRole('alert');
  await summary.getByText('There is a problem').waitFor();
  await summary.getByRole('link', { name: /Kind of permit/ }).waitFor();
  await permit.getByLabel('Kind of permit').selectOption('temporary_residence');
  await permit.getByLabel('Applied on').fill('2026-02-02');
  // The decision's date is asked for only once there is a decision.
  assert.equal(await permit.getByLabel('Decided on').count(), 0);
  assert.deepEqual(await axeViolations(page), []);
  await permit.getByRole('button', { name: 'Save' }).click();
  await page.getByText(/Temporary residence permit · applied 2 Feb 2026 · Decision pending/).waitFor();

  // Its decision, as a change of the record read (its version goes with it).
  await page.getByRole('button', { name: 'Change Residence permits 1' }).click();
  const change = region(page, 'Residence permits');
  await change.getByLabel('Decision').selectOption('granted');
  // A decision before the application: the server's rule, in the user's words.
  await change.getByLabel('Decided on').fill('2026-01-15');
  await change.getByRole('button', { name: 'Save' }).click();
  await change.getByText('The date is before 2 Feb 2026, which it must follow').first().waitFor();
  await change.getByLabel('Decided on').fill('2026-03-01');
  await change.getByLabel('Expires on').fill('2027-03-01');
  await change.getByRole('button', { name: 'Save' }).click();
  await page.getByText(/Granted 1 Mar 2026 · expires 1 Mar 2027/).waitFor();
  const permits = await apiAs(page, 'GET', `/api/v1/cases/${c.id}/residence-permits`);
  assert.equal(permits.body.items.length, 1);
  assert.equal(permits.body.items[0].decision, 'granted');
  assert.equal(permits.body.items[0].version, 2);

  // A proceeding: whether she cooperates is her own answer.
  await page.getByRole('button', { name: 'Record a proceeding' }).click();
  const proceeding = region(page, 'Record a proceeding');
  await proceeding.getByLabel('Stage', { exact: true }).selectOption('investigation');
  await proceeding.getByLabel('Started on').fill('2026-02-10');
  await proceeding.getByRole('radio', { name: 'Yes' }).check();
  await proceeding.getByRole('button', { name: 'Save' }).click();
  await page.getByText(/Investigation · since 10 Feb 2026 · cooperating/).waitFor();

  // A compensation claim in manat, written as people write amounts.
  await page.getByRole('button', { name: 'Record a compensation claim' }).click();
  const claim = region(page, 'Record a compensation claim');
  await claim.getByLabel('Route').selectOption('criminal_proceedings');
  await claim.getByLabel('Filed on').fill('2026-03-05');
  await claim.getByLabel('Amount claimed').fill('1500,x');
  await claim.getByRole('button', { name: 'Save' }).click();
  await claim.getByText('Enter an amount such as 150 or 150.50').first().waitFor();
  await claim.getByLabel('Amount claimed').fill('1500,50');
  await claim.getByRole('button', { name: 'Save' }).click();
  await page.getByText(/claimed .*1,500\.50/).waitFor();
  const claims = await apiAs(page, 'GET', `/api/v1/cases/${c.id}/compensation-claims`);
  assert.equal(claims.body.items[0].amount_claimed_minor, 150050);
  assert.equal(claims.body.items[0].currency, 'AZN');
  await screenshot(page, 'case-justice-en');
  // The same tab in Azerbaijani: its own words, the dates as 01.03.2026.
  await chooseLanguage(page, 'Azərbaycanca');
  await page.getByRole('heading', { level: 2, name: 'Yaşayış icazələri' }).waitFor();
  // The lists' labels change with the words, never a bare code in between.
  assert.equal(await page.getByText(/temporary_residence|granted/).count(), 0);
  await page.getByText(/Müvəqqəti yaşamaq üçün icazə · 02\.02\.2026/).waitFor();
  await page.getByText(/01\.03\.2026/).first().waitFor();
  await screenshot(page, 'case-justice-az');
  noIdentityLeak(page);
  await page.close();
});

test('a supervisor sees who may hold the case and leaves nobody in charge', async () => {
  const page = await demo.signedIn('supervisor');
  await page.goto(`/cases/${shared.caseId}`);
  const inCharge = region(page, 'Caseworker in charge');
  await inCharge.getByLabel('Put in charge').waitFor();
  const choices = await inCharge.getByLabel('Put in charge').locator('option').allTextContents();
  assert.ok(choices.includes('caseworker') && choices.includes('supervisor'), choices.join(', '));
  assert.ok(!choices.includes('shelter') && !choices.includes('analyst') && !choices.includes('caseworker2'), 'only the organisation\'s accounts that may hold a case');
  await inCharge.getByLabel('Put in charge').selectOption({ label: 'Nobody' });
  await inCharge.getByRole('button', { name: 'Assign' }).click();
  await inCharge.getByText('The caseworker in charge was changed.').waitFor();
  await inCharge.getByRole('paragraph').getByText('Nobody', { exact: true }).waitFor();
  const c = await apiAs(page, 'GET', `/api/v1/cases/${shared.caseId}`);
  assert.equal(c.body.assigned_to, null);
  assert.deepEqual(await axeViolations(page), []);
  noIdentityLeak(page);
  await page.close();
});

test('a caseworker corrects the facts and the identity, takes the case, adds a document and opens it', async () => {
  const page = await demo.signedIn('caseworker');
  const before = await apiAs(page, 'GET', `/api/v1/cases/${shared.caseId}`);
  await page.goto(`/cases/${shared.caseId}`);
  await page.getByRole('button', { name: 'Correct the facts' }).click();
  const facts = region(page, 'Correct the facts');
  const other = before.body.region === 'AZ-GA' ? 'AZ-SA' : 'AZ-GA';
  await facts.getByLabel('Region').selectOption(other);
  await facts.getByRole('button', { name: 'Save' }).click();
  await page.getByText('The facts were corrected.').waitFor();
  const after = await apiAs(page, 'GET', `/api/v1/cases/${shared.caseId}`);
  assert.equal(after.body.region, other);
  assert.equal(after.body.version, before.body.version + 1);
  assert.deepEqual(after.body.exploitation, before.body.exploitation, 'only the changed field was sent');

  // Left with nobody in charge by the supervisor, she takes it herself.
  await page.getByRole('button', { name: 'Take this case' }).click();
  await region(page, 'Caseworker in charge').getByText('You', { exact: true }).waitFor();
  const me = await apiAs(page, 'GET', '/api/v1/auth/session');
  assert.equal((await apiAs(page, 'GET', `/api/v1/cases/${shared.caseId}`)).body.assigned_to, me.body.user.id);

  // The identity, shown for a stated reason, corrected with another.
  await page.getByRole('button', { name: 'Show identity' }).click();
  await page.getByLabel('Reason').fill('correcting the spelling from her passport');
  await page.getByRole('button', { name: 'Show and record' }).click();
  await page.getByRole('button', { name: 'Correct the identity' }).click();
  const identity = region(page, 'Correct the identity');
  await identity.getByLabel('Given name').fill('Aytən');
  await identity.getByRole('button', { name: 'Save' }).click();
  await identity.getByRole('link', { name: /Why is the identity corrected/ }).waitFor();
  await identity.getByLabel('Why is the identity corrected?').fill('spelling as in the passport');
  await identity.getByRole('button', { name: 'Save' }).click();
  await page.getByText('The identity was corrected.').waitFor();
  await page.getByText(/^Aytən /).waitFor();
  const read = await apiAs(page, 'POST', `/api/v1/cases/${shared.caseId}/identity-views`, { reason: 'e2e check of the correction' });
  assert.equal(read.body.given_name, 'Aytən');
  assert.deepEqual(await axeViolations(page), []);

  await page.getByRole('tab', { name: 'Documents' }).click();
  await page.getByRole('heading', { level: 3, name: 'Add a document' }).waitFor();
  await page.getByLabel('Title').fill('medical certificate');
  const pdf = Buffer.from('%PDF-1.4\n% e2e\n%%EOF\n');
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'certificate.pdf', mimeType: 'application/pdf', buffer: pdf });
  await page.getByRole('button', { name: 'Add the document' }).click();
  await page.getByText('The document was added.').waitFor();
  await page.getByRole('cell', { name: 'medical certificate', exact: true }).waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await screenshot(page, 'case-documents-en');
  const downloaded = page.waitForEvent('download');
  await page.getByRole('button', { name: /Download medical certificate/ }).click();
  const file = await downloaded;
  assert.match(file.suggestedFilename(), /^attachment-\d+\.pdf$/, 'the name never carries the title');
  noIdentityLeak(page);
  await page.close();
});


test('a coordinator refers a case without consent on a stated legal ground', async () => {
  const page = await demo.signedIn('coordinator');
  await page.goto(`/cases/${shared.caseId}`);
  await page.getByRole('button', { name: 'Refer without consent' }).click();
  const form = region(page, 'Refer this case without consent');
  await form.getByLabel('Refer to').selectOption({ label: 'State Shelter for Victims of Trafficking' });
  await form.getByRole('group', { name: 'Purposes' }).getByLabel('Shelter', { exact: true }).check();
  await form.getByLabel('Legal ground').selectOption('vital_interest');
  // Sent without saying what it may read or why: both are asked for.
  await form.getByRole('button', { name: 'Send referral' }).click();
  await form.getByRole('link', { name: /What the receiving organisation may read/ }).waitFor();
  await form.getByRole('link', { name: /Why consent cannot be asked for/ }).waitFor();
  await form.getByRole('group', { name: /What the receiving organisation may read/ }).getByLabel('Case facts').check();
  await form.getByLabel('Why consent cannot be asked for or waited for').fill('she is in danger tonight and cannot be reached');
  assert.deepEqual(await axeViolations(page), []);
  await form.getByRole('button', { name: 'Send referral' }).click();
  await page.getByText('The case has been referred to State Shelter for Victims of Trafficking.').waitFor();

  // (no direction: the coordinator's national view of every referral)
  const sent = await apiAs(page, 'GET', '/api/v1/referrals?status=pending&limit=200');
  const r = sent.body.items.find((x) => x.case_id === shared.caseId);
  assert.ok(r, 'the referral is recorded');
  assert.deepEqual(r.override, { basis: 'vital_interest', categories: ['case_facts'] });
  assert.deepEqual(r.next_steps, ['revoke']);
  noIdentityLeak(page);
  await page.close();
});

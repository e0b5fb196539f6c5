// Shelters and allowances through the screens: a shelter manager admits a case by its
// code and sees a bed taken, then discharges it and sees the bed free again; a
// coordinator approves and rejects payments awaiting approval and sees them leave the
// queue; the screens pass axe-core and are translated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiAs, axeViolations, chooseLanguage, demoInstance, noIdentityLeak, screenshot } from './harness.mjs';

const demo = demoInstance();

// A payment request needs an Idempotency-Key header, which apiAs does not send.
async function requestPayment(page, caseId, paidOn) {
  return page.evaluate(
    async ({ caseId, paidOn }) => {
      const s = await fetch('/api/v1/auth/session').then((r) => r.json());
      const r = await fetch(`/api/v1/cases/${caseId}/payments`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-CSRF-Token': s.csrf_token,
          'Idempotency-Key': `e2e-${caseId}-${paidOn}-${Math.random()}`,
        },
        body: JSON.stringify({ kind: 'monthly_allowance', paid_on: paidOn }),
      });
      return { status: r.status, body: await r.json() };
    },
    { caseId, paidOn },
  );
}

const today = () => new Date().toISOString().slice(0, 10);

// An open case of the user's own organisation that is in no shelter now.
async function caseOutOfShelter(page) {
  const cases = await apiAs(page, 'GET', '/api/v1/cases?limit=200');
  assert.equal(cases.status, 200);
  for (const c of cases.body.items) {
    if (c.access.basis !== 'owner' || c.status === 'closed' || !c.identified_on || c.identified_on > today()) continue;
    const stays = await apiAs(page, 'GET', `/api/v1/cases/${c.id}/stays`);
    if (stays.status === 200 && stays.body.items.every((s) => s.discharged_on)) return c;
  }
  throw new Error('the demo has no open case out of a shelter');
}

test('a shelter manager admits a case by its code and discharges it; the beds follow', async () => {
  const page = await demo.signedIn('shelter');
  const c = await caseOutOfShelter(page);

  await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Shelters' }).click();
  await page.getByRole('heading', { level: 1, name: 'Shelters' }).waitFor();
  await page.getByRole('columnheader', { name: 'Beds free' }).waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await screenshot(page, 'shelters-en');

  await page.getByRole('link', { name: /^State Shelter for Victims of Trafficking/ }).click();
  await page.getByRole('heading', { level: 1, name: /State Shelter/ }).waitFor();
  const free = async () => Number((await page.getByTestId('free').textContent()).replace(/\D/g, ''));
  const occupied = async () => Number((await page.getByTestId('occupied').textContent()).replace(/\D/g, ''));
  const before = { free: await free(), occupied: await occupied() };
  assert.ok(before.free > 0, 'the state shelter has a free bed');
  assert.deepEqual(await axeViolations(page), []);

  // A wrong code is refused next to the field, before anything is written.
  await page.getByLabel('Case code', { exact: true }).fill('AZ-1999-999999');
  await page.getByRole('button', { name: 'Admit', exact: true }).click();
  await page.locator('#case_code-error').getByText('There is no case with this code, or it is not open to you').waitFor();
  await page.getByRole('alert').getByRole('link', { name: /Case code/ }).waitFor();

  await page.getByLabel('Case code', { exact: true }).fill(c.code.toLowerCase());
  await page.getByRole('button', { name: 'Admit', exact: true }).click();
  await page.getByText(`Case ${c.code} has been admitted.`).waitFor();
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid="occupied"]')?.textContent?.replace(/\D/g, '') === String(n),
    before.occupied + 1,
  );
  assert.equal(await free(), before.free - 1);
  const row = page.getByRole('row', { name: new RegExp(c.code) });
  await row.getByText('In the shelter').waitFor();
  await screenshot(page, 'shelter-admitted-en');

  // Admitting the same case again is refused: she is already in a shelter.
  await page.getByLabel('Case code', { exact: true }).fill(c.code);
  await page.getByRole('button', { name: 'Admit', exact: true }).click();
  await page.locator('#case_code-error').getByText('This case is already in a shelter. Discharge it there first.').waitFor();

  await row.getByRole('button', { name: `Discharge ${c.code}` }).click();
  const dialog = page.getByRole('dialog', { name: `Discharge case ${c.code}` });
  await dialog.waitFor();
  assert.deepEqual(await axeViolations(page), []);
  // No reason: the dialog says so and stays open.
  await dialog.getByRole('button', { name: 'Discharge', exact: true }).click();
  await dialog.locator('#discharge_reason-error').getByText('Choose the reason for discharge').waitFor();
  await dialog.getByLabel('Reason for discharge').selectOption({ label: 'Returned home' });
  await dialog.getByRole('button', { name: 'Discharge', exact: true }).click();
  await page.getByText(`The stay of case ${c.code} has ended.`).waitFor();
  await dialog.waitFor({ state: 'detached' });
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid="occupied"]')?.textContent?.replace(/\D/g, '') === String(n),
    before.occupied,
  );
  assert.equal(await free(), before.free);
  // She no longer stays here: the list of who stays now has no row for her.
  await row.waitFor({ state: 'detached' });

  // The server holds the same.
  const stays = await apiAs(page, 'GET', `/api/v1/cases/${c.id}/stays`);
  const last = stays.body.items.find((s) => s.discharged_on === today() && s.discharge_reason === 'returned_home');
  assert.ok(last, 'the stay was discharged today as returned home');
  noIdentityLeak(page);
  await page.context().close();
});

test('who stays now is listed by case code, and a stay admitted elsewhere is discharged from it', async () => {
  const page = await demo.signedIn('shelter');
  const c = await caseOutOfShelter(page);
  const admitted = await page.evaluate(async (caseId) => {
    const s = await fetch('/api/v1/auth/session').then((r) => r.json());
    const r = await fetch('/api/v1/shelters/1/stays', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token },
      body: JSON.stringify({ case_id: caseId }),
    });
    return r.status;
  }, c.id);
  assert.equal(admitted, 201);
  await page.goto('/shelters/1');
  await page.getByRole('heading', { level: 1, name: /State Shelter/ }).waitFor();
  await page.getByRole('heading', { name: 'Who stays here now' }).waitFor();
  const row = page.getByRole('row', { name: new RegExp(c.code) });
  await row.getByText('In the shelter').waitFor();
  await row.getByRole('button', { name: `Discharge ${c.code}` }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Reason for discharge').selectOption({ label: 'Left voluntarily' });
  await dialog.getByRole('button', { name: 'Discharge', exact: true }).click();
  await page.getByText(`The stay of case ${c.code} has ended.`).waitFor();
  await row.waitFor({ state: 'detached' });
  noIdentityLeak(page);
  await page.context().close();
});

test('a coordinator approves one payment and rejects another; both leave the queue', async () => {
  // The caseworker requests two payments for this month (the demo approved all of its own).
  const cw = await demo.signedIn('caseworker');
  const cases = await apiAs(cw, 'GET', '/api/v1/cases?limit=200');
  const eligible = cases.body.items.filter((c) => c.victim_status === 'granted' && c.status !== 'closed' && c.access.basis === 'owner');
  const requested = [];
  for (const c of eligible) {
    if (requested.length === 2) break;
    const r = await requestPayment(cw, c.id, today());
    if (r.status === 201) requested.push({ code: c.code, payment: r.body });
  }
  assert.equal(requested.length, 2, 'two payments requested');
  await cw.context().close();

  const page = await demo.signedIn('coordinator');
  await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Allowances' }).click();
  await page.getByRole('heading', { level: 2, name: 'Payments awaiting approval' }).waitFor();
  const [toApprove, toReject] = requested;
  const rowOf = (code) => page.getByRole('row', { name: new RegExp(code) });
  await rowOf(toApprove.code).waitFor();
  await rowOf(toReject.code).waitFor();
  await page.getByRole('columnheader', { name: 'In force from' }).waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await screenshot(page, 'allowances-en');

  await rowOf(toApprove.code).getByRole('button', { name: `Approve ${toApprove.code}` }).click();
  await page.getByText(new RegExp(`for case ${toApprove.code} has been approved`)).waitFor();
  await rowOf(toApprove.code).waitFor({ state: 'detached' });

  await rowOf(toReject.code).getByRole('button', { name: `Reject ${toReject.code}` }).click();
  const dialog = page.getByRole('dialog', { name: `Reject the payment for case ${toReject.code}` });
  await dialog.waitFor();
  await dialog.getByLabel('Why is the payment rejected?').fill('no');
  await dialog.getByRole('button', { name: 'Reject the payment' }).click();
  await dialog.locator('#decide_reason-error').getByText('State the reason in at least 5 characters').waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await dialog.getByLabel('Why is the payment rejected?').fill('Requested twice for the same month by mistake.');
  await dialog.getByRole('button', { name: 'Reject the payment' }).click();
  await page.getByText(`The payment for case ${toReject.code} has been rejected.`).waitFor();
  await rowOf(toReject.code).waitFor({ state: 'detached' });

  // The server holds the same.
  const ledger = await apiAs(page, 'GET', '/api/v1/payments?limit=20');
  const status = (id) => ledger.body.items.find((p) => p.id === id)?.status;
  assert.equal(status(toApprove.payment.id), 'approved');
  assert.equal(status(toReject.payment.id), 'rejected');
  noIdentityLeak(page);

  await chooseLanguage(page, 'Azərbaycanca');
  await page.getByRole('heading', { level: 1, name: 'Müavinətlər' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Təsdiq gözləyən ödənişlər' }).waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await screenshot(page, 'allowances-az');
  await page.context().close();
});

test('a coordinator sets a rate; a wrong amount is refused next to the field', async () => {
  const page = await demo.signedIn('coordinator');
  await page.goto('/allowances');
  await page.getByRole('heading', { level: 3, name: 'Set a new rate' }).waitFor();
  await page.getByLabel('Kind of allowance').fill('one_time_grant');
  await page.getByLabel('Amount', { exact: true }).fill('12.345');
  await page.getByLabel('In force from').fill('2025-01-01');
  await page.getByRole('button', { name: 'Set the rate' }).click();
  await page.locator('#rate_amount-error').getByText('Enter a positive amount, such as 300 or 300.50').waitFor();
  await page.getByLabel('Amount', { exact: true }).fill('500');
  await page.getByLabel('Paid', { exact: true }).selectOption('once');
  await page.getByRole('button', { name: 'Set the rate' }).click();
  await page.getByText(/The rate of One-time grant is .*500/).waitFor();
  await page.getByRole('row', { name: /One-time grant/ }).getByText('In force').waitFor();
  // The same kind on the same day again: the server's conflict, next to the date.
  await page.getByLabel('Kind of allowance').fill('one_time_grant');
  await page.getByLabel('Amount', { exact: true }).fill('600');
  await page.getByLabel('Paid', { exact: true }).selectOption('once');
  await page.getByLabel('In force from').fill('2025-01-01');
  await page.getByRole('button', { name: 'Set the rate' }).click();
  await page.locator('#rate_effective_from-error').getByText('A rate of this kind already takes effect on that date.').waitFor();
  await page.context().close();
});

test('the shelters screen in Russian and Azerbaijani', async () => {
  const page = await demo.signedIn('shelter');
  await page.goto('/shelters');
  await page.getByRole('heading', { level: 1, name: 'Shelters' }).waitFor();
  await chooseLanguage(page, 'Русский');
  await page.getByRole('heading', { level: 1, name: 'Приюты' }).waitFor();
  await page.getByRole('columnheader', { name: 'Свободно мест' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Добавить приют' }).waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await screenshot(page, 'shelters-ru');
  await page.getByRole('link', { name: /^State Shelter/ }).click();
  await page.getByRole('heading', { level: 2, name: 'Принять дело' }).waitFor();
  await page.getByLabel('Код дела', { exact: true }).waitFor();
  await chooseLanguage(page, 'Azərbaycanca');
  await page.getByRole('heading', { level: 2, name: 'İşi qəbul et' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Son 30 gündə tutulmuş yerlər' }).waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await screenshot(page, 'shelters-az');
  noIdentityLeak(page);
  await page.context().close();
});

test("on a case's page, its shelter stays and its payments", async () => {
  // The shelter manager admits her own case from its page, and discharges it there.
  const page = await demo.signedIn('shelter');
  const c = await caseOutOfShelter(page);
  await page.goto(`/cases/${c.id}`);
  await page.getByRole('tab', { name: /^Shelter/ }).click();
  const stays = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Shelter stays' }) });
  await stays.waitFor();
  await stays.getByLabel('Shelter', { exact: true }).waitFor();
  await stays.getByRole('button', { name: 'Admit', exact: true }).click();
  await stays.getByText(/The case has been admitted to State Shelter/).waitFor();
  const open = stays.getByRole('row', { name: /In the shelter/ });
  await open.waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await open.getByRole('button', { name: 'Discharge' }).click();
  const dialog = page.getByRole('dialog', { name: 'Discharge from the shelter' });
  await dialog.getByLabel('Reason for discharge').selectOption({ label: 'Support plan completed' });
  await dialog.getByRole('button', { name: 'Discharge', exact: true }).click();
  await stays.getByText('The stay has ended.').waitFor();
  await stays.getByRole('cell', { name: 'Support plan completed' }).first().waitFor();
  await stays.getByRole('heading', { name: 'Admit a case' }).waitFor();
  noIdentityLeak(page);
  await page.context().close();

  // The caseworker requests a payment on a case's page (the amount from the rate
  // schedule), sees it await approval, and cancels her request with a reason.
  const cw = await demo.signedIn('caseworker');
  const cases = await apiAs(cw, 'GET', '/api/v1/cases?limit=200');
  const now = new Date();
  const month = (back) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString().slice(0, 7);
  let chosen = null;
  for (const k of cases.body.items) {
    if (k.victim_status !== 'granted' || k.status === 'closed' || k.access.basis !== 'owner') continue;
    const paid = await apiAs(cw, 'GET', `/api/v1/cases/${k.id}/payments?limit=200`);
    const taken = new Set(paid.body.items.map((p) => p.period));
    const free = [1, 2, 3].map(month).find((m) => !taken.has(m) && `${m}-01` >= k.identified_on);
    if (free) {
      chosen = { c: k, on: `${free}-01` };
      break;
    }
  }
  assert.ok(chosen, 'an eligible case with a month not yet paid');
  await cw.goto(`/cases/${chosen.c.id}`);
  await cw.getByRole('tab', { name: /^Allowances/ }).click();
  const payments = cw.locator('section', { has: cw.getByRole('heading', { level: 2, name: 'Allowance payments' }) });
  await payments.getByRole('heading', { level: 3, name: 'Request a payment' }).waitFor();
  const kind = payments.getByLabel('Kind of allowance');
  // One kind: chosen already; several (another test adds one): chosen here.
  if ((await kind.locator('option').count()) > 1) await kind.selectOption({ label: 'Monthly allowance' });
  await payments.getByLabel('Date of payment').fill(chosen.on);
  await payments.getByText(/Amount: .*300/).waitFor();
  await payments.getByRole('button', { name: 'Request the payment' }).click();
  await payments.getByText('The payment has been requested. It awaits approval.').waitFor();
  const row = payments.getByRole('row', { name: /Awaiting approval/ });
  await row.waitFor();
  assert.deepEqual(await axeViolations(cw), []);
  // The same month again: the server's refusal, next to the date.
  await payments.getByLabel('Date of payment').fill(chosen.on);
  await payments.getByRole('button', { name: 'Request the payment' }).click();
  await cw.locator('#payment_paid_on-error').getByText('This case already has this allowance for that period.').waitFor();
  await row.getByRole('button', { name: /Cancel the request/ }).click();
  const cancel = cw.getByRole('dialog', { name: 'Cancel the payment request' });
  await cancel.getByLabel('Why is the request cancelled?').fill('Requested for the wrong month.');
  await cancel.getByRole('button', { name: 'Cancel the request' }).click();
  await payments.getByText('The request has been cancelled.').waitFor();
  await payments.getByRole('row', { name: /Cancelled/ }).first().waitFor();
  noIdentityLeak(cw);
  await cw.context().close();
});

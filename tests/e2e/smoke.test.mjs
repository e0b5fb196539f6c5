// The application starts, every role signs in and sees only its own screens, sign-out
// ends the session.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoInstance, signIn } from './harness.mjs';

const demo = demoInstance();

const MENUS = {
  caseworker: ['Cases', 'Tasks', 'Referrals', 'Shelters', 'Allowances', 'Awareness work', 'Action plan', 'International cooperation'],
  supervisor: ['Cases', 'Tasks', 'Closure requests', 'Referrals', 'Shelters', 'Allowances', 'Awareness work', 'Action plan', 'International cooperation'],
  shelter: ['Cases', 'Tasks', 'Referrals', 'Shelters', 'Allowances', 'Awareness work', 'Action plan', 'International cooperation'],
  coordinator: ['Cases', 'Referrals', 'Shelters', 'Allowances', 'Awareness work', 'Action plan', 'International cooperation', 'Reports', 'Organisations', 'Users'],
  analyst: ['Awareness work', 'Action plan', 'International cooperation', 'Reports'],
  auditor: ['Awareness work', 'Action plan', 'International cooperation', 'Audit log'],
  admin: ['Awareness work', 'Action plan', 'International cooperation', 'Organisations', 'Users'],
};

for (const [username, menu] of Object.entries(MENUS)) {
  test(`${username} sees the screens of the role, and no other`, async () => {
    const page = await demo.page();
    await signIn(page, username);
    await page.getByRole('button', { name: 'English', exact: true }).click();
    const nav = page.getByRole('navigation', { name: 'Main menu' });
    await nav.waitFor();
    const items = await nav.getByRole('link').allTextContents();
    assert.deepEqual(items, menu);
    await page.context().close();
  });
}

test('a wrong password is refused with a message, and the right one signs in', async () => {
  const page = await demo.page();
  await page.goto('/');
  await page.getByRole('button', { name: 'English', exact: true }).click();
  await page.getByLabel('Username').fill('caseworker');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').getByText('The username or password is wrong.').waitFor();
  await signIn(page, 'caseworker');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Username').waitFor();
  const session = await page.evaluate(() => fetch('/api/v1/auth/session').then((r) => r.status));
  assert.equal(session, 401);
  await page.context().close();
});

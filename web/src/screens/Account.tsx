import { ChangePasswordForm } from './ChangePassword';
import { SecondFactorSettings } from './SecondFactor';
import { Facts, usePageTitle } from '../components/ui';
import { useT } from '../i18n';
import { session } from '../session';
import { useObservable } from '../store';
import { useLabels } from '../vocab';

export default function Account() {
  const T = useT();
  const labels = useLabels();
  const s = useObservable(session);
  usePageTitle(T('common:account'));
  if (!s) return null;
  return (
    <>
      <h1>{T('common:account')}</h1>
      <Facts
        rows={[
          [T('common:sign_in_page.username'), s.user.username],
          [T('common:role'), labels.label('roles', s.user.role)],
        ]}
      />
      <h2>{T('common:password_page.title')}</h2>
      <ChangePasswordForm />
      <h2>{T('common:second_factor.title')}</h2>
      <SecondFactorSettings />
    </>
  );
}

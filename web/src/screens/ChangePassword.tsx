// One's own password: the old one, a new one of at least 12 characters, twice.
import { useState } from 'preact/hooks';
import { ErrorSummary, TextField, type FieldErrors, formErrors } from '../components/forms';
import { Notice } from '../components/ui';
import { useT } from '../i18n';
import { changePassword } from '../session';

export function ChangePasswordForm({ forced, onDone }: { forced?: boolean; onDone?: () => void }) {
  const T = useT();
  const [oldPassword, setOld] = useState('');
  const [newPassword, setNew] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [done, setDone] = useState(false);
  const labels = {
    old_password: T(forced ? 'common:password_page.one_time' : 'common:password_page.old'),
    new_password: T('common:password_page.new'),
    repeat: T('common:password_page.repeat'),
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const problems: FieldErrors = {};
    if (!oldPassword) problems.old_password = T('common:password_page.old_missing');
    if (newPassword.length < 12) problems.new_password = T('common:password_page.too_short', { count: 12 });
    if (repeat !== newPassword) problems.repeat = T('common:password_page.mismatch');
    setErrors(problems);
    if (Object.keys(problems).length) return;
    try {
      await changePassword(oldPassword, newPassword);
      setOld('');
      setNew('');
      setRepeat('');
      setDone(true);
      onDone?.();
    } catch (err) {
      setErrors(formErrors(err, ['old_password', 'new_password']));
    }
  };

  return (
    <>
      {done && <Notice kind="success">{T('common:password_page.changed')}</Notice>}
      <ErrorSummary errors={errors} labels={labels} />
      <form onSubmit={submit} noValidate>
        <TextField id="old_password" type="password" label={labels.old_password} value={oldPassword} onInput={setOld} autocomplete="current-password" error={errors.old_password} width="medium" />
        <TextField id="new_password" type="password" label={labels.new_password} hint={T('common:password_page.hint')} value={newPassword} onInput={setNew} autocomplete="new-password" error={errors.new_password} width="medium" />
        <TextField id="repeat" type="password" label={labels.repeat} value={repeat} onInput={setRepeat} autocomplete="new-password" error={errors.repeat} width="medium" />
        <button type="submit" class="button">
          {T('common:password_page.submit')}
        </button>
      </form>
    </>
  );
}

// After a reset: nothing else opens until the user chose her own password.
export default function ForcedPasswordChange() {
  const T = useT();
  return (
    <main id="main" class="main main--narrow">
      <h1>{T('common:password_page.forced_title')}</h1>
      <p class="lead">{T('common:password_page.forced_intro')}</p>
      <ChangePasswordForm forced />
    </main>
  );
}

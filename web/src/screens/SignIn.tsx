// Sign-in. The password goes to the server and nowhere else; the session is a cookie
// the page cannot read.
import { useState } from 'preact/hooks';
import { ErrorSummary, TextField, errorText, type FieldErrors } from '../components/forms';
import { usePageTitle } from '../components/ui';
import { LanguageSwitch } from '../components/Layout';
import { useT } from '../i18n';
import { signIn } from '../session';

export default function SignIn() {
  const T = useT();
  usePageTitle(T('common:sign_in'));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const missing: FieldErrors = {};
    if (!username.trim()) missing.username = T('common:sign_in_page.username_missing');
    if (!password) missing.password = T('common:sign_in_page.password_missing');
    setErrors(missing);
    if (Object.keys(missing).length) return;
    setBusy(true);
    try {
      await signIn(username.trim(), password);
    } catch (err) {
      setPassword('');
      setErrors({ _form: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="main main--narrow">
      <div class="sign-in__languages">
        <LanguageSwitch remember={false} />
      </div>
      <h1>Haven</h1>
      <p class="lead">{T('common:sign_in_page.intro')}</p>
      <ErrorSummary
        errors={errors}
        labels={{ username: T('common:sign_in_page.username'), password: T('common:sign_in_page.password') }}
      />
      <form onSubmit={submit} noValidate>
        <TextField
          id="username"
          label={T('common:sign_in_page.username')}
          value={username}
          onInput={setUsername}
          autocomplete="username"
          error={errors.username}
          width="medium"
        />
        <TextField
          id="password"
          type="password"
          label={T('common:sign_in_page.password')}
          value={password}
          onInput={setPassword}
          autocomplete="current-password"
          error={errors.password}
          width="medium"
        />
        <button type="submit" class="button" disabled={busy}>
          {T('common:sign_in')}
        </button>
      </form>
    </main>
  );
}

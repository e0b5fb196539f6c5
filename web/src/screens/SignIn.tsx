// Sign-in. The password goes to the server and nowhere else; the session is a cookie
// the page cannot read.
import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { ErrorSummary, TextField, errorText, type FieldErrors } from '../components/forms';
import { usePageTitle } from '../components/ui';
import { LanguageSwitch } from '../components/Layout';
import { useT } from '../i18n';
import { signIn } from '../session';

// The second factor: the 6 digits of the authenticator app, or a recovery code.
export function CodeField({ id = 'code', value, onInput, error }: { id?: string; value: string; onInput: (v: string) => void; error?: string }) {
  const T = useT();
  return (
    <TextField
      id={id}
      label={T('common:second_factor.code')}
      hint={T('common:second_factor.code_hint')}
      value={value}
      onInput={onInput}
      autocomplete="one-time-code"
      error={error}
      width="short"
    />
  );
}

export default function SignIn() {
  const T = useT();
  usePageTitle(T('common:sign_in'));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  // Asked for once the server said the password was right and a second factor is due.
  const [needCode, setNeedCode] = useState(false);
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const missing: FieldErrors = {};
    if (!username.trim()) missing.username = T('common:sign_in_page.username_missing');
    if (!password) missing.password = T('common:sign_in_page.password_missing');
    if (needCode && !code.trim()) missing.code = T('common:second_factor.code_missing');
    setErrors(missing);
    if (Object.keys(missing).length) return;
    setBusy(true);
    try {
      await signIn(username.trim(), password, needCode ? code : '');
    } catch (err) {
      setCode('');
      if (err instanceof ApiError && err.code === 'second_factor_required') {
        setNeedCode(true);
        setErrors({});
      } else if (err instanceof ApiError && err.code === 'second_factor_invalid') {
        setErrors({ code: errorText(err) });
      } else {
        setPassword('');
        setNeedCode(false);
        setErrors({ _form: errorText(err) });
      }
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
        labels={{
          username: T('common:sign_in_page.username'),
          password: T('common:sign_in_page.password'),
          code: T('common:second_factor.code'),
        }}
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
        {needCode && <CodeField value={code} onInput={setCode} error={errors.code} />}
        <button type="submit" class="button" disabled={busy}>
          {T('common:sign_in')}
        </button>
      </form>
    </main>
  );
}

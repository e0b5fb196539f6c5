// Over the current screen when the session ended: the same user signs in again and
// what she was doing goes on (the waiting request is sent again, the form is untouched).
import { useState } from 'preact/hooks';
import { Dialog } from './ui';
import { TextField, errorText } from './forms';
import { CodeField } from '../screens/SignIn';
import { useT } from '../i18n';
import { reauthNeeded, reauthenticate, session, signOut } from '../session';
import { useObservable } from '../store';

export function ReauthDialog() {
  const T = useT();
  const open = useObservable(reauthNeeded);
  const s = useObservable(session);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  const needCode = s?.user.second_factor ?? false;
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await reauthenticate(password, needCode ? code : '');
      setPassword('');
      setCode('');
      setError('');
    } catch (err) {
      setPassword('');
      setCode('');
      setError(errorText(err));
    }
  };
  return (
    <Dialog title={T('common:reauth.title')} open={open}>
      <p>{T('common:reauth.intro', { username: s?.user.username ?? '' })}</p>
      <form onSubmit={submit} noValidate>
        <TextField id="reauth-password" type="password" label={T('common:sign_in_page.password')} value={password} onInput={setPassword} autocomplete="current-password" error={error} />
        {needCode && <CodeField id="reauth-code" value={code} onInput={setCode} />}
        <div class="button-row">
          <button type="submit" class="button">
            {T('common:sign_in')}
          </button>
          <button type="button" class="button button--secondary" onClick={() => signOut()}>
            {T('common:sign_out')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

// The second factor of sign-in: enrolling an authenticator app (its QR code, or the key
// typed in by hand, then a first code), the recovery codes shown once, and in one's own
// settings new recovery codes or turning it off (not for roles that must have it).
import { useState } from 'preact/hooks';
import { ErrorSummary, TextField, formErrors, type FieldErrors } from '../components/forms';
import { Loaded, Notice, useAsync } from '../components/ui';
import { useT } from '../i18n';
import { refreshSession, secondFactor, signOut, type Enrolment } from '../session';
import { CodeField } from './SignIn';

// The codes, once, with what to do with them; `onStored` when she says she has.
function RecoveryCodesShown({ codes, onStored }: { codes: string[]; onStored: () => void }) {
  const T = useT();
  return (
    <div class="recovery-codes">
      <Notice kind="warning">{T('common:second_factor.codes_hint')}</Notice>
      <ol class="recovery-codes__list" aria-label={T('common:second_factor.codes_title')}>
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <button type="button" class="button" onClick={onStored}>
        {T('common:second_factor.codes_stored')}
      </button>
    </div>
  );
}

// Start, scan, confirm; then the recovery codes. `onDone` once she has stored them.
export function EnrolSecondFactor({ onDone }: { onDone: () => void }) {
  const T = useT();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});

  const start = async () => {
    try {
      setEnrolment(await secondFactor.start());
      setErrors({});
    } catch (err) {
      setErrors(formErrors(err, []));
    }
  };
  const confirm = async (e: Event) => {
    e.preventDefault();
    if (!code.trim()) return setErrors({ code: T('common:second_factor.code_missing') });
    try {
      const answer = await secondFactor.confirm(code);
      setCodes(answer.recovery_codes);
      setErrors({});
    } catch (err) {
      setCode('');
      setErrors(formErrors(err, ['code']));
    }
  };

  if (codes) return <RecoveryCodesShown codes={codes} onStored={onDone} />;
  return (
    <>
      <ErrorSummary errors={errors} labels={{ code: T('common:second_factor.code') }} />
      {!enrolment ? (
        <>
          <p>{T('common:second_factor.intro')}</p>
          <button type="button" class="button" onClick={start}>
            {T('common:second_factor.start')}
          </button>
        </>
      ) : (
        <>
          <p>{T('common:second_factor.scan')}</p>
          {/* The server's SVG (libqrencode): rectangles only, no script. */}
          <div class="qr-code" role="img" aria-label={T('common:second_factor.qr_label')} dangerouslySetInnerHTML={{ __html: enrolment.qr_svg }} />
          <p>
            {T('common:second_factor.manual_key')} <code class="secret-key">{enrolment.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
          </p>
          <form onSubmit={confirm} noValidate>
            <CodeField id="enrol-code" value={code} onInput={setCode} error={errors.code} />
            <button type="submit" class="button">
              {T('common:second_factor.confirm')}
            </button>
          </form>
        </>
      )}
    </>
  );
}

// A session of a role that must have a second factor and has none: nothing else opens.
export function ForcedEnrolment() {
  const T = useT();
  return (
    <main id="main" class="main main--narrow">
      <h1>{T('common:second_factor.forced_title')}</h1>
      <p class="lead">{T('common:second_factor.forced_intro')}</p>
      <EnrolSecondFactor onDone={() => refreshSession()} />
      <p>
        <button type="button" class="button button--secondary" onClick={() => signOut()}>
          {T('common:sign_out')}
        </button>
      </p>
    </main>
  );
}

// In one's own account: the state, and what she may do with it.
export function SecondFactorSettings() {
  const T = useT();
  const [version, setVersion] = useState(0);
  const state = useAsync(() => secondFactor.state(), [version]);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [notice, setNotice] = useState('');
  const done = () => {
    setCodes(null);
    setCode('');
    setPassword('');
    setVersion((v) => v + 1);
    void refreshSession();
  };

  const regenerate = async () => {
    try {
      setCodes((await secondFactor.regenerate(code)).recovery_codes);
      setErrors({});
      setNotice('');
    } catch (err) {
      setCode('');
      setErrors(formErrors(err, ['code']));
    }
  };
  const disable = async (e: Event) => {
    e.preventDefault();
    try {
      await secondFactor.disable(password, code);
      setErrors({});
      setNotice(T('common:second_factor.disabled'));
      done();
    } catch (err) {
      setCode('');
      setPassword('');
      setErrors(formErrors(err, ['code', 'password']));
    }
  };

  if (codes) return <RecoveryCodesShown codes={codes} onStored={done} />;
  return (
    <Loaded value={state}>
      {(s) =>
        !s.enabled ? (
          <>
            {notice && <Notice kind="success">{notice}</Notice>}
            <p>{T('common:second_factor.off')}</p>
            <EnrolSecondFactor onDone={done} />
          </>
        ) : (
          <>
            <p>{T('common:second_factor.on', { n: s.recovery_codes_left })}</p>
            <ErrorSummary errors={errors} labels={{ code: T('common:second_factor.code'), password: T('common:sign_in_page.password') }} />
            <form onSubmit={disable} noValidate>
              <CodeField id="settings-code" value={code} onInput={setCode} error={errors.code} />
              <div class="button-row">
                <button type="button" class="button button--secondary" onClick={regenerate}>
                  {T('common:second_factor.regenerate')}
                </button>
              </div>
              {s.required ? (
                <p>{T('common:second_factor.required')}</p>
              ) : (
                <>
                  <TextField id="settings-password" type="password" label={T('common:sign_in_page.password')} value={password} onInput={setPassword} autocomplete="current-password" error={errors.password} width="medium" />
                  <button type="submit" class="button button--warning">
                    {T('common:second_factor.disable')}
                  </button>
                </>
              )}
            </form>
          </>
        )
      }
    </Loaded>
  );
}

// The application: find out who is signed in, in which language, then show her screens.
import { render } from 'preact';
import { LocationProvider, Route, Router } from 'preact-iso';
import './styles.css';
import { Layout } from './components/Layout';
import { ReauthDialog } from './components/ReauthDialog';
import { Loading } from './components/ui';
import { DEFAULT_LANGUAGE, initI18n, useT } from './i18n';
import { allowed, screens } from './routes';
import ForcedPasswordChange from './screens/ChangePassword';
import SignIn from './screens/SignIn';
import { ForcedEnrolment } from './screens/SecondFactor';
import { restoreSession, session } from './session';
import { Observable, useObservable } from './store';

const booted = new Observable(false);

function NotFound() {
  const T = useT();
  return (
    <>
      <h1>{T('common:not_found.title')}</h1>
      <p>{T('common:not_found.text')}</p>
      <a href="/">{T('common:home.title')}</a>
    </>
  );
}

function App() {
  const ready = useObservable(booted);
  const s = useObservable(session);
  if (!ready) return <Loading />;
  if (!s) return <SignIn />;
  if (s.user.must_change_password) return <ForcedPasswordChange />;
  if (s.enrolmentRequired) return <ForcedEnrolment />;
  return (
    <LocationProvider>
      <Layout>
        <Router>
          {[
            ...screens
              .filter((x) => allowed(x, s.permissions))
              .map((x) => <Route key={x.path} path={x.path} component={x.component} />),
            <Route key="404" default component={NotFound} />,
          ]}
        </Router>
      </Layout>
      <ReauthDialog />
    </LocationProvider>
  );
}

async function boot() {
  render(<App />, document.getElementById('app')!);
  await initI18n(DEFAULT_LANGUAGE);
  try {
    await restoreSession();
  } catch {
    // The server is unreachable: the sign-in screen says so when the user tries.
  }
  booted.set(true);
}

void boot();

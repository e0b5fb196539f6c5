// The frame of every signed-in screen: a skip link, the header with the user's
// organisation and role, the language switch and sign-out, the navigation of her role.
import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { LANGUAGES, currentLanguage, setLanguage, useT, type Language } from '../i18n';
import { allowed, screens } from '../routes';
import { session, signOut } from '../session';
import { useObservable } from '../store';
import { api } from '../api';
import { loadVocabularies, useLabels } from '../vocab';

export function LanguageSwitch({ remember }: { remember: boolean }) {
  const T = useT();
  const lng = currentLanguage();
  const choose = async (l: Language) => {
    // Signed in, the labels of the lists come with the language, so that the screen
    // changes at once and whole (before sign-in there are none to show).
    if (session.get()) await loadVocabularies(l).catch(() => undefined);
    await setLanguage(l);
    if (remember) {
      const user = await api.patch<{ language: Language }>('/api/v1/me', { language: l }).catch(() => null);
      const s = session.get();
      if (user && s) session.set({ ...s, user: { ...s.user, language: user.language } });
    }
  };
  return (
    <div class="language-switch" role="group" aria-label={T('common:language')}>
      {LANGUAGES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          class={`language-switch__button${l === lng ? ' is-current' : ''}`}
          aria-pressed={l === lng}
          onClick={() => choose(l)}
        >
          {T(`common:languages.${l}`)}
        </button>
      ))}
    </div>
  );
}

export function Layout({ children }: { children: ComponentChildren }) {
  const T = useT();
  const labels = useLabels();
  const s = useObservable(session);
  const { path } = useLocation();
  if (!s) return null;
  const nav = screens.filter((x) => x.nav && allowed(x, s.permissions));
  return (
    <>
      <a class="skip-link" href="#main">
        {T('common:skip_to_content')}
      </a>
      <header class="header">
        <div class="header__inner">
          <a class="header__brand" href="/">
            Haven
          </a>
          <div class="header__user">
            <span class="header__who">
              {s.user.username} · {labels.label('roles', s.user.role)}
            </span>
            <LanguageSwitch remember />
            <a class="header__link" href="/account">
              {T('common:account')}
            </a>
            <button type="button" class="button button--link header__link" onClick={() => signOut()}>
              {T('common:sign_out')}
            </button>
          </div>
        </div>
        <nav class="nav" aria-label={T('common:main_menu')}>
          <ul class="nav__list">
            {nav.map((x) => {
              const current = path === x.path || path.startsWith(`${x.path}/`);
              return (
                <li key={x.path}>
                  <a href={x.path} class={`nav__link${current ? ' is-current' : ''}`} aria-current={current ? 'page' : undefined}>
                    {T(`common:nav.${x.nav}`)}
                  </a>
                </li>
              );
            })}
          </ul>
        </nav>
      </header>
      <main id="main" class="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

// The start page: what the user's role can do here, one card per screen.
import { usePageTitle } from '../components/ui';
import { useT } from '../i18n';
import { allowed, screens } from '../routes';
import { session } from '../session';
import { useObservable } from '../store';

export default function Home() {
  const T = useT();
  const s = useObservable(session);
  usePageTitle(T('common:home.title'));
  if (!s) return null;
  const mine = screens.filter((x) => x.nav && allowed(x, s.permissions));
  return (
    <>
      <h1>{T('common:home.title')}</h1>
      <ul class="cards">
        {mine.map((x) => (
          <li class="card" key={x.path}>
            <h2 class="card__title">
              <a href={x.path}>{T(`common:nav.${x.nav}`)}</a>
            </h2>
            <p class="card__text">{T(`common:home.about.${x.nav}`)}</p>
          </li>
        ))}
      </ul>
    </>
  );
}

// One shelter: its beds now and over the last 30 days; for its own staff, admitting a
// case by its code and ending a stay with a discharge reason.
//
// The API has no list of a shelter's current stays (GET /shelters/{id} carries counts
// only), so the stays shown here are the ones admitted on this page and the ones found
// by a case code; a stay is always named by its case code, never by a person.
import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../../api';
import { ErrorSummary, TextField, type FieldErrors } from '../../components/forms';
import { ErrorNotice, Facts, Loading, Notice, Tag, usePageTitle, useAsync } from '../../components/ui';
import { formatDate, formatNumber, useT } from '../../i18n';
import { can, session } from '../../session';
import { useObservable } from '../../store';
import { useLabels } from '../../vocab';
import {
  CASE_CODE,
  DischargeDialog,
  StayTable,
  newIdempotencyKey,
  shelterErrorText,
  shelterFieldErrors,
  todayIso,
  useFocusReturn,
  type Shelter,
  type Stay,
} from './CaseStays';
import './shelters.css';

interface Occupancy {
  shelter_id: number;
  days: Array<{ day: string; occupied: number }>;
}

interface CaseRef {
  id: number;
  code: string;
}

// A stay with the code of its case, as this page shows it.
interface KnownStay {
  stay: Stay;
  code: string;
}

export default function ShelterPage(props: { params?: { id?: string }; id?: string }) {
  const T = useT();
  const id = Number(props.params?.id ?? props.id);
  const user = useObservable(session)?.user;
  const shelter = useAsync(() => api.get<Shelter>(`/api/v1/shelters/${id}`), [id]);
  const occupancy = useAsync(() => api.get<Occupancy>(`/api/v1/shelters/${id}/occupancy`), [id]);
  usePageTitle(shelter.data?.name ?? T('shelters:list.title'));
  const [known, setKnown] = useState<KnownStay[]>([]);
  const [discharging, setDischarging] = useState<KnownStay | null>(null);
  const [notice, setNotice] = useState('');
  const noticeRef = useRef<HTMLDivElement>(null);
  const focus = useFocusReturn();

  if (!Number.isInteger(id) || id <= 0) return <ErrorNotice error={new ApiError(404, 'not_found', 'not found')} />;
  if (shelter.error) return <ErrorNotice error={shelter.error} />;
  const s = shelter.data;
  if (!s) return <Loading />;
  const staff = can('shelter_staff') && user?.organization_id === s.organization_id;

  // Keeps the newest answer for each stay, newest first.
  const remember = (k: KnownStay) => setKnown((list) => [k, ...list.filter((x) => x.stay.id !== k.stay.id)]);
  const changed = (message: string) => {
    setNotice(message);
    shelter.reload();
    occupancy.reload();
    setTimeout(() => noticeRef.current?.focus(), 0);
  };
  const codeOf = (st: Stay) => known.find((k) => k.stay.id === st.id)?.code ?? '';

  return (
    <>
      <p>
        <a href="/shelters">{T('shelters:page.back')}</a>
      </p>
      <h1>{s.name}</h1>
      {notice && (
        <div ref={noticeRef} tabIndex={-1}>
          <Notice kind="success">{notice}</Notice>
        </div>
      )}
      <ShelterFacts shelter={s} />
      <OccupancyChart shelter={s} occupancy={occupancy.data} error={occupancy.error} />
      {staff ? (
        <>
          <AdmitByCode
            shelter={s}
            onAdmitted={(k) => {
              remember(k);
              changed(T('shelters:page.admitted', { code: k.code }));
            }}
          />
          <section class="section" aria-labelledby="stays-title">
            <h2 id="stays-title">{T('shelters:page.stays_title')}</h2>
            <p class="muted">{T('shelters:page.stays_intro')}</p>
            <FindStay shelter={s} onFound={remember} />
            {known.length > 0 && (
              <StayTable
                stays={known.map((k) => k.stay)}
                caption={T('shelters:page.stays_title')}
                codeOf={codeOf}
                onDischarge={(st) => {
                  focus.remember();
                  setDischarging(known.find((k) => k.stay.id === st.id) ?? null);
                }}
              />
            )}
          </section>
        </>
      ) : (
        <p class="muted">{T('shelters:page.not_staff')}</p>
      )}
      {discharging && (
        <DischargeDialog
          stay={discharging.stay}
          caseCode={discharging.code}
          onClose={() => {
            setDischarging(null);
            focus.restore(noticeRef.current);
          }}
          onDischarged={(st) => {
            remember({ stay: st, code: discharging.code });
            setDischarging(null);
            changed(T('shelters:page.discharged', { code: discharging.code }));
          }}
        />
      )}
    </>
  );
}

function ShelterFacts({ shelter: s }: { shelter: Shelter }) {
  const T = useT();
  const labels = useLabels();
  const rows: Array<[string, ComponentChildren]> = [
    [T('shelters:field.region'), labels.region(s.region)],
  ];
  if (s.address !== undefined) rows.push([T('shelters:field.address'), s.address]);
  rows.push(
    [T('shelters:field.capacity'), formatNumber(s.capacity)],
    [T('shelters:field.occupied'), <span data-testid="occupied">{formatNumber(s.occupied)}</span>],
    [
      T('shelters:field.free'),
      s.free === 0 ? <Tag tone="bad">{T('shelters:list.full')}</Tag> : <span data-testid="free">{formatNumber(s.free)}</span>,
    ],
    [T('shelters:field.family_rooms'), formatNumber(s.family_rooms)],
    [T('shelters:field.child_places'), formatNumber(s.child_places)],
  );
  return <Facts rows={rows} />;
}

// Beds taken each day: bars for the eye, and the same numbers as a table.
function OccupancyChart({
  shelter,
  occupancy,
  error,
}: {
  shelter: Shelter;
  occupancy: Occupancy | undefined;
  error: unknown;
}) {
  const T = useT();
  const days = occupancy?.days ?? [];
  // Bars are shares of the beds: a full shelter reaches the top.
  const top = Math.max(shelter.capacity, ...days.map((d) => d.occupied), 1);
  const short = formatDate;
  return (
    <section class="section" aria-labelledby="occupancy-title">
      <h2 id="occupancy-title">{T('shelters:page.occupancy_title')}</h2>
      {error ? (
        <ErrorNotice error={error} />
      ) : !occupancy ? (
        <Loading />
      ) : (
        <>
          <div class="occupancy" aria-hidden="true">
            <div class="occupancy__bars">
              {days.map((d) => (
                <div
                  key={d.day}
                  class={`occupancy__bar${d.occupied >= shelter.capacity ? ' occupancy__bar--full' : ''}`}
                  style={{ height: `${(100 * d.occupied) / top}%` }}
                  title={`${short(d.day)}: ${d.occupied}`}
                />
              ))}
            </div>
            <div class="occupancy__axis">
              <span>{days[0] && short(days[0].day)}</span>
              <span>{days.length > 0 && short(days[days.length - 1].day)}</span>
            </div>
          </div>
          <details class="occupancy__details">
            <summary>{T('shelters:page.occupancy_table')}</summary>
            <div class="table-wrap">
              <table class="table">
                <caption class="visually-hidden">{T('shelters:page.occupancy_title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{T('shelters:page.day')}</th>
                    <th scope="col" class="num">{T('shelters:field.occupied')}</th>
                    <th scope="col" class="num">{T('shelters:field.free')}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...days].reverse().map((d) => (
                    <tr key={d.day}>
                      <td>{formatDate(d.day)}</td>
                      <td class="num">{formatNumber(d.occupied)}</td>
                      <td class="num">{formatNumber(Math.max(0, shelter.capacity - d.occupied))}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}

async function caseByCode(code: string): Promise<CaseRef> {
  return api.get<CaseRef>(`/api/v1/cases/by-code/${encodeURIComponent(code)}`);
}

function normalCode(v: string): string {
  return v.trim().toUpperCase();
}

function codeProblem(code: string, T: ReturnType<typeof useT>): string | undefined {
  if (!code) return T('shelters:admit.code_missing');
  if (!CASE_CODE.test(code)) return T('shelters:admit.code_invalid');
  return undefined;
}

// A lookup error of the case code: "not found" says so in the words of this form.
function lookupError(e: unknown, T: ReturnType<typeof useT>): string {
  if (e instanceof ApiError && e.status === 404) return T('shelters:admit.code_unknown');
  return shelterErrorText(e, T);
}

function AdmitByCode({ shelter, onAdmitted }: { shelter: Shelter; onAdmitted: (k: KnownStay) => void }) {
  const T = useT();
  const [code, setCode] = useState('');
  const [on, setOn] = useState(todayIso());
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const fieldLabels = { case_code: T('shelters:admit.code'), admitted_on: T('shelters:admit.date') };

  const submit = async (e: Event) => {
    e.preventDefault();
    const c = normalCode(code);
    const problems: FieldErrors = {};
    const bad = codeProblem(c, T);
    if (bad) problems.case_code = bad;
    if (!on) problems.admitted_on = T('shelters:admit.date_missing');
    else if (on > todayIso()) problems.admitted_on = T('shelters:errors.future');
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      let found: CaseRef;
      try {
        found = await caseByCode(c);
      } catch (err) {
        setErrors({ case_code: lookupError(err, T) });
        return;
      }
      const stay = await api.post<Stay>(
        `/api/v1/shelters/${shelter.id}/stays`,
        { case_id: found.id, admitted_on: on },
        { 'Idempotency-Key': newIdempotencyKey() },
      );
      setCode('');
      setOn(todayIso());
      onAdmitted({ stay, code: found.code });
    } catch (err) {
      setErrors(shelterFieldErrors(err, ['admitted_on'], T, { case_id: 'case_code', shelter_id: '_form' }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="section" aria-labelledby="admit-title">
      <h2 id="admit-title">{T('shelters:admit.title')}</h2>
      {shelter.free === 0 && <Notice kind="warning">{T('shelters:errors.shelter_full')}</Notice>}
      <ErrorSummary errors={errors} labels={fieldLabels} />
      <form onSubmit={submit} noValidate class="shelters-form">
        <TextField
          id="case_code"
          label={fieldLabels.case_code}
          hint={T('shelters:admit.code_hint')}
          value={code}
          onInput={setCode}
          error={errors.case_code}
          width="medium"
        />
        <TextField
          id="admitted_on"
          type="date"
          label={fieldLabels.admitted_on}
          value={on}
          onInput={setOn}
          max={todayIso()}
          error={errors.admitted_on}
          width="medium"
        />
        <button type="submit" class="button" disabled={busy}>
          {T('shelters:admit.submit')}
        </button>
      </form>
    </section>
  );
}

// The stays of one case in this shelter, found by the case code.
function FindStay({ shelter, onFound }: { shelter: Shelter; onFound: (k: KnownStay) => void }) {
  const T = useT();
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  const [none, setNone] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const c = normalCode(code);
    setNone('');
    const bad = codeProblem(c, T);
    setError(bad ?? '');
    if (bad) return;
    setBusy(true);
    try {
      const found = await caseByCode(c);
      const stays = await api.get<{ items: Stay[] }>(`/api/v1/cases/${found.id}/stays`);
      const here = stays.items
        .filter((st) => st.shelter_id === shelter.id)
        .sort((a, b) => a.admitted_on.localeCompare(b.admitted_on));
      if (here.length === 0) setNone(T('shelters:find.none', { code: found.code }));
      for (const st of here) onFound({ stay: st, code: found.code });
      setCode('');
    } catch (err) {
      setError(lookupError(err, T));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate class="shelters-find" role="search" aria-label={T('shelters:find.title')}>
      <TextField
        id="find_case_code"
        label={T('shelters:find.code')}
        hint={T('shelters:admit.code_hint')}
        value={code}
        onInput={setCode}
        error={error}
        width="medium"
      />
      <button type="submit" class="button button--secondary" disabled={busy}>
        {T('shelters:find.submit')}
      </button>
      {none && (
        <p class="shelters-find__none" role="status">
          {none}
        </p>
      )}
    </form>
  );
}

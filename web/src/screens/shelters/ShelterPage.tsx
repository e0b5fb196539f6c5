// One shelter: its beds now and over the last 30 days; for its own staff, admitting a
// case by its code and ending a stay with a discharge reason.
//
// The API has no list of a shelter's current stays (GET /shelters/{id} carries counts
// only), so the stays shown here are the ones admitted on this page and the ones found
// by a case code; a stay is always named by its case code, never by a person.
import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { api, ApiError, newIdempotencyKey } from '../../api';
import { ErrorSummary, TextField, errorText, formErrors, type FieldErrors } from '../../components/forms';
import { ErrorNotice, Facts, Loading, Notice, Tag, usePageTitle, useAsync, DataTable } from '../../components/ui';
import { formatDate, formatNumber, todayIso, useT } from '../../i18n';
import { useLabels } from '../../vocab';
import {
  CASE_CODE,
  DischargeDialog,
  StayTable,
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

// A stay now, with the code of its case (null: a case the policy does not open to her).
interface Resident extends Stay {
  case_code: string | null;
}

export default function ShelterPage(props: { params?: { id?: string }; id?: string }) {
  const T = useT();
  const id = Number(props.params?.id ?? props.id);
  const shelter = useAsync(() => api.get<Shelter>(`/api/v1/shelters/${id}`), [id]);
  const occupancy = useAsync(() => api.get<Occupancy>(`/api/v1/shelters/${id}/occupancy`), [id]);
  // Who stays here: for the shelter's own staff only, who admit and discharge here too
  // (the server says so with the shelter: you_admit).
  const staff = shelter.data?.you_admit === true;
  const residents = useAsync(() => (staff ? api.get<{ items: Resident[] }>(`/api/v1/shelters/${id}/stays`) : Promise.resolve({ items: [] as Resident[] })), [id, staff]);
  usePageTitle(shelter.data?.name ?? T('shelters:list.title'));
  const [discharging, setDischarging] = useState<Resident | null>(null);
  const [notice, setNotice] = useState('');
  const noticeRef = useRef<HTMLDivElement>(null);
  const focus = useFocusReturn();

  if (!Number.isInteger(id) || id <= 0) return <ErrorNotice error={new ApiError(404, 'not_found', 'not found')} />;
  if (shelter.error) return <ErrorNotice error={shelter.error} />;
  const s = shelter.data;
  if (!s) return <Loading />;
  const notStaff = !s.you_admit;

  const changed = (message: string) => {
    setNotice(message);
    shelter.reload();
    occupancy.reload();
    residents.reload();
    setTimeout(() => noticeRef.current?.focus(), 0);
  };
  const list = residents.data?.items ?? [];
  const codeOf = (st: Stay) => list.find((r) => r.id === st.id)?.case_code ?? '—';

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
      {notStaff ? (
        <p class="muted">{T('shelters:page.not_staff')}</p>
      ) : (
        <>
          <AdmitByCode shelter={s} onAdmitted={(code) => changed(T('shelters:page.admitted', { code }))} />
          <section class="section" aria-labelledby="stays-title">
            <h2 id="stays-title">{T('shelters:page.stays_title')}</h2>
            <p class="muted">{T('shelters:page.stays_intro')}</p>
            {residents.error ? (
              <ErrorNotice error={residents.error} />
            ) : !residents.data ? (
              <Loading />
            ) : list.length === 0 ? (
              <p>{T('shelters:page.nobody')}</p>
            ) : (
              <StayTable
                stays={list}
                caption={T('shelters:page.stays_title')}
                codeOf={codeOf}
                onDischarge={(st) => {
                  focus.remember();
                  setDischarging(list.find((r) => r.id === st.id) ?? null);
                }}
              />
            )}
          </section>
        </>
      )}
      {discharging && (
        <DischargeDialog
          stay={discharging}
          caseCode={discharging.case_code ?? ''}
          onClose={() => {
            setDischarging(null);
            focus.restore(noticeRef.current);
          }}
          onDischarged={() => {
            setDischarging(null);
            changed(T('shelters:page.discharged', { code: discharging.case_code ?? '' }));
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
            <DataTable caption={T('shelters:page.occupancy_title')} columns={[T('shelters:page.day'), { label: T('shelters:field.occupied'), numeric: true }, { label: T('shelters:field.free'), numeric: true }]}>
              {[...days].reverse().map((d) => (
                <tr key={d.day}>
                  <td>{formatDate(d.day)}</td>
                  <td class="num">{formatNumber(d.occupied)}</td>
                  <td class="num">{formatNumber(Math.max(0, shelter.capacity - d.occupied))}</td>
                </tr>
              ))}
            </DataTable>
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
  return errorText(e);
}

function AdmitByCode({ shelter, onAdmitted }: { shelter: Shelter; onAdmitted: (code: string) => void }) {
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
    else if (on > todayIso()) problems.admitted_on = T('common:errors.field.future');
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
      await api.post<Stay>(
        `/api/v1/shelters/${shelter.id}/stays`,
        { case_id: found.id, admitted_on: on },
        { 'Idempotency-Key': newIdempotencyKey() },
      );
      setCode('');
      setOn(todayIso());
      onAdmitted(found.code);
    } catch (err) {
      setErrors(formErrors(err, ['admitted_on'], { case_id: 'case_code', shelter_id: '_form' }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="section" aria-labelledby="admit-title">
      <h2 id="admit-title">{T('shelters:admit.title')}</h2>
      {shelter.free === 0 && <Notice kind="warning">{T('common:errors.shelter_full')}</Notice>}
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

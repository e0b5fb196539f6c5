// A case's shelter stays, on the case page, and its admission into a shelter of the
// user's own organisation. Also the pieces the shelter screens share: the types of the
// API's answers, the discharge dialog, the texts of the area's errors.
//
// Cases are named by their code only; a stay carries no name, and none is asked for.
import { useRef, useState } from 'preact/hooks';
import { api, loadAll, newIdempotencyKey } from '../../api';
import { ErrorSummary, SelectField, TextField, formErrors, type FieldErrors } from '../../components/forms';
import { Dialog, ErrorNotice, Loading, Notice, Tag, useAsync } from '../../components/ui';
import { formatDate, formatNumber, todayIso, useT } from '../../i18n';
import { useLabels } from '../../vocab';
import './shelters.css';

export interface Shelter {
  id: number;
  organization_id: number;
  name: string;
  region: string;
  capacity: number;
  occupied: number;
  free: number;
  family_rooms: number;
  child_places: number;
  created_at: string;
  // Only for the shelter's own staff and the coordinators.
  address?: string;
  // The reader admits and discharges here, as the server's access policy says.
  you_admit: boolean;
}

export interface Stay {
  id: number;
  shelter_id: number;
  case_id: number;
  admitted_on: string;
  discharged_on: string | null;
  discharge_reason: string | null;
}

export const CASE_CODE = /^[A-Z]{2}-\d{4}-\d{6}$/;

// All shelters (a coalition has a few dozen at most).
export const loadShelters = () => loadAll<Shelter>('/api/v1/shelters', {}, 20);

// Puts the focus back where it was before a dialog opened, or on `fallback`.
export function useFocusReturn() {
  const from = useRef<HTMLElement | null>(null);
  return {
    remember: () => {
      from.current = document.activeElement as HTMLElement | null;
    },
    restore: (fallback?: HTMLElement | null) => {
      const el = from.current?.isConnected ? from.current : fallback;
      setTimeout(() => el?.focus(), 0);
    },
  };
}

// Ends a stay: the day and the reason, in a modal dialog. Rendered only while open,
// so that a page never holds two dialogs' titles at once.
export function DischargeDialog({
  stay,
  caseCode,
  onClose,
  onDischarged,
}: {
  stay: Stay;
  // None: the page is the case's own.
  caseCode?: string;
  onClose: () => void;
  onDischarged: (s: Stay) => void;
}) {
  const T = useT();
  const labels = useLabels();
  const [on, setOn] = useState(todayIso());
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const fieldLabels = {
    discharged_on: T('shelters:discharge.date'),
    discharge_reason: T('shelters:discharge.reason'),
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const problems: FieldErrors = {};
    if (!on) problems.discharged_on = T('shelters:discharge.date_missing');
    else if (on < stay.admitted_on) problems.discharged_on = T('common:errors.field.before_admission');
    if (!reason) problems.discharge_reason = T('shelters:discharge.reason_missing');
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      const done = await api.post<Stay>(
        `/api/v1/stays/${stay.id}/discharge`,
        { discharged_on: on, discharge_reason: reason },
        { 'Idempotency-Key': newIdempotencyKey() },
      );
      onDischarged(done);
    } catch (err) {
      setErrors(formErrors(err, ['discharged_on', 'discharge_reason']));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={caseCode ? T('shelters:discharge.title', { code: caseCode }) : T('shelters:discharge.title_this_case')}
      open
      onClose={onClose}
    >
      <ErrorSummary errors={errors} labels={fieldLabels} />
      <form onSubmit={submit} noValidate>
        <p class="muted">{T('shelters:discharge.admitted_on', { date: formatDate(stay.admitted_on) })}</p>
        <TextField
          id="discharged_on"
          type="date"
          label={fieldLabels.discharged_on}
          value={on}
          onInput={setOn}
          max={todayIso()}
          error={errors.discharged_on}
          width="medium"
        />
        <SelectField
          id="discharge_reason"
          label={fieldLabels.discharge_reason}
          value={reason}
          onChange={setReason}
          empty={T('shelters:discharge.choose_reason')}
          options={labels.terms('discharge_reasons').map((t) => ({ value: t.code, label: t.label }))}
          error={errors.discharge_reason}
        />
        <div class="button-row">
          <button type="submit" class="button button--warning" disabled={busy}>
            {T('shelters:discharge.submit')}
          </button>
          <button type="button" class="button button--secondary" onClick={onClose}>
            {T('common:cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

// The table of stays, shared by the case page and the shelter page.
export function StayTable({
  stays,
  caption,
  codeOf,
  shelterOf,
  onDischarge,
}: {
  stays: Stay[];
  caption: string;
  // The case column, when the table lists more than one case.
  codeOf?: (s: Stay) => string;
  // The shelter column, when the table lists more than one shelter.
  shelterOf?: (s: Stay) => Shelter | undefined;
  // When given, the open stays this user may end have a discharge button.
  onDischarge?: (s: Stay) => void;
}) {
  const T = useT();
  const labels = useLabels();
  return (
    <div class="table-wrap">
      <table class="table">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {codeOf && <th scope="col">{T('shelters:stay.case')}</th>}
            {shelterOf && <th scope="col">{T('shelters:stay.shelter')}</th>}
            <th scope="col">{T('shelters:stay.admitted_on')}</th>
            <th scope="col">{T('shelters:stay.discharged_on')}</th>
            <th scope="col">{T('shelters:stay.discharge_reason')}</th>
            {onDischarge && (
              <th scope="col">
                <span class="visually-hidden">{T('shelters:stay.actions')}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {stays.map((s) => {
            const shelter = shelterOf?.(s);
            return (
              <tr key={s.id}>
                {codeOf && (
                  <td>
                    <a href={`/cases/${s.case_id}`}>{codeOf(s)}</a>
                  </td>
                )}
                {shelterOf && (
                  <td>{shelter ? <a href={`/shelters/${shelter.id}`}>{shelter.name}</a> : `#${s.shelter_id}`}</td>
                )}
                <td>{formatDate(s.admitted_on)}</td>
                <td>{s.discharged_on ? formatDate(s.discharged_on) : <Tag tone="good">{T('shelters:stay.in_shelter')}</Tag>}</td>
                <td>{s.discharge_reason ? labels.label('discharge_reasons', s.discharge_reason) : '—'}</td>
                {onDischarge && (
                  <td>
                    {!s.discharged_on && (
                      <button type="button" class="button button--secondary button--small" onClick={() => onDischarge(s)}>
                        {T('shelters:discharge.button')}
                        {codeOf && <span class="visually-hidden"> {codeOf(s)}</span>}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function CaseStays({ caseId, canChange }: { caseId: number; canChange: boolean }) {
  const T = useT();
  const stays = useAsync(() => api.get<{ items: Stay[] }>(`/api/v1/cases/${caseId}/stays`), [caseId]);
  const shelters = useAsync(() => loadShelters(), []);
  const [discharging, setDischarging] = useState<Stay | null>(null);
  const [notice, setNotice] = useState('');
  const noticeRef = useRef<HTMLDivElement>(null);
  const focus = useFocusReturn();

  const byId = new Map((shelters.data ?? []).map((s) => [s.id, s]));
  // Only the staff of a shelter's own organisation admit and discharge there (you_admit).
  const staffOf = (s: Shelter | undefined) => !!s && canChange && s.you_admit;
  const own = (shelters.data ?? []).filter((s) => staffOf(s));
  const list = stays.data?.items ?? [];
  const open = list.find((s) => !s.discharged_on);
  const mayDischarge = !!open && staffOf(byId.get(open.shelter_id));
  const startDischarge = (s: Stay) => {
    focus.remember();
    setDischarging(s);
  };

  const done = (message: string) => {
    setNotice(message);
    stays.reload();
    shelters.reload();
    setTimeout(() => noticeRef.current?.focus(), 0);
  };

  return (
    <section class="section" aria-labelledby="case-stays-title">
      <h2 id="case-stays-title">{T('shelters:case_stays.title')}</h2>
      {notice && (
        <div ref={noticeRef} tabIndex={-1}>
          <Notice kind="success">{notice}</Notice>
        </div>
      )}
      {stays.error ? (
        <ErrorNotice error={stays.error} />
      ) : !stays.data ? (
        <Loading />
      ) : list.length === 0 ? (
        <p>{T('shelters:case_stays.none')}</p>
      ) : (
        <StayTable
          stays={[...list].sort((a, b) => b.admitted_on.localeCompare(a.admitted_on))}
          caption={T('shelters:case_stays.title')}
          shelterOf={(s) => byId.get(s.shelter_id)}
          onDischarge={mayDischarge ? startDischarge : undefined}
        />
      )}
      {stays.data && !open && own.length > 0 && (
        <AdmitToShelter
          caseId={caseId}
          shelters={own}
          onAdmitted={(shelter) => done(T('shelters:case_stays.admitted', { shelter: shelter.name }))}
        />
      )}
      {discharging && (
        <DischargeDialog
          stay={discharging}
          onClose={() => {
            setDischarging(null);
            focus.restore();
          }}
          onDischarged={() => {
            setDischarging(null);
            done(T('shelters:case_stays.discharged'));
          }}
        />
      )}
    </section>
  );
}

// Admission of this case into one of the user's own organisation's shelters.
function AdmitToShelter({
  caseId,
  shelters,
  onAdmitted,
}: {
  caseId: number;
  shelters: Shelter[];
  onAdmitted: (s: Shelter) => void;
}) {
  const T = useT();
  const [shelterId, setShelterId] = useState(shelters.length === 1 ? String(shelters[0].id) : '');
  const [on, setOn] = useState(todayIso());
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const fieldLabels = { stay_shelter_id: T('shelters:admit.shelter'), stay_admitted_on: T('shelters:admit.date') };

  const submit = async (e: Event) => {
    e.preventDefault();
    const problems: FieldErrors = {};
    if (!shelterId) problems.stay_shelter_id = T('shelters:admit.shelter_missing');
    if (!on) problems.stay_admitted_on = T('shelters:admit.date_missing');
    else if (on > todayIso()) problems.stay_admitted_on = T('common:errors.field.future');
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      await api.post<Stay>(
        `/api/v1/shelters/${shelterId}/stays`,
        { case_id: caseId, admitted_on: on },
        { 'Idempotency-Key': newIdempotencyKey() },
      );
      onAdmitted(shelters.find((s) => String(s.id) === shelterId)!);
    } catch (err) {
      setErrors(
        formErrors(err, [], { shelter_id: 'stay_shelter_id', admitted_on: 'stay_admitted_on', case_id: '_form' }),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate class="shelters-form" aria-labelledby="case-admit-title">
      <h3 id="case-admit-title">{T('shelters:admit.title')}</h3>
      <ErrorSummary errors={errors} labels={fieldLabels} />
      <SelectField
        id="stay_shelter_id"
        label={fieldLabels.stay_shelter_id}
        value={shelterId}
        onChange={setShelterId}
        empty={shelters.length === 1 ? undefined : T('shelters:admit.choose_shelter')}
        options={shelters.map((s) => ({
          value: String(s.id),
          label: T('shelters:admit.shelter_option', { name: s.name, free: formatNumber(s.free), count: s.free }),
        }))}
        error={errors.stay_shelter_id}
      />
      <TextField
        id="stay_admitted_on"
        type="date"
        label={fieldLabels.stay_admitted_on}
        value={on}
        onInput={setOn}
        max={todayIso()}
        error={errors.stay_admitted_on}
        width="medium"
      />
      <button type="submit" class="button" disabled={busy}>
        {T('shelters:admit.submit')}
      </button>
    </form>
  );
}

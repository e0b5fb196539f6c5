// The services a case received, and recording one (medical, psychological, legal …).
import { useState } from 'preact/hooks';
import { api, newIdempotencyKey } from '../../api';
import { ErrorSummary, SelectField, TextArea, TextField, formErrors, type FieldErrors } from '../../components/forms';
import { Loaded, Notice, useAsync, DataTable } from '../../components/ui';
import { formatDate, formatNumber, todayIso, useT } from '../../i18n';
import { session } from '../../session';
import { useLabels } from '../../vocab';

interface Service {
  id: number;
  type: string;
  delivered_on: string;
  quantity: number | null;
  duration_minutes: number | null;
  unit?: string | null;
  outcome?: string | null;
  notes?: string;
}

export function ServicesTab({ caseId, canChange }: { caseId: number; canChange: boolean }) {
  const T = useT();
  const labels = useLabels();
  const services = useAsync(() => api.get<{ items: Service[] }>(`/api/v1/cases/${caseId}/services`), [caseId]);
  const [type, setType] = useState('');
  const [on, setOn] = useState(todayIso());
  const [minutes, setMinutes] = useState('');
  const [outcome, setOutcome] = useState('');
  const [notes, setNotes] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [done, setDone] = useState(false);
  const fieldLabels = {
    type: T('cases:services.type'),
    delivered_on: T('cases:services.delivered_on'),
    duration_minutes: T('cases:services.minutes'),
    outcome: T('cases:services.outcome'),
    notes: T('cases:services.notes'),
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const problems: FieldErrors = {};
    if (!type) problems.type = T('cases:services.choose_type');
    if (!on) problems.delivered_on = T('cases:services.date_missing');
    if (minutes && !/^\d+$/.test(minutes)) problems.duration_minutes = T('cases:services.minutes_format');
    setErrors(problems);
    setDone(false);
    if (Object.keys(problems).length) return;
    const body: Record<string, unknown> = {
      type,
      delivered_on: on,
      provider_organization_id: session.get()!.user.organization_id,
    };
    if (minutes) body.duration_minutes = Number(minutes);
    if (outcome.trim()) body.outcome = outcome.trim();
    if (notes.trim()) body.notes = notes.trim();
    try {
      await api.post(`/api/v1/cases/${caseId}/services`, body, { 'Idempotency-Key': newIdempotencyKey() });
      setType('');
      setMinutes('');
      setOutcome('');
      setNotes('');
      setDone(true);
      services.reload();
    } catch (err) {
      setErrors(formErrors(err, Object.keys(fieldLabels)));
    }
  };

  return (
    <>
      <h2>{T('cases:services.title')}</h2>
      <Loaded value={services}>
        {(r) =>
          r.items.length === 0 ? (
            <p>{T('cases:services.none')}</p>
          ) : (
            <DataTable caption={T('cases:services.title')} columns={[fieldLabels.delivered_on, fieldLabels.type, { label: fieldLabels.duration_minutes, numeric: true }, fieldLabels.outcome]}>
              {r.items.map((s) => (
                <tr key={s.id}>
                  <td>{formatDate(s.delivered_on)}</td>
                  <td>{labels.label('service_types', s.type)}</td>
                  <td class="num">{formatNumber(s.duration_minutes)}</td>
                  <td>{s.outcome ?? ''}</td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Loaded>
      {canChange && (
        <section class="section" aria-labelledby="record-service">
          <h3 id="record-service">{T('cases:services.record')}</h3>
          {done && <Notice kind="success">{T('cases:services.recorded')}</Notice>}
          <ErrorSummary errors={errors} labels={fieldLabels} />
          <form onSubmit={submit} noValidate>
            <div class="grid-2">
              <SelectField id="type" label={fieldLabels.type} value={type} onChange={setType} empty={T('cases:register.choose')} error={errors.type}
                options={labels.terms('service_types').map((x) => ({ value: x.code, label: x.label }))} />
              <TextField id="delivered_on" type="date" label={fieldLabels.delivered_on} value={on} onInput={setOn} error={errors.delivered_on} width="medium" />
              <TextField id="duration_minutes" label={fieldLabels.duration_minutes} value={minutes} onInput={setMinutes} error={errors.duration_minutes} width="short" inputMode="numeric" />
              <TextField id="outcome" label={fieldLabels.outcome} value={outcome} onInput={setOutcome} error={errors.outcome} />
            </div>
            <TextArea id="notes" label={fieldLabels.notes} hint={T('cases:services.notes_hint')} value={notes} onInput={setNotes} error={errors.notes} rows={3} />
            <button type="submit" class="button">{T('cases:services.submit')}</button>
          </form>
        </section>
      )}
    </>
  );
}

// Moving a case through the workflow: the next statuses the server allows, a note,
// and for a closure its reason (with a supervisor, the closure becomes a request).
import { useState } from 'preact/hooks';
import { api, newIdempotencyKey } from '../../api';
import { ErrorSummary, SelectField, TextArea, TextField, formErrors, type FieldErrors } from '../../components/forms';
import { Notice } from '../../components/ui';
import { useT } from '../../i18n';
import { useLabels } from '../../vocab';
import type { CaseDetail } from './types';

export function StatusChange({ detail, onChanged }: { detail: CaseDetail; onChanged: () => void }) {
  const T = useT();
  const labels = useLabels();
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  const [on, setOn] = useState('');
  const [reason, setReason] = useState('');
  const [duplicateCode, setDuplicateCode] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [done, setDone] = useState('');
  const allowed = (detail.allowed_transitions ?? []).filter((s) => s !== 'returned');
  if (!allowed.length) return null;
  const closing = to === 'closed';
  const fieldLabels = {
    to: T('cases:status.to'),
    note: T('cases:status.note'),
    on: T('cases:status.on'),
    closure_reason: T('cases:status.closure_reason'),
    duplicate_of: T('cases:status.duplicate_of'),
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const problems: FieldErrors = {};
    if (!to) problems.to = T('cases:status.choose_status');
    if (closing && !reason) problems.closure_reason = T('cases:status.choose_reason');
    if (closing && reason === 'duplicate' && !duplicateCode.trim()) problems.duplicate_of = T('cases:status.duplicate_missing');
    setErrors(problems);
    setDone('');
    if (Object.keys(problems).length) return;
    try {
      const body: Record<string, unknown> = { to };
      if (note.trim()) body.note = note.trim();
      if (on) body.on = on;
      if (closing) body.closure_reason = reason;
      if (closing && reason === 'duplicate') {
        const kept = await api.get<{ id: number }>(`/api/v1/cases/by-code/${encodeURIComponent(duplicateCode.trim())}`);
        body.duplicate_of = kept.id;
      }
      const result = await api.post<{ closure_request?: unknown }>(`/api/v1/cases/${detail.id}/transitions`, body, {
        'Idempotency-Key': newIdempotencyKey(),
      });
      setDone(result.closure_request ? T('cases:status.closure_requested') : T('cases:status.changed'));
      setTo('');
      setNote('');
      setOn('');
      setReason('');
      setDuplicateCode('');
      onChanged();
    } catch (err) {
      setErrors(formErrors(err, Object.keys(fieldLabels)));
    }
  };

  return (
    <section class="section" aria-labelledby="status-title">
      <h2 id="status-title">{T('cases:status.title')}</h2>
      {done && <Notice kind="success">{done}</Notice>}
      <ErrorSummary errors={errors} labels={fieldLabels} />
      <form onSubmit={submit} noValidate>
        <div class="grid-2">
          <SelectField id="to" label={fieldLabels.to} value={to} onChange={setTo} empty={T('cases:register.choose')} error={errors.to}
            options={allowed.map((s) => ({ value: s, label: labels.label('case_statuses', s) }))} />
          <TextField id="on" type="date" label={fieldLabels.on} hint={T('cases:status.on_hint')} value={on} onInput={setOn} error={errors.on} width="medium" />
        </div>
        {closing && (
          <div class="grid-2">
            <SelectField id="closure_reason" label={fieldLabels.closure_reason} value={reason} onChange={setReason} empty={T('cases:register.choose')} error={errors.closure_reason}
              options={labels.terms('closure_reasons').map((x) => ({ value: x.code, label: x.label }))} />
            {reason === 'duplicate' && (
              <TextField id="duplicate_of" label={fieldLabels.duplicate_of} hint={T('cases:status.duplicate_hint')} value={duplicateCode} onInput={setDuplicateCode} error={errors.duplicate_of} width="medium" />
            )}
          </div>
        )}
        <TextArea id="note" label={fieldLabels.note} hint={closing ? T('cases:status.note_hint_closing') : T('cases:status.note_hint')} value={note} onInput={setNote} error={errors.note} rows={3} />
        <button type="submit" class="button">{T('cases:status.submit')}</button>
      </form>
    </section>
  );
}

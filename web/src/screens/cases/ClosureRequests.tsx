// The supervisor's queue: caseworkers' requests to close a case, approved or
// rejected with a note (never her own).
import { useState } from 'preact/hooks';
import { api } from '../../api';
import { TextArea, errorText } from '../../components/forms';
import { Dialog, Loaded, Notice, useAsync, usePageTitle, DataTable } from '../../components/ui';
import { formatDate, formatDateTime, useT } from '../../i18n';
import { useLabels } from '../../vocab';

interface ClosureRequest {
  id: number;
  case_id: number;
  case_code: string;
  closure_reason: string;
  on: string;
  note: string;
  requested_at: string;
}

export default function ClosureRequests() {
  const T = useT();
  const labels = useLabels();
  usePageTitle(T('cases:closures.title'));
  const queue = useAsync(() => api.get<{ items: ClosureRequest[] }>('/api/v1/closure-requests'), []);
  const [deciding, setDeciding] = useState<{ r: ClosureRequest; approve: boolean } | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const decide = async (e: Event) => {
    e.preventDefault();
    if (!deciding) return;
    if (!deciding.approve && !note.trim()) {
      setError(T('cases:closures.why_reject'));
      return;
    }
    try {
      await api.post(`/api/v1/cases/${deciding.r.case_id}/closure/${deciding.approve ? 'approve' : 'reject'}`, note.trim() ? { note: note.trim() } : {});
      setDone(T(deciding.approve ? 'cases:closures.approved' : 'cases:closures.rejected', { code: deciding.r.case_code }));
      setDeciding(null);
      setNote('');
      setError('');
      queue.reload();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <>
      <h1>{T('cases:closures.title')}</h1>
      {done && <Notice kind="success">{done}</Notice>}
      <Loaded value={queue}>
        {(r) =>
          r.items.length === 0 ? (
            <p>{T('cases:closures.none')}</p>
          ) : (
            <DataTable caption={T('cases:closures.title')} columns={[T('cases:fields.code'), T('cases:status.closure_reason'), T('cases:closures.requested'), T('cases:status.note'), T('cases:closures.decision')]}>
              {r.items.map((x) => (
                <tr key={x.id}>
                  <td><a href={`/cases/${x.case_id}`}>{x.case_code}</a></td>
                  <td>{labels.label('closure_reasons', x.closure_reason)} ({formatDate(x.on)})</td>
                  <td>{formatDateTime(x.requested_at)}</td>
                  <td>{x.note}</td>
                  <td>
                    <div class="button-row">
                      <button type="button" class="button" onClick={() => setDeciding({ r: x, approve: true })}>{T('cases:closures.approve')}</button>
                      <button type="button" class="button button--secondary" onClick={() => setDeciding({ r: x, approve: false })}>{T('cases:closures.reject')}</button>
                    </div>
                  </td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Loaded>
      <Dialog title={deciding ? T(deciding.approve ? 'cases:closures.approve_title' : 'cases:closures.reject_title', { code: deciding.r.case_code }) : ''} open={deciding !== null} onClose={() => setDeciding(null)}>
        <form onSubmit={decide} noValidate>
          <TextArea id="decision-note" label={T('cases:closures.note')} value={note} onInput={setNote} error={error} rows={3} />
          <div class="button-row">
            <button type="submit" class="button">{T('common:save')}</button>
            <button type="button" class="button button--secondary" onClick={() => setDeciding(null)}>{T('common:cancel')}</button>
          </div>
        </form>
      </Dialog>
    </>
  );
}

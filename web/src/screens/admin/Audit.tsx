// The audit log, for auditors: every write and every view of an identity, with who,
// from which organisation, on what and why; the API's filters and paging; and the
// check of the hash chain that shows whether any entry was changed or removed.
import { useState } from 'preact/hooks';
import { api, type Page } from '../../api';
import { ErrorSummary, SelectField, TextField, errorText, fieldErrorsOf, type FieldErrors } from '../../components/forms';
import { Loaded, Notice, Pager, useAsync, usePageTitle, usePager } from '../../components/ui';
import { formatDateTime, formatNumber, useT } from '../../i18n';
import { useLabels } from '../../vocab';
import './admin.css';

interface AuditEntry {
  seq: number;
  at: string;
  actor_user_id: number;
  actor_username: string;
  actor_organization_name: string;
  actor_role: string;
  actor_organization_id: number;
  action: string;
  object_type: string;
  object_id: string;
  reason: string;
  details: Record<string, unknown>;
  request_id: string;
  prev_hash: string;
  hash: string;
}

interface Verification {
  intact: boolean;
  entries: number;
  head_hash: string;
  first_broken_seq?: number;
  problem?: string;
}

interface Filters {
  action: string;
  actor: string;
  object_type: string;
  object_id: string;
  from: string;
  to: string;
  order: string;
}

const EMPTY: Filters = { action: '', actor: '', object_type: '', object_id: '', from: '', to: '', order: 'newest_first' };
const FIELDS = ['action', 'actor', 'object_type', 'object_id', 'from', 'to', 'order'];

function VerifyChain() {
  const T = useT();
  const [result, setResult] = useState<Verification | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    setError('');
    setResult(null);
    try {
      setResult(await api.post<Verification>('/api/v1/audit/verify', {}));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="admin-panel" aria-labelledby="verify-title">
      <h2 id="verify-title">{T('admin:audit.verify_title')}</h2>
      <p>{T('admin:audit.verify_intro')}</p>
      <button type="button" class="button" onClick={verify} disabled={busy}>
        {busy ? T('admin:audit.verifying') : T('admin:audit.verify')}
      </button>
      <div aria-live="polite">
        {error && <div class="notice notice--error">{error}</div>}
        {result?.intact && (
          <Notice kind="success">
            <strong>{T('admin:audit.intact')}</strong> {T('admin:audit.intact_text', { count: result.entries })}
            <br />
            <span class="audit-hash">
              {T('admin:audit.head_hash')}: <code>{result.head_hash}</code>
            </span>
          </Notice>
        )}
        {result && !result.intact && (
          <div class="notice notice--error">
            <strong>{T('admin:audit.broken')}</strong>{' '}
            {T('admin:audit.broken_text', { seq: formatNumber(result.first_broken_seq ?? 0) })}
            {result.problem && (
              <>
                <br />
                {result.problem}
              </>
            )}
          </div>
        )}
      </div>
    </section>
  );
}

function Details({ entry }: { entry: AuditEntry }) {
  const T = useT();
  const keys = Object.keys(entry.details ?? {});
  if (!keys.length) return null;
  return (
    <details class="audit-details">
      <summary>
        {T('admin:audit.details')}
        <span class="visually-hidden"> {T('admin:audit.entry_n', { n: entry.seq })}</span>
      </summary>
      <pre>{JSON.stringify(entry.details, null, 2)}</pre>
    </details>
  );
}

export default function Audit() {
  const T = useT();
  const labels = useLabels();
  usePageTitle(T('admin:audit.title'));
  const pager = usePager();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const list = useAsync(
    () =>
      api.get<Page<AuditEntry>>('/api/v1/audit', { limit: 50, cursor: pager.cursor, ...filters }).catch((err) => {
        const f = fieldErrorsOf(err, FIELDS);
        if (f) setErrors(f);
        throw err;
      }),
    [pager.cursor, JSON.stringify(filters)],
  );
  const fieldLabels = {
    action: T('admin:audit.action'),
    actor: T('admin:audit.actor'),
    object_type: T('admin:audit.object_type'),
    object_id: T('admin:audit.object_id'),
    from: T('admin:audit.from'),
    to: T('admin:audit.to'),
    order: T('admin:audit.order'),
  };
  const set = (k: keyof Filters) => (v: string) => setDraft({ ...draft, [k]: v });

  const apply = (e: Event) => {
    e.preventDefault();
    const problems: FieldErrors = {};
    if (draft.actor && !/^\d+$/.test(draft.actor)) problems.actor = T('admin:audit.actor_number');
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setFilters({ ...draft, action: draft.action.trim(), object_type: draft.object_type.trim(), object_id: draft.object_id.trim() });
    pager.reset();
  };
  const clear = () => {
    setErrors({});
    setDraft(EMPTY);
    setFilters(EMPTY);
    pager.reset();
  };

  return (
    <>
      <h1>{T('admin:audit.title')}</h1>
      <p class="lead">{T('admin:audit.intro')}</p>
      <VerifyChain />
      <h2>{T('admin:audit.entries')}</h2>
      <ErrorSummary errors={errors} labels={fieldLabels} />
      <form class="filters" onSubmit={apply} noValidate aria-label={T('admin:filters')}>
        <TextField id="action" label={fieldLabels.action} hint={T('admin:audit.action_hint')} value={draft.action} onInput={set('action')} error={errors.action} width="short" />
        <TextField id="actor" label={fieldLabels.actor} hint={T('admin:audit.actor_hint')} value={draft.actor} onInput={set('actor')} error={errors.actor} width="short" inputMode="numeric" />
        <TextField id="object_type" label={fieldLabels.object_type} hint={T('admin:audit.object_type_hint')} value={draft.object_type} onInput={set('object_type')} error={errors.object_type} width="short" />
        <TextField id="object_id" label={fieldLabels.object_id} value={draft.object_id} onInput={set('object_id')} error={errors.object_id} width="short" />
        <TextField id="from" type="date" label={fieldLabels.from} value={draft.from} onInput={set('from')} error={errors.from} />
        <TextField id="to" type="date" label={fieldLabels.to} value={draft.to} onInput={set('to')} error={errors.to} />
        <SelectField
          id="order"
          label={fieldLabels.order}
          value={draft.order}
          options={[
            { value: 'newest_first', label: T('admin:audit.newest_first') },
            { value: 'oldest_first', label: T('admin:audit.oldest_first') },
          ]}
          onChange={set('order')}
          error={errors.order}
        />
        <div class="field button-row admin-filter-buttons">
          <button type="submit" class="button">
            {T('common:apply_filters')}
          </button>
          <button type="button" class="button button--secondary" onClick={clear}>
            {T('common:clear')}
          </button>
        </div>
      </form>
      <Loaded value={list}>
        {(page) =>
          page.items.length === 0 ? (
            <p>{T('admin:audit.none')}</p>
          ) : (
            <>
              <div class="table-wrap">
                <table class="table audit-table">
                  <caption class="visually-hidden">{T('admin:audit.entries')}</caption>
                  <thead>
                    <tr>
                      <th scope="col" class="num">{T('admin:audit.seq')}</th>
                      <th scope="col">{T('admin:audit.at')}</th>
                      <th scope="col">{T('admin:audit.user')}</th>
                      <th scope="col">{T('admin:audit.organization')}</th>
                      <th scope="col">{T('admin:audit.action')}</th>
                      <th scope="col">{T('admin:audit.object')}</th>
                      <th scope="col">{T('admin:audit.reason')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((e) => (
                      <tr key={e.seq}>
                        <td class="num">{e.seq}</td>
                        <td>{formatDateTime(e.at)}</td>
                        <td>
                          {e.actor_username || T('admin:audit.system')}
                          {e.actor_role && <div class="muted">{labels.label('roles', e.actor_role)}</div>}
                        </td>
                        <td>{e.actor_organization_name || '—'}</td>
                        <td>
                          <code>{e.action}</code>
                        </td>
                        <td>
                          {e.object_type ? (
                            <>
                              {e.object_type} <span class="muted">#{e.object_id}</span>
                            </>
                          ) : (
                            '—'
                          )}
                          <Details entry={e} />
                        </td>
                        <td>{e.reason || '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager pager={pager} nextCursor={page.next_cursor} />
            </>
          )
        }
      </Loaded>
    </>
  );
}

// The coalition's organisations: the list, a new one, a correction of its name, kind
// or region, and deactivation (its users can no longer sign in, it receives no
// referral) or reactivation. Every signed-in user may read the directory; only
// administrators and coordinators change it, and the server decides.
import { useState } from 'preact/hooks';
import { api, type Page } from '../../api';
import { ErrorSummary, SelectField, TextField, errorText, fieldErrorsOf, type FieldErrors } from '../../components/forms';
import { Dialog, Loaded, Notice, Pager, Tag, useAsync, usePageTitle, usePager, DataTable } from '../../components/ui';
import { useT } from '../../i18n';
import { useLabels } from '../../vocab';
import type { Organization } from '../../organizations';
import './admin.css';

interface Draft {
  name: string;
  kind: string;
  region: string;
}

const FIELDS = ['name', 'kind', 'region'];

function OrganizationForm({
  idPrefix,
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  idPrefix: string;
  initial: Draft;
  submitLabel: string;
  onSubmit: (d: Draft) => Promise<void>;
  onCancel?: () => void;
}) {
  const T = useT();
  const labels = useLabels();
  const [draft, setDraft] = useState<Draft>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const fieldLabels = {
    [`${idPrefix}name`]: T('admin:organizations.name'),
    [`${idPrefix}kind`]: T('admin:organizations.kind'),
    [`${idPrefix}region`]: T('admin:organizations.region'),
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const problems: FieldErrors = {};
    if (!draft.name.trim()) problems[`${idPrefix}name`] = T('admin:organizations.name_missing');
    if (!draft.kind) problems[`${idPrefix}kind`] = T('admin:organizations.kind_missing');
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      await onSubmit({ ...draft, name: draft.name.trim() });
    } catch (err) {
      const f = fieldErrorsOf(err, FIELDS);
      setErrors(f ? Object.fromEntries(Object.entries(f).map(([k, v]) => [`${idPrefix}${k}`, v])) : { _form: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary errors={errors} labels={fieldLabels} />
      <TextField
        id={`${idPrefix}name`}
        label={fieldLabels[`${idPrefix}name`]}
        value={draft.name}
        onInput={(name) => setDraft({ ...draft, name })}
        error={errors[`${idPrefix}name`]}
      />
      <SelectField
        id={`${idPrefix}kind`}
        label={fieldLabels[`${idPrefix}kind`]}
        value={draft.kind}
        empty={T('admin:choose')}
        options={labels.terms('organization_kinds').map((t) => ({ value: t.code, label: t.label }))}
        onChange={(kind) => setDraft({ ...draft, kind })}
        error={errors[`${idPrefix}kind`]}
      />
      <SelectField
        id={`${idPrefix}region`}
        label={fieldLabels[`${idPrefix}region`]}
        hint={T('admin:organizations.region_hint')}
        value={draft.region}
        empty={T('admin:organizations.no_region')}
        options={labels.regions.map((t) => ({ value: t.code, label: t.label }))}
        onChange={(region) => setDraft({ ...draft, region })}
        error={errors[`${idPrefix}region`]}
      />
      <div class="button-row">
        <button type="submit" class="button" disabled={busy}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" class="button button--secondary" onClick={onCancel}>
            {T('common:cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

export default function Organizations() {
  const T = useT();
  const labels = useLabels();
  usePageTitle(T('admin:organizations.title'));
  const pager = usePager();
  const list = useAsync(
    () => api.get<Page<Organization>>('/api/v1/organizations', { limit: 50, cursor: pager.cursor }),
    [pager.cursor],
  );
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Organization | null>(null);
  const [confirm, setConfirm] = useState<Organization | null>(null);
  const [message, setMessage] = useState('');
  const [actionError, setActionError] = useState('');

  const create = async (d: Draft) => {
    const o = await api.post<Organization>('/api/v1/organizations', {
      name: d.name,
      kind: d.kind,
      region: d.region || null,
    });
    setCreating(false);
    setMessage(T('admin:organizations.created', { name: o.name }));
    list.reload();
  };

  const update = async (d: Draft) => {
    if (!editing) return;
    const o = await api.patch<Organization>(`/api/v1/organizations/${editing.id}`, {
      name: d.name,
      kind: d.kind,
      region: d.region || null,
    });
    setEditing(null);
    setMessage(T('admin:organizations.saved', { name: o.name }));
    list.reload();
  };

  const setActive = async (o: Organization, active: boolean) => {
    setActionError('');
    try {
      const changed = await api.patch<Organization>(`/api/v1/organizations/${o.id}`, { active });
      setConfirm(null);
      setMessage(
        active
          ? T('admin:organizations.reactivated', { name: changed.name })
          : T('admin:organizations.deactivated', { name: changed.name }),
      );
      list.reload();
    } catch (err) {
      setActionError(errorText(err));
    }
  };

  return (
    <>
      <div class="toolbar">
        <h1>{T('admin:organizations.title')}</h1>
        {!creating && (
          <button type="button" class="button" onClick={() => { setCreating(true); setMessage(''); }}>
            {T('admin:organizations.new')}
          </button>
        )}
      </div>
      {message && <Notice kind="success">{message}</Notice>}
      {actionError && !confirm && <div class="notice notice--error" role="alert">{actionError}</div>}
      {creating && (
        <section class="admin-panel" aria-labelledby="new-org-title">
          <h2 id="new-org-title">{T('admin:organizations.new')}</h2>
          <OrganizationForm
            idPrefix="new-org-"
            initial={{ name: '', kind: '', region: '' }}
            submitLabel={T('admin:organizations.create')}
            onSubmit={create}
            onCancel={() => setCreating(false)}
          />
        </section>
      )}
      <Loaded value={list}>
        {(page) => (
          <>
            <DataTable caption={T('admin:organizations.title')} columns={[T('admin:organizations.name'), T('admin:organizations.kind'), T('admin:organizations.region'), T('admin:status'), T('admin:actions')]}>
              {page.items.map((o) => (
                <tr key={o.id}>
                  <td>{o.name}</td>
                  <td>{labels.label('organization_kinds', o.kind)}</td>
                  <td>{o.region ? labels.region(o.region) : '—'}</td>
                  <td>
                    {o.active ? <Tag tone="good">{T('admin:active')}</Tag> : <Tag tone="bad">{T('admin:inactive')}</Tag>}
                  </td>
                  <td>
                    <div class="admin-actions">
                      <button type="button" class="button button--secondary" onClick={() => { setEditing(o); setMessage(''); }}>
                        {T('admin:edit')}
                        <span class="visually-hidden"> {o.name}</span>
                      </button>
                      {o.active ? (
                        <button type="button" class="button button--secondary" onClick={() => { setActionError(''); setConfirm(o); }}>
                          {T('admin:deactivate')}
                          <span class="visually-hidden"> {o.name}</span>
                        </button>
                      ) : (
                        <button type="button" class="button button--secondary" onClick={() => setActive(o, true)}>
                          {T('admin:reactivate')}
                          <span class="visually-hidden"> {o.name}</span>
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </DataTable>
            <Pager pager={pager} nextCursor={page.next_cursor} />
          </>
        )}
      </Loaded>
      {editing && (
        <Dialog title={T('admin:organizations.edit_title')} open onClose={() => setEditing(null)}>
          <OrganizationForm
            idPrefix="edit-org-"
            initial={{ name: editing.name, kind: editing.kind, region: editing.region ?? '' }}
            submitLabel={T('common:save')}
            onSubmit={update}
            onCancel={() => setEditing(null)}
          />
        </Dialog>
      )}
      {confirm && (
        <Dialog title={T('admin:organizations.deactivate_title')} open onClose={() => setConfirm(null)}>
          <>
            <p>{T('admin:organizations.deactivate_text', { name: confirm.name })}</p>
            {actionError && <div class="notice notice--error" role="alert">{actionError}</div>}
            <div class="button-row">
              <button type="button" class="button button--warning" onClick={() => setActive(confirm, false)}>
                {T('admin:deactivate')}
              </button>
              <button type="button" class="button button--secondary" onClick={() => setConfirm(null)}>
                {T('common:cancel')}
              </button>
            </div>
          </>
        </Dialog>
      )}
    </>
  );
}

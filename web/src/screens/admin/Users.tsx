// Accounts: the list by organisation, role and state; a new account; a change of role;
// deactivation and reactivation; unlocking after repeated wrong passwords; and a reset
// that gives a one-time password, shown here once and never again, to be handed over
// in person. Which accounts one may manage is the server's decision (a coordinator
// manages coordinator, analyst and auditor accounts only).
import { useState } from 'preact/hooks';
import { api, type Page } from '../../api';
import { ErrorSummary, SelectField, TextField, errorText, formErrors, type FieldErrors } from '../../components/forms';
import { Dialog, Loaded, Notice, Pager, Tag, useAsync, usePageTitle, usePager, DataTable } from '../../components/ui';
import { formatDate, useT } from '../../i18n';
import type { User } from '../../session';
import { useLabels } from '../../vocab';
import { useOrganizations } from '../../organizations';
import './admin.css';

interface AccountUser extends User {
  created_at: string;
  created_by: number | null;
}

interface Filters {
  organization_id: string;
  role: string;
  active: string;
}

type Action =
  | { kind: 'role'; user: AccountUser }
  | { kind: 'deactivate'; user: AccountUser }
  | { kind: 'reset'; user: AccountUser }
  | { kind: 'one_time'; user: AccountUser; password: string };

function NewUserForm({ onCreated, onCancel }: { onCreated: (u: AccountUser) => void; onCancel: () => void }) {
  const T = useT();
  const labels = useLabels();
  const orgs = useOrganizations();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState('');
  const [org, setOrg] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const fieldLabels = {
    username: T('admin:users.username'),
    password: T('admin:users.initial_password'),
    role: T('admin:users.role'),
    organization_id: T('admin:users.organization'),
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const problems: FieldErrors = {};
    if (!username.trim()) problems.username = T('admin:users.username_missing');
    if (password.length < 12) problems.password = T('admin:users.password_too_short', { count: 12 });
    if (!role) problems.role = T('admin:users.role_missing');
    if (!org) problems.organization_id = T('admin:users.organization_missing');
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      const created = await api.post<AccountUser>('/api/v1/users', {
        username: username.trim(),
        password,
        role,
        organization_id: Number(org),
      });
      setPassword('');
      onCreated(created);
    } catch (err) {
      setErrors(formErrors(err, Object.keys(fieldLabels)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary errors={errors} labels={fieldLabels} />
      <TextField id="username" label={fieldLabels.username} hint={T('admin:users.username_hint')} value={username} onInput={setUsername} error={errors.username} width="medium" />
      <TextField
        id="password"
        type="password"
        label={fieldLabels.password}
        hint={T('admin:users.initial_password_hint')}
        value={password}
        onInput={setPassword}
        autocomplete="new-password"
        error={errors.password}
        width="medium"
      />
      <SelectField
        id="role"
        label={fieldLabels.role}
        value={role}
        empty={T('admin:choose')}
        options={labels.terms('roles').map((t) => ({ value: t.code, label: t.label }))}
        onChange={setRole}
        error={errors.role}
      />
      <SelectField
        id="organization_id"
        label={fieldLabels.organization_id}
        value={org}
        empty={T('admin:choose')}
        options={orgs.list.filter((o) => o.active).map((o) => ({ value: String(o.id), label: o.name }))}
        onChange={setOrg}
        error={errors.organization_id}
      />
      <div class="button-row">
        <button type="submit" class="button" disabled={busy}>
          {T('admin:users.create')}
        </button>
        <button type="button" class="button button--secondary" onClick={onCancel}>
          {T('common:cancel')}
        </button>
      </div>
    </form>
  );
}

function ChangeRole({ user, onDone, onCancel }: { user: AccountUser; onDone: (u: AccountUser) => void; onCancel: () => void }) {
  const T = useT();
  const labels = useLabels();
  const [role, setRole] = useState(user.role as string);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      onDone(await api.patch<AccountUser>(`/api/v1/users/${user.id}`, { role }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <p>{T('admin:users.role_of', { username: user.username })}</p>
      <SelectField
        id="new-role"
        label={T('admin:users.new_role')}
        value={role}
        options={labels.terms('roles').map((t) => ({ value: t.code, label: t.label }))}
        onChange={setRole}
        error={error || undefined}
      />
      <div class="button-row">
        <button type="submit" class="button" disabled={busy || role === user.role}>
          {T('admin:users.change_role')}
        </button>
        <button type="button" class="button button--secondary" onClick={onCancel}>
          {T('common:cancel')}
        </button>
      </div>
    </form>
  );
}

export default function Users() {
  const T = useT();
  const labels = useLabels();
  const orgs = useOrganizations();
  usePageTitle(T('admin:users.title'));
  const pager = usePager();
  const empty: Filters = { organization_id: '', role: '', active: '' };
  const [draft, setDraft] = useState<Filters>(empty);
  const [filters, setFilters] = useState<Filters>(empty);
  const list = useAsync(
    () => api.get<Page<AccountUser>>('/api/v1/users', { limit: 50, cursor: pager.cursor, ...filters }),
    [pager.cursor, JSON.stringify(filters)],
  );
  const [creating, setCreating] = useState(false);
  const [action, setAction] = useState<Action | null>(null);
  const [message, setMessage] = useState('');
  const [actionError, setActionError] = useState('');
  const [busy, setBusy] = useState(false);

  const apply = (e: Event) => {
    e.preventDefault();
    setFilters(draft);
    pager.reset();
  };
  const clear = () => {
    setDraft(empty);
    setFilters(empty);
    pager.reset();
  };

  const step = async (u: AccountUser, what: 'deactivate' | 'reactivate' | 'unlock') => {
    setActionError('');
    setMessage('');
    setBusy(true);
    try {
      await api.post(`/api/v1/users/${u.id}/${what}`, {});
      setAction(null);
      const done = {
        deactivate: T('admin:users.done_deactivate', { username: u.username }),
        reactivate: T('admin:users.done_reactivate', { username: u.username }),
        unlock: T('admin:users.done_unlock', { username: u.username }),
      };
      setMessage(done[what]);
      list.reload();
    } catch (err) {
      setActionError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const reset = async (u: AccountUser) => {
    setActionError('');
    setMessage('');
    setBusy(true);
    try {
      const r = await api.post<{ user: AccountUser; one_time_password: string }>(`/api/v1/users/${u.id}/reset-password`, {});
      setAction({ kind: 'one_time', user: r.user, password: r.one_time_password });
      list.reload();
    } catch (err) {
      setActionError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const closeAction = () => {
    // The one-time password leaves the page's memory with the dialog.
    setAction(null);
    setActionError('');
  };

  return (
    <>
      <div class="toolbar">
        <h1>{T('admin:users.title')}</h1>
        {!creating && (
          <button type="button" class="button" onClick={() => { setCreating(true); setMessage(''); }}>
            {T('admin:users.new')}
          </button>
        )}
      </div>
      {message && <Notice kind="success">{message}</Notice>}
      {actionError && !action && <div class="notice notice--error" role="alert">{actionError}</div>}
      {creating && (
        <section class="admin-panel" aria-labelledby="new-user-title">
          <h2 id="new-user-title">{T('admin:users.new')}</h2>
          <NewUserForm
            onCreated={(u) => {
              setCreating(false);
              setMessage(T('admin:users.created', { username: u.username }));
              list.reload();
            }}
            onCancel={() => setCreating(false)}
          />
        </section>
      )}
      <form class="filters" onSubmit={apply} aria-label={T('admin:filters')}>
        <SelectField
          id="filter-org"
          label={T('admin:users.organization')}
          value={draft.organization_id}
          empty={T('common:any')}
          options={orgs.list.map((o) => ({ value: String(o.id), label: o.name }))}
          onChange={(organization_id) => setDraft({ ...draft, organization_id })}
        />
        <SelectField
          id="filter-role"
          label={T('admin:users.role')}
          value={draft.role}
          empty={T('common:any')}
          options={labels.terms('roles').map((t) => ({ value: t.code, label: t.label }))}
          onChange={(role) => setDraft({ ...draft, role })}
        />
        <SelectField
          id="filter-active"
          label={T('admin:status')}
          value={draft.active}
          empty={T('common:any')}
          options={[
            { value: 'true', label: T('admin:active') },
            { value: 'false', label: T('admin:inactive') },
          ]}
          onChange={(active) => setDraft({ ...draft, active })}
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
            <p>{T('admin:users.none')}</p>
          ) : (
            <>
              <DataTable caption={T('admin:users.title')} columns={[T('admin:users.username'), T('admin:users.role'), T('admin:users.organization'), T('admin:status'), T('admin:users.created_on'), T('admin:actions')]}>
                {page.items.map((u) => (
                  <tr key={u.id}>
                    <td>{u.username}</td>
                    <td>{labels.label('roles', u.role)}</td>
                    <td>{orgs.name(u.organization_id)}</td>
                    <td>
                      {u.active ? <Tag tone="good">{T('admin:active')}</Tag> : <Tag tone="bad">{T('admin:inactive')}</Tag>}
                      {u.must_change_password && (
                        <>
                          {' '}
                          <Tag tone="warn">{T('admin:users.must_change')}</Tag>
                        </>
                      )}
                    </td>
                    <td>{formatDate(u.created_at)}</td>
                    <td>
                      <div class="admin-actions">
                        <button type="button" class="button button--secondary" onClick={() => { setActionError(''); setAction({ kind: 'role', user: u }); }}>
                          {T('admin:users.change_role')}
                          <span class="visually-hidden"> {u.username}</span>
                        </button>
                        {u.active ? (
                          <button type="button" class="button button--secondary" onClick={() => { setActionError(''); setAction({ kind: 'deactivate', user: u }); }}>
                            {T('admin:deactivate')}
                            <span class="visually-hidden"> {u.username}</span>
                          </button>
                        ) : (
                          <button type="button" class="button button--secondary" disabled={busy} onClick={() => step(u, 'reactivate')}>
                            {T('admin:reactivate')}
                            <span class="visually-hidden"> {u.username}</span>
                          </button>
                        )}
                        <button type="button" class="button button--secondary" disabled={busy} onClick={() => step(u, 'unlock')}>
                          {T('admin:users.unlock')}
                          <span class="visually-hidden"> {u.username}</span>
                        </button>
                        <button type="button" class="button button--secondary" onClick={() => { setActionError(''); setAction({ kind: 'reset', user: u }); }}>
                          {T('admin:users.reset_password')}
                          <span class="visually-hidden"> {u.username}</span>
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </DataTable>
              <Pager pager={pager} nextCursor={page.next_cursor} />
            </>
          )
        }
      </Loaded>

      {action?.kind === 'role' && (
        <Dialog title={T('admin:users.change_role')} open onClose={closeAction}>
          <ChangeRole
            user={action.user}
            onCancel={closeAction}
            onDone={(u) => {
              closeAction();
              setMessage(T('admin:users.role_changed', { username: u.username, role: labels.label('roles', u.role) }));
              list.reload();
            }}
          />
        </Dialog>
      )}
      {action?.kind === 'deactivate' && (
        <Dialog title={T('admin:users.deactivate_title')} open onClose={closeAction}>
          <p>{T('admin:users.deactivate_text', { username: action.user.username })}</p>
          {actionError && <div class="notice notice--error" role="alert">{actionError}</div>}
          <div class="button-row">
            <button type="button" class="button button--warning" disabled={busy} onClick={() => step(action.user, 'deactivate')}>
              {T('admin:deactivate')}
            </button>
            <button type="button" class="button button--secondary" onClick={closeAction}>
              {T('common:cancel')}
            </button>
          </div>
        </Dialog>
      )}
      {action?.kind === 'reset' && (
        <Dialog title={T('admin:users.reset_title')} open onClose={closeAction}>
          <p>{T('admin:users.reset_text', { username: action.user.username })}</p>
          {actionError && <div class="notice notice--error" role="alert">{actionError}</div>}
          <div class="button-row">
            <button type="button" class="button button--warning" disabled={busy} onClick={() => reset(action.user)}>
              {T('admin:users.reset_password')}
            </button>
            <button type="button" class="button button--secondary" onClick={closeAction}>
              {T('common:cancel')}
            </button>
          </div>
        </Dialog>
      )}
      {action?.kind === 'one_time' && (
        <Dialog title={T('admin:users.one_time_title')} open onClose={closeAction}>
          <p>{T('admin:users.one_time_for', { username: action.user.username })}</p>
          <p class="one-time-password">
            {T('admin:users.one_time_password')}: <code>{action.password}</code>
          </p>
          <div class="notice notice--warning" role="alert">
            <p class="warning-text">{T('admin:users.one_time_warning')}</p>
            <p>{T('admin:users.one_time_next')}</p>
          </div>
          <div class="button-row">
            <button type="button" class="button" onClick={closeAction}>
              {T('admin:users.one_time_done')}
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}

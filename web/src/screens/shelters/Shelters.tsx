// The shelters of the coalition with their beds free and taken now; a coordinator, or
// a shelter manager for her own organisation, adds a shelter.
import { useRef, useState } from 'preact/hooks';
import { api, newIdempotencyKey, type Page } from '../../api';
import { ErrorSummary, SelectField, TextArea, TextField, formErrors, type FieldErrors } from '../../components/forms';
import { Loaded, Notice, Pager, Tag, usePageTitle, usePager, useAsync, DataTable } from '../../components/ui';
import { formatNumber, useT } from '../../i18n';
import { can } from '../../session';
import { useLabels } from '../../vocab';
import { loadAllOrganizations, type Organization } from '../../organizations';
import { type Shelter } from './CaseStays';
import './shelters.css';

const PAGE = 50;

export default function Shelters() {
  const T = useT();
  const labels = useLabels();
  usePageTitle(T('shelters:list.title'));
  const pager = usePager();
  const shelters = useAsync(
    () => api.get<Page<Shelter>>('/api/v1/shelters', { limit: PAGE, cursor: pager.cursor }),
    [pager.cursor],
  );
  const [created, setCreated] = useState<Shelter | null>(null);
  const createdRef = useRef<HTMLDivElement>(null);

  return (
    <>
      <h1>{T('shelters:list.title')}</h1>
      <p class="lead">{T('shelters:list.intro')}</p>
      {created && (
        <div ref={createdRef} tabIndex={-1}>
          <Notice kind="success">
            {T('shelters:create.created', { name: created.name })}{' '}
            <a href={`/shelters/${created.id}`}>{T('shelters:create.open')}</a>
          </Notice>
        </div>
      )}
      <Loaded value={shelters}>
        {(page) =>
          page.items.length === 0 ? (
            <p>{T('shelters:list.none')}</p>
          ) : (
            <>
              <DataTable caption={T('shelters:list.caption')} columns={[T('shelters:field.name'), T('shelters:field.region'), { label: T('shelters:field.capacity'), numeric: true }, { label: T('shelters:field.occupied'), numeric: true }, { label: T('shelters:field.free'), numeric: true }, { label: T('shelters:field.family_rooms'), numeric: true }, { label: T('shelters:field.child_places'), numeric: true }]}>
                {page.items.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <a href={`/shelters/${s.id}`}>{s.name}</a>
                    </td>
                    <td>{labels.region(s.region)}</td>
                    <td class="num">{formatNumber(s.capacity)}</td>
                    <td class="num">{formatNumber(s.occupied)}</td>
                    <td class="num">
                      {s.free === 0 ? <Tag tone="bad">{T('shelters:list.full')}</Tag> : formatNumber(s.free)}
                    </td>
                    <td class="num">{formatNumber(s.family_rooms)}</td>
                    <td class="num">{formatNumber(s.child_places)}</td>
                  </tr>
                ))}
              </DataTable>
              {(pager.page > 1 || page.next_cursor) && <Pager pager={pager} nextCursor={page.next_cursor} />}
            </>
          )
        }
      </Loaded>
      {can('manage_shelters') && (
        <CreateShelter
          onCreated={(s) => {
            setCreated(s);
            pager.reset();
            shelters.reload();
            setTimeout(() => createdRef.current?.focus(), 0);
          }}
        />
      )}
    </>
  );
}

const FIELDS = ['organization_id', 'name', 'region', 'capacity', 'family_rooms', 'child_places', 'address'];

function wholeNumber(v: string): number | null {
  return /^\d{1,6}$/.test(v.trim()) ? Number(v.trim()) : null;
}

function CreateShelter({ onCreated }: { onCreated: (s: Shelter) => void }) {
  const T = useT();
  const labels = useLabels();
  // A coordinator adds a shelter for any organisation; a shelter manager for her own,
  // which the server takes when none is named.
  const forAny = can('see_shelter_addresses') && can('manage_organizations');
  const orgs = useAsync(
    () =>
      forAny
        ? loadAllOrganizations().then((all) => all.filter((o) => o.active))
        : Promise.resolve([] as Organization[]),
    [forAny],
  );
  const [form, setForm] = useState({
    organization_id: '',
    name: '',
    region: '',
    capacity: '',
    family_rooms: '0',
    child_places: '0',
    address: '',
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const fieldLabels: Record<string, string> = {
    organization_id: T('shelters:field.organization'),
    name: T('shelters:field.name'),
    region: T('shelters:field.region'),
    capacity: T('shelters:field.capacity'),
    family_rooms: T('shelters:field.family_rooms'),
    child_places: T('shelters:field.child_places'),
    address: T('shelters:field.address'),
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const problems: FieldErrors = {};
    const capacity = wholeNumber(form.capacity);
    const family = wholeNumber(form.family_rooms || '0');
    const child = wholeNumber(form.child_places || '0');
    if (forAny && !form.organization_id) problems.organization_id = T('shelters:create.organization_missing');
    if (!form.name.trim()) problems.name = T('shelters:create.name_missing');
    if (!form.region) problems.region = T('shelters:create.region_missing');
    if (capacity === null || capacity < 1 || capacity > 10000) problems.capacity = T('shelters:create.capacity_invalid');
    if (family === null || (capacity !== null && family > capacity)) problems.family_rooms = T('shelters:create.part_invalid');
    if (child === null || (capacity !== null && child > capacity)) problems.child_places = T('shelters:create.part_invalid');
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      const body: Record<string, unknown> = {
        name: form.name.trim(),
        region: form.region,
        capacity,
        family_rooms: family,
        child_places: child,
        address: form.address.trim(),
      };
      if (forAny) body.organization_id = Number(form.organization_id);
      const s = await api.post<Shelter>('/api/v1/shelters', body, { 'Idempotency-Key': newIdempotencyKey() });
      setForm({ organization_id: '', name: '', region: '', capacity: '', family_rooms: '0', child_places: '0', address: '' });
      onCreated(s);
    } catch (err) {
      setErrors(formErrors(err, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="section" aria-labelledby="create-shelter-title">
      <h2 id="create-shelter-title">{T('shelters:create.title')}</h2>
      <ErrorSummary errors={errors} labels={fieldLabels} />
      <form onSubmit={submit} noValidate class="shelters-form">
        {forAny && (
          <SelectField
            id="organization_id"
            label={fieldLabels.organization_id}
            value={form.organization_id}
            onChange={set('organization_id')}
            empty={T('shelters:create.choose_organization')}
            options={(orgs.data ?? []).map((o) => ({ value: String(o.id), label: o.name }))}
            error={errors.organization_id}
          />
        )}
        <TextField id="name" label={fieldLabels.name} value={form.name} onInput={set('name')} error={errors.name} />
        <SelectField
          id="region"
          label={fieldLabels.region}
          value={form.region}
          onChange={set('region')}
          empty={T('shelters:create.choose_region')}
          options={labels.regions.map((r) => ({ value: r.code, label: r.label }))}
          error={errors.region}
        />
        <div class="grid-2">
          <TextField
            id="capacity"
            label={fieldLabels.capacity}
            hint={T('shelters:create.capacity_hint')}
            value={form.capacity}
            onInput={set('capacity')}
            inputMode="numeric"
            error={errors.capacity}
            width="short"
          />
          <TextField
            id="family_rooms"
            label={fieldLabels.family_rooms}
            value={form.family_rooms}
            onInput={set('family_rooms')}
            inputMode="numeric"
            error={errors.family_rooms}
            width="short"
          />
          <TextField
            id="child_places"
            label={fieldLabels.child_places}
            value={form.child_places}
            onInput={set('child_places')}
            inputMode="numeric"
            error={errors.child_places}
            width="short"
          />
        </div>
        <TextArea
          id="address"
          label={fieldLabels.address}
          hint={T('shelters:create.address_hint')}
          value={form.address}
          onInput={set('address')}
          error={errors.address}
          rows={2}
        />
        <button type="submit" class="button" disabled={busy}>
          {T('shelters:create.submit')}
        </button>
      </form>
    </section>
  );
}

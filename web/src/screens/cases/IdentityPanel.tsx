// "Show identity": asks why, says that the view is recorded (and that the person may
// ask who saw her file), then shows the identity until the user hides it or leaves the
// page. The identity lives in this component's state only.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { TextArea, errorText, fieldErrorsOf, type FieldErrors } from '../../components/forms';
import { Dialog, Facts } from '../../components/ui';
import { formatDate, useT } from '../../i18n';
import { useLabels } from '../../vocab';
import { citizenshipLabel } from './types';

interface Contact {
  type: string;
  value: string;
}

interface Identity {
  alias?: string;
  given_name?: string;
  family_name?: string;
  patronymic?: string;
  other_names?: string[];
  sex?: string;
  citizenship?: string;
  birth_date?: string | null;
  birth_year?: number | null;
  documents?: Array<{ type: string; number: string; issuing_country: string | null; expires_on: string | null }>;
  contacts?: Contact[];
  guardian?: { name: string; relation: string; contacts: Contact[] };
}

export function IdentityPanel({ caseId }: { caseId: number }) {
  const T = useT();
  const labels = useLabels();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [identity, setIdentity] = useState<Identity | null>(null);

  // Another case, or leaving the page: the identity goes.
  useEffect(() => () => setIdentity(null), [caseId]);

  const show = async (e: Event) => {
    e.preventDefault();
    if (reason.trim().length < 5) {
      setErrors({ reason: T('cases:identity.reason_short') });
      return;
    }
    try {
      const id = await api.post<Identity>(`/api/v1/cases/${caseId}/identity-views`, { reason: reason.trim() });
      setIdentity(id);
      setAsking(false);
      setReason('');
      setErrors({});
    } catch (err) {
      setErrors(fieldErrorsOf(err, ['reason']) ?? { reason: errorText(err) });
    }
  };

  if (identity) {
    const name = [identity.given_name, identity.patronymic, identity.family_name].filter(Boolean).join(' ');
    return (
      <section class="identity" aria-labelledby="identity-title">
        <div class="toolbar">
          <h2 id="identity-title">{T('cases:identity.title')}</h2>
          <button type="button" class="button button--secondary" onClick={() => setIdentity(null)}>
            {T('cases:identity.hide')}
          </button>
        </div>
        <p class="warning-text">{T('cases:identity.recorded')}</p>
        <Facts
          rows={[
            ...(identity.given_name !== undefined ? ([[T('cases:identity.name'), name]] as Array<[string, string]>) : []),
            ...(identity.alias ? ([[T('cases:person.alias'), identity.alias]] as Array<[string, string]>) : []),
            ...((identity.other_names ?? []).length ? ([[T('cases:identity.other_names'), identity.other_names!.join(', ')]] as Array<[string, string]>) : []),
            ...(identity.sex !== undefined ? ([[T('cases:fields.sex'), labels.label('sexes', identity.sex)]] as Array<[string, string]>) : []),
            ...(identity.citizenship !== undefined ? ([[T('cases:fields.citizenship'), citizenshipLabel(identity.citizenship, labels.country, T)]] as Array<[string, string]>) : []),
            ...(identity.given_name !== undefined
              ? ([[T('cases:person.birth_date'), identity.birth_date ? formatDate(identity.birth_date) : identity.birth_year ? String(identity.birth_year) : '']] as Array<[string, string]>)
              : []),
            ...(identity.documents ?? []).map((d) => [labels.label('document_types', d.type), d.number] as [string, string]),
            ...(identity.contacts ?? []).map((c) => [labels.label('contact_types', c.type), c.value] as [string, string]),
            ...(identity.guardian ? ([[T('cases:person.guardian_name'), `${identity.guardian.name}${identity.guardian.relation ? ` (${identity.guardian.relation})` : ''}`]] as Array<[string, string]>) : []),
          ]}
        />
      </section>
    );
  }

  return (
    <>
      <button type="button" class="button button--secondary" onClick={() => setAsking(true)}>
        {T('cases:identity.show')}
      </button>
      <Dialog title={T('cases:identity.ask_title')} open={asking} onClose={() => setAsking(false)}>
        <p>{T('cases:identity.ask_intro')}</p>
        <form onSubmit={show} noValidate>
          <TextArea id="reason" label={T('cases:identity.reason')} hint={T('cases:identity.reason_hint')} value={reason} onInput={setReason} error={errors.reason} rows={3} />
          <div class="button-row">
            <button type="submit" class="button">{T('cases:identity.confirm')}</button>
            <button type="button" class="button button--secondary" onClick={() => setAsking(false)}>{T('common:cancel')}</button>
          </div>
        </form>
      </Dialog>
    </>
  );
}

// One agreement with partners: its facts, and what was done under it in its period —
// the awareness events held under it with their participants, and how many cases its
// partners accepted a referral of (a count, never a case). The coordinating body
// changes it (a correction, its signature, end or termination) with the version read.
import { useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../../api';
import { RecordForm, valuesOf } from '../../components/RecordForm';
import { ErrorNotice, Facts, Loading, Notice, Tag, useAsync, usePageTitle } from '../../components/ui';
import { formatDate, formatNumber, useT } from '../../i18n';
import { useOrganizations } from '../../organizations';
import { can } from '../../session';
import { useLabels } from '../../vocab';
import { agreementBody, agreementCheck, agreementFields } from './agreements';
import { agreementTone, namesOf, organizationOptions, type Agreement as AgreementJson, type AgreementDetail } from './types';
import { useReveal } from './reveal';
import './prevention.css';

export default function Agreement(props: { params?: { id?: string }; id?: string }) {
  const T = useT();
  const labels = useLabels();
  const orgs = useOrganizations();
  const id = Number(props.params?.id ?? props.id);
  const agreement = useAsync(() => api.get<AgreementDetail>(`/api/v1/agreements/${id}`), [id]);
  usePageTitle(agreement.data?.title ?? T('prevention:cooperation.title'));
  const changing = useReveal();
  const [notice, setNotice] = useState('');
  const noticeRef = useRef<HTMLDivElement>(null);

  if (!Number.isInteger(id) || id <= 0) return <ErrorNotice error={new ApiError(404, 'not_found', 'not found')} />;
  if (agreement.error) return <ErrorNotice error={agreement.error} />;
  const a = agreement.data;
  if (!a) return <Loading />;
  const manage = can('manage_cooperation');
  const fields = agreementFields(T, labels, organizationOptions(orgs.list, a.party_organization_ids));

  return (
    <>
      <p>
        <a href="/cooperation">{T('prevention:cooperation.agreement.back')}</a>
      </p>
      <div class="toolbar">
        <h1>{a.title}</h1>
        {manage && !changing.open && (
          <button
            type="button"
            class="button"
            ref={changing.button}
            onClick={() => {
              setNotice('');
              changing.show();
            }}
          >
            {T('common:change')}
          </button>
        )}
      </div>
      {notice && (
        <div ref={noticeRef} tabIndex={-1}>
          <Notice kind="success">{notice}</Notice>
        </div>
      )}
      {manage && changing.open && (
        <div ref={changing.area}>
          {orgs.ready && labels.ready ? (
            <RecordForm
              title={T('prevention:cooperation.agreement.change')}
              fields={fields}
              initial={valuesOf(a as unknown as Record<string, unknown>, fields)}
              submitLabel={T('prevention:cooperation.agreement.save')}
              check={agreementCheck(T)}
              // The whole agreement as it now stands, with the version read: a change made
              // meanwhile by someone else is refused (409 stale_update), never overwritten.
              submit={(b) => api.put<AgreementJson>(`/api/v1/agreements/${a.id}`, { ...agreementBody(b), version: a.version })}
              onDone={() => {
                changing.hide(false);
                setNotice(T('prevention:cooperation.agreement.changed'));
                agreement.reload();
                setTimeout(() => noticeRef.current?.focus(), 0);
              }}
              onCancel={() => changing.hide(true)}
            />
          ) : (
            <>{orgs.error ? <ErrorNotice error={orgs.error} /> : <Loading />}</>
          )}
        </div>
      )}
      <Facts
        rows={[
          [T('prevention:cooperation.status'), <Tag tone={agreementTone(a.status)}>{labels.label('agreement_statuses', a.status)}</Tag>],
          [T('prevention:cooperation.kind'), labels.label('agreement_kinds', a.kind)],
          [T('prevention:cooperation.partners'), namesOf(a.party_organization_ids, orgs.name)],
          [T('prevention:cooperation.signed_on'), a.signed_on ? formatDate(a.signed_on) : T('prevention:cooperation.agreement.not_signed')],
          [T('prevention:cooperation.starts_on'), formatDate(a.starts_on)],
          [T('prevention:cooperation.ends_on'), a.ends_on ? formatDate(a.ends_on) : T('prevention:cooperation.agreement.no_end')],
          ...(a.terminated_on ? [[T('prevention:cooperation.terminated_on'), formatDate(a.terminated_on)] as [string, string]] : []),
          [T('prevention:cooperation.scope'), a.scope ? <span class="measure-text">{a.scope}</span> : ''],
        ]}
      />

      <section class="section" aria-labelledby="agreement-activity">
        <h2 id="agreement-activity">{T('prevention:cooperation.agreement.activity')}</h2>
        <Facts
          rows={[
            [
              T('prevention:cooperation.agreement.events'),
              <>
                {formatNumber(a.activity.events)}
                {' · '}
                <a href={`/trainings?agreement=${a.id}`}>{T('prevention:cooperation.agreement.to_trainings')}</a>
              </>,
            ],
            [T('prevention:cooperation.agreement.participants'), formatNumber(a.activity.participants)],
            [T('prevention:cooperation.agreement.cases_received'), formatNumber(a.activity.cases_received)],
          ]}
        />
        <p class="muted">{T('prevention:cooperation.agreement.cases_note')}</p>
      </section>
    </>
  );
}

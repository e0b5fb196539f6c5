// The consent receipt to hand to the person, laid out for paper: what she agreed to,
// with whom, until when, and how to take it back, with the signature that shows
// Haven issued it. The server's signed receipt (Kantara Consent Receipt v1.1 with a
// "haven" member) names her by the case code only; this page shows what it says, in
// the language chosen in the header (the server also prints it in az, en or ru).
import { useRoute } from 'preact-iso';
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { api, download } from '../../api';
import { ErrorNotice, Loaded, useAsync, usePageTitle } from '../../components/ui';
import { LANGUAGES, formatDate, formatDateTime, useT } from '../../i18n';
import { useLabels } from '../../vocab';
import { listOf } from './Referrals';
import './referrals.css';

interface Receipt {
  version: string;
  jurisdiction: string;
  consentReceiptID: string;
  language: string;
  piiPrincipalId: string;
  piiControllers: Array<{ piiController: string; contact?: string; email?: string; phone?: string; address?: { streetAddress?: string } }>;
  policyUrl?: string;
  haven: {
    consent_id: number;
    given_on: string;
    valid_until: string | null;
    withdrawn_on: string | null;
    recipient: string;
    recipient_organization_id: number | null;
    recipient_kind: string | null;
    purposes: string[];
    categories: string[];
    method: string;
    language: string;
    issued_at: string;
  };
  signature: { alg: string; key_id: string; public_key: string; value: string };
}

export default function ConsentReceipt() {
  const T = useT();
  const labels = useLabels();
  const { params } = useRoute();
  const id = Number(params.id);
  usePageTitle(T('referrals:receipt.title'));
  const receipt = useAsync(() => api.get<Receipt>(`/api/v1/consents/${id}/receipt`, { format: 'json' }), [id]);
  const [downloadError, setDownloadError] = useState<unknown>(null);

  const save = async () => {
    setDownloadError(null);
    try {
      await download(`/api/v1/consents/${id}/receipt`, { format: 'json' }, `consent-receipt-${id}.json`);
    } catch (err) {
      setDownloadError(err);
    }
  };

  return (
    <article class="receipt" aria-labelledby="receipt-title">
      <div class="receipt__actions no-print">
        <button type="button" class="button button--link" onClick={() => history.back()}>
          {T('common:back')}
        </button>
        <div class="button-row">
          <button type="button" class="button" onClick={() => window.print()}>
            {T('referrals:receipt.print')}
          </button>
          <button type="button" class="button button--secondary" onClick={save}>
            {T('referrals:receipt.download')}
          </button>
        </div>
        <p>
          {T('referrals:receipt.server_copy')}{' '}
          {LANGUAGES.map((l, i) => (
            <Fragment key={l}>
              {i > 0 && ' · '}
              <a lang={l} href={`/api/v1/consents/${id}/receipt?format=html&lang=${l}`} target="_blank" rel="noopener">
                {T(`common:languages.${l}`)}
              </a>
            </Fragment>
          ))}
        </p>
        <ErrorNotice error={downloadError} />
      </div>
      <h1 id="receipt-title">{T('referrals:receipt.title')}</h1>
      <Loaded value={receipt}>
        {(r) => {
          const h = r.haven;
          const controller = r.piiControllers?.[0];
          const recipient = h.recipient_kind && !h.recipient_organization_id
            ? T('referrals:consent.every_kind', { kind: labels.label('organization_kinds', h.recipient_kind) })
            : h.recipient;
          const rows: Array<[string, string]> = [
            [T('referrals:receipt.case_code'), r.piiPrincipalId],
            [T('referrals:receipt.controller'), controller?.piiController ?? ''],
            [T('referrals:receipt.recipient'), recipient],
            [T('referrals:receipt.purposes'), listOf(labels, 'purposes', h.purposes)],
            [T('referrals:receipt.categories'), listOf(labels, 'data_categories', h.categories)],
            [T('referrals:receipt.given_on'), formatDate(h.given_on)],
            [T('referrals:receipt.valid_until'), h.valid_until ? formatDate(h.valid_until) : T('referrals:receipt.until_withdrawn')],
            [T('referrals:receipt.method'), labels.label('consent_methods', h.method)],
            [T('referrals:receipt.language'), labels.label('languages', h.language)],
          ];
          if (h.withdrawn_on) rows.push([T('referrals:receipt.withdrawn_on'), formatDate(h.withdrawn_on)]);
          const contact = [controller?.contact, controller?.phone, controller?.email, controller?.address?.streetAddress].filter(Boolean).join(' · ');
          return (
            <>
              <p class="lead">{T('referrals:receipt.intro')}</p>
              {h.withdrawn_on && (
                <p class="receipt__withdrawn">{T('referrals:receipt.withdrawn_notice', { date: formatDate(h.withdrawn_on) })}</p>
              )}
              <dl class="facts receipt__facts">
                {rows.map(([k, v]) => (
                  <div class="facts__row" key={k}>
                    <dt>{k}</dt>
                    <dd>{v || '—'}</dd>
                  </div>
                ))}
              </dl>
              <h2>{T('referrals:receipt.rights_title')}</h2>
              <p>{T('referrals:receipt.rights_withdraw')}</p>
              <p>{T('referrals:receipt.rights_history')}</p>
              {contact && (
                <p>
                  <strong>{T('referrals:receipt.contact')}:</strong> {contact}
                </p>
              )}
              <h2>{T('referrals:receipt.proof_title')}</h2>
              <p class="receipt__small">{T('referrals:receipt.proof_text')}</p>
              <dl class="facts receipt__facts receipt__small">
                <div class="facts__row">
                  <dt>{T('referrals:receipt.receipt_id')}</dt>
                  <dd>
                    <code>{r.consentReceiptID}</code>
                  </dd>
                </div>
                <div class="facts__row">
                  <dt>{T('referrals:receipt.issued_at')}</dt>
                  <dd>{formatDateTime(h.issued_at)}</dd>
                </div>
                <div class="facts__row">
                  <dt>{T('referrals:receipt.key_id')}</dt>
                  <dd>
                    <code>{r.signature?.key_id}</code>
                  </dd>
                </div>
                <div class="facts__row">
                  <dt>{T('referrals:receipt.signature')}</dt>
                  <dd>
                    <code class="receipt__signature">{r.signature?.value}</code>
                  </dd>
                </div>
              </dl>
              <div class="receipt__signatures">
                <div>
                  <span class="receipt__line" />
                  {T('referrals:receipt.sign_person')}
                </div>
                <div>
                  <span class="receipt__line" />
                  {T('referrals:receipt.sign_staff')}
                </div>
              </div>
            </>
          );
        }}
      </Loaded>
    </article>
  );
}

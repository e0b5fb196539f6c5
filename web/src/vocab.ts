// The labels of Haven's closed vocabularies, countries and regions in the chosen
// language, from GET /api/v1/vocabularies (the server's one list; iso-codes for places).
import { useEffect, useState } from 'preact/hooks';
import { api } from './api';
import { currentLanguage, useT, type Language } from './i18n';

export interface Term {
  code: string;
  label: string;
}

export interface Vocabularies {
  vocabularies: Record<string, Term[]>;
  countries: Term[];
  regions: Term[];
}

const cache = new Map<Language, Promise<Vocabularies>>();
// The languages whose labels have arrived, for a screen to use at once.
const resolved = new Map<Language, Vocabularies>();

export function loadVocabularies(lng: Language = currentLanguage()): Promise<Vocabularies> {
  let p = cache.get(lng);
  if (!p) {
    p = api.get<Vocabularies>('/api/v1/vocabularies', { lang: lng });
    p.then(
      (data) => resolved.set(lng, data),
      () => cache.delete(lng),
    );
    cache.set(lng, p);
  }
  return p;
}

export interface Labels {
  ready: boolean;
  // The label of `code` in vocabulary `name` ("case_statuses"), or the code itself.
  label(name: string, code: string | null | undefined): string;
  terms(name: string): Term[];
  country(code: string | null | undefined): string;
  region(code: string | null | undefined): string;
  countries: Term[];
  regions: Term[];
}

function labelsOf(v: Vocabularies | null): Labels {
  const find = (list: Term[] | undefined, code: string | null | undefined) =>
    code ? (list?.find((t) => t.code === code)?.label ?? code) : '';
  return {
    ready: v !== null,
    label: (name, code) => find(v?.vocabularies[name], code),
    terms: (name) => v?.vocabularies[name] ?? [],
    country: (code) => find(v?.countries, code),
    region: (code) => find(v?.regions, code),
    countries: v?.countries ?? [],
    regions: v?.regions ?? [],
  };
}

// The labels in the current language; re-renders when they arrive or the language changes.
export function useLabels(): Labels {
  useT();
  const lng = currentLanguage();
  const [v, setV] = useState<{ lng: Language; data: Vocabularies } | null>(null);
  useEffect(() => {
    if (resolved.has(lng)) return;
    let live = true;
    loadVocabularies(lng).then(
      (data) => live && setV({ lng, data }),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [lng]);
  // The language's labels once they are here; until then the ones shown before (the
  // language switch loads them first, so this is rare), never the bare codes.
  return labelsOf(resolved.get(lng) ?? v?.data ?? null);
}

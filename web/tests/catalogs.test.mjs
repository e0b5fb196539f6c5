// Every text of the application is in every catalog: the same keys in az, en and ru
// (plural keys with exactly the forms the language's plural rules use), no empty text,
// the same {{placeholders}}, and every key the code names exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = join(dirname(fileURLToPath(import.meta.url)), '../src');
const LANGS = ['az', 'en', 'ru'];
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(obj, prefix = '', out = {}) {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') flatten(v, key, out);
    else out[key] = v;
  }
  return out;
}

const namespaces = readdirSync(join(src, 'locales/en')).map((f) => f.replace(/\.json$/, ''));
const catalogs = Object.fromEntries(
  LANGS.map((lng) => [
    lng,
    Object.fromEntries(
      namespaces.map((ns) => [ns, flatten(JSON.parse(readFileSync(join(src, `locales/${lng}/${ns}.json`), 'utf8')))]),
    ),
  ]),
);

// The keys as the code names them: plural families by their base name.
function baseKeys(flat) {
  return new Set(Object.keys(flat).map((k) => k.replace(PLURAL, '')));
}

test('every language has the same namespaces', () => {
  for (const lng of LANGS)
    assert.deepEqual(readdirSync(join(src, `locales/${lng}`)).sort(), namespaces.map((n) => `${n}.json`).sort(), lng);
});

for (const ns of namespaces) {
  test(`${ns}: the same keys in az, en and ru`, () => {
    const en = baseKeys(catalogs.en[ns]);
    for (const lng of ['az', 'ru']) {
      const other = baseKeys(catalogs[lng][ns]);
      assert.deepEqual([...en].filter((k) => !other.has(k)), [], `missing in ${lng}/${ns}.json`);
      assert.deepEqual([...other].filter((k) => !en.has(k)), [], `in ${lng}/${ns}.json only`);
    }
  });

  test(`${ns}: plural keys have the forms of each language's plural rules`, () => {
    for (const lng of LANGS) {
      const flat = catalogs[lng][ns];
      const categories = new Intl.PluralRules(lng).resolvedOptions().pluralCategories.sort();
      const families = {};
      for (const k of Object.keys(flat)) {
        const m = PLURAL.exec(k);
        if (m) (families[k.replace(PLURAL, '')] ??= []).push(m[1]);
      }
      for (const [base, forms] of Object.entries(families))
        assert.deepEqual(forms.sort(), categories, `${lng}/${ns}.json ${base}`);
    }
  });

  test(`${ns}: no empty text, and the same placeholders in every language`, () => {
    const placeholders = (s) => [...String(s).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [key, en] of Object.entries(catalogs.en[ns])) {
      for (const lng of LANGS) {
        const flat = catalogs[lng][ns];
        const base = key.replace(PLURAL, '');
        const text = flat[key] ?? flat[`${base}_other`];
        assert.ok(typeof text === 'string' && text.trim() !== '', `${lng}/${ns}.json ${key} is empty`);
        assert.deepEqual(
          [...new Set(placeholders(text))],
          [...new Set(placeholders(en))].filter((p) => p !== 'count' || placeholders(text).includes('count')),
          `${lng}/${ns}.json ${key}`,
        );
      }
    }
  });
}

function sources(dir, out = []) {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.(ts|tsx)$/.test(f)) out.push(p);
  }
  return out;
}

test('every key the code names is in the catalogs', () => {
  const missing = [];
  for (const file of sources(src)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\b[Tt]\(\s*'([^']+)'/g)) {
      const [ns, key] = m[1].includes(':') ? m[1].split(':') : ['common', m[1]];
      const flat = catalogs.en[ns];
      if (!flat || !(key in flat || `${key}_other` in flat)) missing.push(`${file.slice(src.length + 1)}: ${m[1]}`);
    }
  }
  assert.deepEqual(missing, []);
});

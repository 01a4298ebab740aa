import { describe, expect, it } from 'vitest';
import { countedIn, countsFor, parseReason, type AlsoReported, type LinkRecord } from './links';
import { fillParts, t, tParts } from './i18n';
import enMessages from './i18n/en.json';
import urMessages from './i18n/ur.json';
import zhMessages from './i18n/zh.json';

describe('the matcher\'s reasons, read back', () => {
  it('reads each reason src/matching/matching.cc writes', () => {
    const cases: [string, ReturnType<typeof parseReason>][] = [
      ['1.3 km apart (exact, near)', { kind: 'distance', km: 1.3, a: 'exact', b: 'near' }],
      ['0.0 km apart (exact, exact)', { kind: 'distance', km: 0, a: 'exact', b: 'exact' }],
      ['same district (PK516), one placed only to it', { kind: 'sameDistrict', area: 'PK516' }],
      ['same province (PK2), one placed only to it', { kind: 'sameProvince', area: 'PK2' }],
      ['same day', { kind: 'sameDay' }],
      ['dates overlap', { kind: 'datesOverlap' }],
      ['1 day apart', { kind: 'daysApart', n: 1 }],
      ['3 days apart', { kind: 'daysApart', n: 3 }],
      ['killed 4 in both', { kind: 'killedBoth', n: 4 }],
      ['killed 4 and 5', { kind: 'killedPair', a: 4, b: 5 }],
      ['deaths not given by both', { kind: 'deathsNotGiven' }],
    ];
    for (const [text, want] of cases) expect(parseReason(text), text).toEqual(want);
  });

  it('keeps a reason it does not know as the server wrote it', () => {
    expect(parseReason('same convoy')).toEqual({ kind: 'other', text: 'same convoy' });
    expect(parseReason('1.3 km apart')).toEqual({ kind: 'other', text: '1.3 km apart' });
  });

  it('says them again in English with the numbers of the locale', () => {
    expect(t('reasonDistance', { km: '1.3', a: 'exact point', b: 'near a place' })).toBe('1.3 km apart (exact point, near a place)');
    expect(t('reasonDaysApart', { n: 1 })).toBe('1 day apart');
    expect(t('reasonDaysApart', { n: 2 })).toBe('2 days apart');
    expect(t('reasonKilledPair', { a: 1200, b: 1250 })).toBe('killed 1,200 and 1,250');
  });
});

const record = (id: string, dataset = 'ucdp-ged'): LinkRecord =>
  ({ id, dataset, source_id: dataset === 'manual' ? '' : '123', date_start: '2015-05-03', killed: 4 });
const also = (other: LinkRecord, state: AlsoReported['state'], kept: string | null): AlsoReported =>
  ({ link: `l-${other.id}`, state, score: 0.9, reasons: [], kept, record: other });

describe('counted in another record', () => {
  const ucdp = record('u1');
  const gtd = record('g1', 'gtd');

  it('is said by the confirmed link that keeps the other record', () => {
    const items = [also(ucdp, 'confirmed', 'u1'), also(gtd, 'candidate', null)];
    expect(countedIn(items, 'm1')?.record.id).toBe('u1');
    expect(countsFor(items, 'm1')).toEqual([]);
  });

  it('is not said of the record that counts, which counts for the others', () => {
    const items = [also(record('m1', 'manual'), 'confirmed', 'u1'), also(gtd, 'confirmed', 'u1'), also(record('m2', 'manual'), 'candidate', null)];
    expect(countedIn(items, 'u1')).toBeNull();
    expect(countsFor(items, 'u1').map((x) => x.record.id)).toEqual(['m1', 'g1']);
  });

  it('is not said of candidates or rejected links', () => {
    expect(countedIn([also(ucdp, 'candidate', null), also(gtd, 'rejected', null)], 'm1')).toBeNull();
  });
});

describe('messages with elements in them', () => {
  const button = { tag: 'button' };
  const name = { tag: 'bdi' };

  it('keeps the text between the variables and the elements as they are', () => {
    expect(fillParts('Counted in the {source} record {record}; once.', { source: name, record: button }))
      .toEqual(['Counted in the ', name, ' record ', button, '; once.']);
    expect(fillParts('{a} and {b}', { a: name, b: button })).toEqual([name, ' and ', button]);
  });

  it('joins text variables and formats numbers as t() does', () => {
    expect(fillParts('{n} of {m}: {x}', { n: 1200, m: 'all', x: button })).toEqual(['1,200 of all: ', button]);
    expect(fillParts('no variables', {})).toEqual(['no variables']);
    expect(fillParts('{missing}', {})).toEqual([]);
  });

  it('chooses the plural form by n, as t() does', () => {
    expect(tParts('countsFor', { n: 1 }).join('')).toBe(t('countsFor', { n: 1 }));
    expect(tParts('countsFor', { n: 2 }).join('')).toContain('2 records of other sources');
  });
});

describe('the words of this screen', () => {
  it('are in every language', () => {
    const [en, ur, zh] = [enMessages, urMessages, zhMessages] as Record<string, unknown>[];
    const ours = Object.keys(en).filter((k) => /^(links?[A-Z]|reason[A-Z]|countedIn$|countsFor$|alsoReportedBy$|viewLinks$)/.test(k));
    expect(ours.length).toBeGreaterThan(40);
    for (const k of ours) {
      expect(ur[k], `ur ${k}`).toBeDefined();
      expect(zh[k], `zh ${k}`).toBeDefined();
      // The same variables in every language.
      const vars = (v: unknown) => [...new Set(JSON.stringify(v).match(/\{\w+\}/g) ?? [])].sort();
      expect(vars(ur[k]), `ur ${k}`).toEqual(vars(en[k]));
      expect(vars(zh[k]), `zh ${k}`).toEqual(vars(en[k]));
    }
  });
});

import { describe, expect, it } from 'vitest';
import { decodeState, defaultState, encodeState, filterParams, type ViewState } from './state';

describe('view state in the URL', () => {
  it('round-trips every field', () => {
    const s: ViewState = {
      view: 'risk', lang: 'ur', from: '2009-01-01', to: '2013-12-31',
      categories: ['bombing', 'armed-clash'].sort(), area: 'PK5', text: 'Quetta bazaar',
      lat: 33.6844, lon: 73.0479, zoom: 8.5, choropleth: 'vulnerability', level: 2,
      hotspots: true, forecast: true, incident: '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
      site: 'a0d5c5a0-1111-4222-8333-444455556666', table: true, sort: 'deaths_desc',
      rows: 100, points: false, org: 'lashkar-e-jhangvi', links: 'confirmed', linkOffset: 40,
    };
    expect(decodeState(encodeState(s))).toEqual(s);
  });

  it('round-trips the defaults and keeps the link short', () => {
    const d = defaultState();
    expect(decodeState(encodeState(d))).toEqual(d);
    expect(encodeState(d)).toBe('?map=30.4%2C69.6%2C5.5');
  });

  it('round-trips through a full URL, as a pasted link does', () => {
    const s = { ...defaultState(), view: 'sites' as const, lang: 'zh' as const, text: 'a&b=c' };
    const url = new URL('http://127.0.0.1:8080/' + encodeState(s));
    expect(decodeState(url.search)).toEqual(s);
  });

  it('ignores invalid values instead of failing', () => {
    const s = decodeState('?v=root&lang=fr&from=2009-13&area=DROP%20TABLE&map=999,0,4&ch=x-9' +
      '&incident=nope&cat=bombing,<script>&table=yes&sort=killed' +
      '&rows=1000000&pts=maybe&org=Not%20An%20Id&ls=maybe&lo=-20');
    const d = defaultState();
    expect(s).toEqual({ ...d, categories: ['bombing'] });
  });

  it('keeps the links review screen, its list and its page in the link', () => {
    const s = { ...defaultState(), view: 'links' as const, links: 'all' as const, linkOffset: 20 };
    expect(encodeState(s)).toBe('?v=links&map=30.4%2C69.6%2C5.5&ls=all&lo=20');
    expect(decodeState(encodeState(s))).toEqual(s);
    // An offset past the API's bound, or not a whole number, is the first page.
    expect(decodeState('?v=links&lo=1000001').linkOffset).toBe(0);
    expect(decodeState('?v=links&lo=2.5').linkOffset).toBe(0);
    expect(decodeState('?v=links&lo=1000000').linkOffset).toBe(1000000);
  });

  it('gives the API filters of the state', () => {
    const s = { ...defaultState(), from: '2010-01-01', area: 'PK604', categories: ['bombing'] };
    expect(filterParams(s)).toEqual({ from: '2010-01-01', area: 'PK604', category: 'bombing' });
    // The organisation in focus filters the incidents view only (elsewhere it is a page).
    expect(filterParams({ ...s, org: 'bla' })).toEqual(
      { from: '2010-01-01', area: 'PK604', category: 'bombing', organisation: 'bla' });
    expect(filterParams({ ...s, org: 'bla', view: 'organisations' })).toEqual(
      { from: '2010-01-01', area: 'PK604', category: 'bombing' });
  });
});

// Browser tests of the web application (issue 5), run by ctest (web_browser_test).
//
// Real components only: two stores made by the `corridor` CLI from the real data in
// ../shared/data (the UCDP GED events for Pakistan, and the same rows scaled to 100,000 by
// tools/scale_ucdp.py for the budgets), `corridor serve` on a loopback port, and Debian's
// Chromium driven by playwright-core (never a downloaded browser).
//
// Screenshots of each main view in each language go to build/web-screenshots/ for review; the
// measured budgets go to build/web-screenshots/budgets.json.
import { execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { describe, runAxe } from './axe.mjs';

const SOURCE = process.env.CORRIDOR_SOURCE_DIR ?? path.resolve(import.meta.dirname, '../..');
const BUILD = process.env.CORRIDOR_BUILD_DIR ?? path.join(SOURCE, 'build/debug');
const BIN = process.env.CORRIDOR_BIN ?? path.join(BUILD, 'corridor');
const DATA = process.env.CORRIDOR_DATA_DIR ?? path.resolve(SOURCE, '../shared/data');
// GeoNames' cities1000 as scripts/geonames.sh fetches it (scripts/test.sh runs it).
const GEONAMES = path.join(process.env.CORRIDOR_GEONAMES_DIR ?? path.join(SOURCE, 'build/geonames'), 'cities1000.txt');
const WEB = path.join(SOURCE, 'web/dist');
const CHROMIUM = process.env.CORRIDOR_CHROMIUM ?? '/usr/bin/chromium';
const WORK = path.join(BUILD, 'web-test');
const SHOTS = path.join(SOURCE, 'build/web-screenshots');
const SCALED_ROWS = Number(process.env.CORRIDOR_WEB_SCALE ?? 100000);

// Budgets (issue 5), measured on this machine. Bytes are asserted always; times
// only with CORRIDOR_WEB_BUDGETS=enforce (bench/web.sh, release build on a quiet
// machine): under the test suite the server is the sanitizer build and shares
// two cores with other tests, so its times are reported, not asserted.
const ENFORCE_TIMES = process.env.CORRIDOR_WEB_BUDGETS === 'enforce';
const BUDGET_FIRST_RENDER_MS = 2000;
const BUDGET_FIRST_VIEW_BYTES = 5 * 1024 * 1024;
const BUDGET_LONGEST_TASK_MS = 200; // a stall a user sees while panning

let failures = 0;
const results = [];
function check(name, ok, detail = '') {
  results.push({ name, ok, detail });
  if (!ok) failures++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ' — ' + detail : ''}`);
}
function timed(name, ok, detail = '') {
  if (ENFORCE_TIMES) return check(name, ok, detail);
  console.log(`${ok ? 'ok  ' : 'OVER'} ${name}${detail ? ' — ' + detail : ''} (time budget reported, not enforced; bench/web.sh enforces it)`);
}
function must(name, ok, detail = '') {
  check(name, ok, detail);
  if (!ok) throw new Error(`stopping: ${name} ${detail}`);
}

for (const [what, p] of [['corridor binary', BIN], ['web/dist (run scripts/web.sh)', path.join(WEB, 'index.html')],
  ['chromium (scripts/setup.sh --test)', CHROMIUM], ['../shared/data', DATA]]) {
  if (!fs.existsSync(p)) {
    console.error(`web_browser_test: ${what} not found at ${p}`);
    process.exit(1);
  }
}

// ---- stores and users, through the CLI as an operator would

const childEnv = { ...process.env, ASAN_OPTIONS: 'detect_leaks=0', CORRIDOR_DATA_DIR: DATA };
function cli(db, args, input) {
  return execFileSync(BIN, ['--db', db, ...args], { env: childEnv, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

function makeStore(name, csv, roads = null) {
  const dir = path.join(WORK, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const db = path.join(dir, 'store.db');
  const ocha = path.join(DATA, 'ocha-cod-ab-pakistan-2022');
  cli(db, ['init']);
  for (const level of [0, 1, 2]) {
    cli(db, ['areas', 'load', '--level', String(level), path.join(ocha, `pak_admbnda_adm${level}_wfp_20220909.shp`)]);
  }
  try {
    cli(db, ['ingest', '--format', 'ucdp-ged', csv]);
  } catch (e) {
    if (e.status !== 3) throw e; // 3: some rows rejected (kept with reasons), as the demo allows
  }
  cli(db, ['assets', 'import', path.join(DATA, 'aiddata-gcdf-pakistan/pakistan_development_combined.geojson')]);
  cli(db, ['orgs', 'add', 'PK-NACTA', '--own', '--trust-group', 'bilateral']);
  cli(db, ['gazetteer', 'load', GEONAMES]);
  if (roads) cli(db, ['roads', 'load', roads]);
  return db;
}

function addUser(db, name, roles) {
  const password = `pw-${name}-${Math.random().toString(36).slice(2)}-Long1`;
  const out = cli(db, ['--json', 'users', 'add', name, '--org', 'PK-NACTA', ...roles.flatMap((r) => ['--role', r])],
    `${password}\n`);
  return { name, password, secret: JSON.parse(out).totp_secret };
}

// The committee workspace (issue 15): a secretary of PK-NACTA records a committee with CN-MPS
// and three actions: PK-NACTA's overdue (a notice to every PK-NACTA account), CN-MPS's overdue
// (listed, no notice to PK-NACTA) and PK-NACTA's due tomorrow (neither).
function committeeData(db) {
  cli(db, ['orgs', 'add', 'CN-MPS', '--trust-group', 'bilateral']);
  const secretary = addUser(db, 'secretary', ['committee']);
  const token = cli(db, ['tokens', 'create', 'secretary']).trim().split('\n').pop();
  const as = (args) => execFileSync(BIN, ['--db', db, '--json', ...args],
    { env: { ...childEnv, CORRIDOR_TOKEN: token }, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  const day = (d) => new Date(Date.now() + d * 86400000).toISOString().slice(0, 10);
  as(['committees', 'add', 'PK-CN Joint Working Group', '--org', 'CN-MPS']);
  const meeting = JSON.parse(as(['meetings', 'add', '--committee', 'PK-CN Joint Working Group', '--date', day(-10),
    '--virtual', '--present', 'CN-MPS', '--agenda', 'Convoy security on the Karakoram Highway'])).id;
  as(['decisions', 'add', '--committee', 'PK-CN Joint Working Group', '--meeting', meeting,
    '--text', 'Escort every convoy through Kohistan', '--district', 'PK516', '--district', 'PK515']);
  // A request whose deadline passed yesterday, sent: a past-deadline reminder.
  const request = JSON.parse(as(['judicial', 'add', '--type', 'mla', '--requesting', 'PK-NACTA', '--requested', 'CN-MPS',
    '--offence', 'terrorist-bombing', '--reference', 'NACTA/2026/41', '--deadline', day(-1)])).id;
  as(['judicial', 'send', request]);
  const action = (title, org, due) => JSON.parse(as(['actions', 'add', '--committee', 'PK-CN Joint Working Group',
    '--title', title, '--owner-org', org, '--due', due])).id;
  // A joint team on the Karakoram Highway (two districts and a polygon around Dasu), and a
  // reported exercise whose lesson became CN-MPS's action, due in a month (issue 15 §2).
  const area = path.join(path.dirname(db), 'dasu-area.geojson');
  fs.writeFileSync(area, JSON.stringify({ type: 'Polygon',
    coordinates: [[[73.15, 35.2], [73.4, 35.2], [73.4, 35.4], [73.15, 35.4], [73.15, 35.2]]] }));
  as(['teams', 'add', 'Karakoram Highway escort cell', '--committee', 'PK-CN Joint Working Group',
    '--mandate', 'Escort construction convoys between Dasu and Thakot', '--org', 'CN-MPS', '--org', 'PK-NACTA',
    '--district', 'PK516', '--district', 'PK515', '--area', area, '--start', day(-30)]);
  const exercise = JSON.parse(as(['exercises', 'add', '--committee', 'PK-CN Joint Working Group',
    '--title', 'Convoy ambush drill at Dasu', '--start', day(-20), '--end', day(-18), '--org', 'CN-MPS', '--org', 'PK-NACTA',
    '--district', 'PK516', '--objective', 'Joint radio net within 10 minutes'])).id;
  as(['exercises', 'report', exercise, '--findings', 'The joint radio net took 40 minutes to stand up.']);
  as(['exercises', 'lesson', exercise, '--text', 'Issue spare radios to every escort', '--owner-org', 'CN-MPS', '--due', day(30)]);
  // What residents raised in Kohistan Upper last month, as the public instance releases it
  // (suppressed there) and the operator ingests it (issue 14 §3).
  const karachi = new Date(Date.now() + 5 * 3600000);
  karachi.setUTCDate(1);
  karachi.setUTCMonth(karachi.getUTCMonth() - 1);
  const lastMonth = karachi.toISOString().slice(0, 7);
  const dir = path.dirname(db);
  const publicDb = path.join(dir, 'public.db');
  const counts = [['land-compensation', 'web', 14], ['land-compensation', 'phone', 4], ['labour-wages', 'web', 22],
    ['labour-wages', 'in-person', 12], ['environment', 'letter', 3]].map(([topic, channel, count]) =>
    ({ kind: 'grievance', district: 'PK516', month: lastMonth, topic, channel, count }));
  counts.push({ kind: 'consultation', district: 'PK516', month: lastMonth, topic: 'access-roads', channel: 'web', count: 16 });
  fs.writeFileSync(path.join(dir, 'counts.json'), JSON.stringify({ counts }));
  const publicCli = (args) => execFileSync(BIN, ['public', '--db', publicDb, ...args],
    { env: Object.fromEntries(Object.entries(childEnv).filter(([k]) => k !== 'CORRIDOR_PUBLIC_KEYS')), encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  publicCli(['init']);
  publicCli(['release', '--counts', path.join(dir, 'counts.json'), '--output', path.join(dir, 'release.json')]);
  fs.writeFileSync(path.join(dir, 'public-keys.json'), publicCli(['keys']));
  cli(db, ['ingest', '--format', 'public-release', path.join(dir, 'release.json'), '--trusted-keys', path.join(dir, 'public-keys.json')]);
  // A request CN-MPS sent to PK-NACTA, acknowledged: the secretary answers its checklist
  // and decides it in the browser (issue 15 §§3, 5).
  cli(db, ['users', 'add', 'cn-secretary', '--org', 'CN-MPS', '--role', 'committee'],
    `pw-cn-secretary-${Math.random().toString(36).slice(2)}-Long1\n`);
  const cnToken = cli(db, ['tokens', 'create', 'cn-secretary']).trim().split('\n').pop();
  const asCn = (args) => execFileSync(BIN, ['--db', db, '--json', ...args],
    { env: { ...childEnv, CORRIDOR_TOKEN: cnToken }, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  const incoming = JSON.parse(asCn(['judicial', 'add', '--type', 'mla', '--requesting', 'CN-MPS', '--requested', 'PK-NACTA',
    '--offence', 'terrorist-bombing', '--reference', 'CN-MPS/2026/88'])).id;
  asCn(['judicial', 'send', incoming]);
  as(['judicial', 'move', incoming, '--to', 'acknowledged']);
  return {
    secretary,
    incoming,
    late: action('Share the route survey of the Karakoram Highway', 'PK-NACTA', day(-3)),
    partner: action('Name the liaison officers', 'CN-MPS', day(-1)),
    later: action('Plan the joint exercise', 'PK-NACTA', day(1)),
  };
}

// RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits) from the base32 secret the CLI printed once.
function totp(secret, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const o = mac[19] & 0xf;
  const n = ((mac[o] & 0x7f) << 24) | (mac[o + 1] << 16) | (mac[o + 2] << 8) | mac[o + 3];
  return String(n % 1e6).padStart(6, '0');
}

async function serve(db) {
  const proc = spawn(BIN, ['--db', db, 'serve', '--listen', '127.0.0.1:0', '--web', WEB], { env: childEnv });
  let out = '';
  const origin = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 60000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/at (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.stderr.on('data', () => {});
    proc.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  return { proc, origin };
}

// ---- helpers in the browser

function onlyLocal(page, origin, offenders) {
  page.on('request', (r) => {
    const u = r.url();
    if (!(u.startsWith(origin + '/') || u.startsWith('data:') || u.startsWith('blob:'))) offenders.push(u);
  });
}

async function signIn(page, user) {
  await page.fill('#username', user.name);
  await page.fill('#password', user.password);
  // Accounts that read no marked data (an administrator) have no second factor.
  if (user.secret) await page.fill('#totp', totp(user.secret));
  await page.click('form.signin-form button[type=submit]');
  await page.waitForSelector('#whoami', { timeout: 30000 });
}

const digits = (s) => Number(String(s).replace(/[^\d]/g, ''));

async function apiJson(page, url) {
  return page.evaluate(async (u) => (await fetch(u, { credentials: 'same-origin' })).json(), url);
}

async function waitCount(page) {
  await page.waitForFunction(() => /\d/.test(document.querySelector('#count')?.textContent ?? ''), null, { timeout: 60000 });
  return digits(await page.textContent('#count'));
}

async function noHorizontalOverflow(page) {
  return page.evaluate(() => {
    const d = document.documentElement;
    const bad = [];
    if (d.scrollWidth > d.clientWidth + 1) bad.push(`document ${d.scrollWidth}>${d.clientWidth}`);
    for (const el of document.querySelectorAll('.panel, .topbar, .legend, .details')) {
      if (el.scrollWidth > el.clientWidth + 1) bad.push(`${el.className} ${el.scrollWidth}>${el.clientWidth}`);
    }
    return bad;
  });
}

async function shot(page, name) {
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

async function setLang(page, lang) {
  await page.selectOption('#lang', lang);
  await page.waitForFunction((l) => document.documentElement.lang.startsWith(l), lang === 'zh' ? 'zh' : lang);
}

async function tab(page, view) {
  await page.click(`#tab-${view}`);
  await page.waitForFunction((v) => document.querySelector(`#tab-${v}`)?.getAttribute('aria-current') === 'page', view);
}

// Spiderfy (issue 17 item 2): Islamabad and Rawalpindi at zoom 11, where markers hold up to a
// dozen incidents each on one exact point (the UCDP rows place several at the same coordinates).
const FAN_VIEW = 'map=33.645%2C73.06%2C11';

// Waits until the map has drawn all it fetched for the view: it is aria-busy while it fetches and
// draws (markers go on a few hundred per task), and a view often draws twice as it opens (its
// first view, then the one the URL asks for), so the map must stay settled for a moment.
async function mapSettled(page) {
  for (let quiet = 0; quiet < 3;) {
    await page.waitForFunction(() => !document.querySelector('#map[aria-busy="true"]'), null, { timeout: 120000 });
    await page.waitForTimeout(150);
    quiet = (await page.$('#map[aria-busy="true"]')) ? 0 : quiet + 1;
  }
}

// The markers that spread out when opened (a few incidents placed to a point), in DOM order:
// their names and their centres on the map (from its top left corner, the same in every language).
async function fanClusters(page) {
  await page.waitForFunction(() => document.querySelector('.incident-cluster[aria-expanded]') !== null, null,
    { timeout: 60000 });
  await mapSettled(page);
  return page.$$eval('.incident-cluster[aria-expanded]', (els) => {
    const map = document.querySelector('#map').getBoundingClientRect();
    return els.map((e) => {
      const r = e.getBoundingClientRect();
      return { label: e.getAttribute('aria-label'), x: r.x + r.width / 2 - map.left, y: r.y + r.height / 2 - map.top };
    });
  });
}

// Opens the `k`th of those, by keyboard (Enter) or with the mouse (a click, then the pointer
// moved off the map, so that no tooltip hides a part of the fan), and describes what is drawn:
// the fanned markers (their incident ids, names, screen centres, whether each is the topmost
// element at its centre and on the map), the legs, the marker's centre and where the focus went.
async function openFan(page, k, how = 'keyboard') {
  await mapSettled(page);
  const cluster = page.locator('.incident-cluster[aria-expanded]').nth(k);
  if (how === 'keyboard') {
    await cluster.focus();
    await page.keyboard.press('Enter');
  } else {
    const b = await cluster.boundingBox();
    await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
    await page.mouse.move(0, 0);
  }
  await page.waitForSelector('.incident-fanned', { timeout: 10000 });
  return page.evaluate(() => {
    const c = document.querySelector('.incident-cluster[aria-expanded="true"]');
    const box = c?.getBoundingClientRect();
    const map = document.querySelector('#map').getBoundingClientRect();
    const fanned = [...document.querySelectorAll('.incident-fanned')].map((e) => {
      const r = e.getBoundingClientRect();
      const x = r.x + r.width / 2;
      const y = r.y + r.height / 2;
      return { id: e.getAttribute('data-id'), label: e.getAttribute('aria-label'), x, y,
        top: document.elementFromPoint(x, y) === e,
        inMap: x > map.left && x < map.right && y > map.top && y < map.bottom };
    });
    return { fanned, legs: document.querySelectorAll('path.fan-leg').length,
      centre: box ? [box.x + box.width / 2, box.y + box.height / 2] : null,
      focused: document.activeElement?.getAttribute('data-id') ?? null };
  });
}

function fanSpacing(fan) {
  let closest = Infinity;
  for (let i = 0; i < fan.fanned.length; i++) {
    for (let j = i + 1; j < fan.fanned.length; j++) {
      closest = Math.min(closest, Math.hypot(fan.fanned[i].x - fan.fanned[j].x, fan.fanned[i].y - fan.fanned[j].y));
    }
  }
  const nearest = Math.min(...fan.fanned.map((f) => Math.hypot(f.x - fan.centre[0], f.y - fan.centre[1])));
  return { closest, nearest };
}

// Great-circle distance in km (the matcher's radii are 5 km for an exact place, 25 km near one).
function distanceKm(lat1, lon1, lat2, lon2) {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(a));
}

// A write through the API as the signed-in page: the status and the JSON answer.
async function apiPost(page, url, body) {
  return page.evaluate(async ([u, b]) => {
    const r = await fetch(u, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': localStorage.getItem('corridor.csrf') ?? '' },
      body: JSON.stringify(b),
    });
    return { status: r.status, body: await r.json().catch(() => null) };
  }, [url, body]);
}

const sumCounts = (rows) => rows.reduce((a, r) => a + r.count, 0);
// What an element says, or '' when there is none (no wait for it).
const textOf = (page, sel) => page.$eval(sel, (e) => e.textContent).catch(() => '');
const attrOf = (page, sel, name) => page.$eval(sel, (e, n) => e.getAttribute(n), name).catch(() => null);
// A score as the application writes it in English (Intl, at most two decimals).
const scoreEn = (x) => new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }).format(x);

// One event, several sources (issue 17 item 11). A second source's record of a real UCDP event
// is filed through the report API (dataset "manual": the same day, about 1 km away, one death
// more, TLP:GREEN); "Find candidates" pairs the two; an analyst confirms the pair in the review
// screen and the event counts once across sources (one incident fewer than the API counted just
// before), the kept UCDP record lists the other as also reported by, and the other says it is
// counted in the kept one. A second tab that still offers the pair is told it was decided
// meanwhile (409). Runs after every check that compares counts with the API's.
// Returns the two ids for the accessibility checks.
async function linkTests(context, origin, offenders, messages) {
  const page = await context.newPage();
  onlyLocal(page, origin, offenders);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${origin}/?lang=en`);
  await waitCount(page);
  check('an analyst has the review of linked records', (await page.$('#tab-links')) !== null);
  // A UCDP event placed exactly, dated to one day, with a few deaths and no other record within
  // 40 km two days either side (so that the new report pairs with it alone).
  const year = (await apiJson(page, '/api/v1/incidents?limit=10000&from=2013-01-01&to=2013-12-31')).items;
  const day = (iso) => Date.parse(iso + 'T00:00:00Z') / 86400000;
  const ucdp = year.find((e) => e.provenance.dataset === 'ucdp-ged' && e.location_precision === 'exact' &&
    e.date_start === e.date_end && e.killed >= 3 && e.killed <= 20 && e.latitude !== null &&
    !year.some((o) => o.id !== e.id && o.latitude !== null && Math.abs(day(o.date_start) - day(e.date_start)) <= 2 &&
      distanceKm(e.latitude, e.longitude, o.latitude, o.longitude) < 40));
  must('a lone UCDP event to report again from a second source', !!ucdp, `${year.length} incidents of 2013`);
  const filedReport = await apiPost(page, '/api/v1/incidents', {
    headline: 'Browser test: the same attack, from a second source', description: 'Filed by the browser test.',
    date_start: ucdp.date_start, date_end: ucdp.date_end, category: ucdp.category, killed: ucdp.killed + 1,
    latitude: ucdp.latitude + 0.009, longitude: ucdp.longitude, marking: 'TLP:GREEN',
  });
  const manual = filedReport.body ?? {};
  check('a second source\'s record of the event is filed through the report API', filedReport.status === 201 &&
    manual.provenance?.dataset === 'manual' && manual.marking === 'TLP:GREEN' && manual.location_precision === 'exact',
    `${filedReport.status} ${JSON.stringify(filedReport.body).slice(0, 200)}`);
  const apiBefore = sumCounts(await apiJson(page, '/api/v1/stats?by=year'));
  await page.goto(`${origin}/?lang=en`);
  const uiBefore = await waitCount(page);
  check('before the link, the unfiltered count is the API\'s (both records counted)', uiBefore === apiBefore,
    `${uiBefore} vs ${apiBefore}`);

  // The review screen: "Find candidates" runs the matcher and says what it found.
  await tab(page, 'links');
  await page.waitForSelector('#links-list li', { timeout: 30000 });
  check('the review of linked records is in the URL', new URL(page.url()).searchParams.get('v') === 'links', page.url());
  await page.click('#links-find');
  await page.waitForSelector('#links-find-status[data-new]', { timeout: 120000 });
  const summary = await page.textContent('#links-find-status');
  const candidates = await apiJson(page, '/api/v1/links?state=candidate&limit=500');
  const at = candidates.items.findIndex((l) => [l.a.id, l.b.id].sort().join() === [ucdp.id, manual.id].sort().join());
  const link = candidates.items[at];
  check('"Find candidates" pairs the second source\'s record with the UCDP event, with its reasons',
    !!link && Number(await page.getAttribute('#links-find-status', 'data-new')) >= 1 && /candidate link/.test(summary) &&
    link.score >= 0.6 && link.reasons.includes('same day') && link.distance_km > 0.5 && link.distance_km < 1.5 &&
    link.reasons.some((r) => /^killed \d+ and \d+$/.test(r)),
    `${summary} | ${link ? `${link.score} ${link.reasons.join('; ')}` : `not among ${candidates.items.length}`}`);
  must('the pair is a candidate link', !!link);
  // Best first, a page at a time: the page that holds the pair, as a link would open it.
  const offset = Math.floor(at / 20) * 20;
  const row = `li.link-row[data-link="${link.id}"]`;
  await page.goto(`${origin}/?lang=en&v=links&lo=${offset}`);
  await page.waitForSelector(row, { timeout: 30000 });
  const scores = await page.$$eval('li.link-row', (els) => els.map((e) => Number(e.getAttribute('data-score'))));
  const rowText = await page.textContent(row);
  check('candidates are listed best first, each with both records side by side, the reasons and the score',
    scores.every((x, k) => k === 0 || scores[k - 1] >= x) && (await page.$$(`${row} .link-pair .link-record`)).length === 2 &&
    rowText.includes('same day') && rowText.includes('km apart (exact point, exact point)') &&
    rowText.includes(`score ${scoreEn(link.score)}`) && rowText.includes('Filed report') && rowText.includes('UCDP GED') &&
    (await page.$(`${row} #link-confirm-${link.id}`)) !== null && (await page.$(`${row} #link-reject-${link.id}`)) !== null,
    `${scores.length} rows from ${offset}; ${rowText.slice(0, 300)}`);
  await page.$eval(row, (e) => e.scrollIntoView());
  await shot(page, 'links-en');

  // A second tab still offers the pair when the first confirms it.
  const stale = await context.newPage();
  onlyLocal(stale, origin, offenders);
  stale.on('pageerror', (e) => errors.push(String(e)));
  await stale.goto(`${origin}/?lang=en&v=links&lo=${offset}`);
  await stale.waitForSelector(`${row} #link-reject-${link.id}`, { timeout: 30000 });

  // Confirmed from the keyboard, with a note: the row says its new state and which record counts.
  await page.fill(`#link-note-${link.id}`, 'Same attack: the report places it at the village centre.');
  await page.focus(`#link-confirm-${link.id}`);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`${row}[data-state="confirmed"]`, { timeout: 30000 });
  const decided = await apiJson(page, '/api/v1/links?state=confirmed&limit=500');
  const confirmed = decided.items.find((l) => l.id === link.id);
  const keptCard = await attrOf(page, `${row} .link-record.kept`, 'data-id');
  const confirmedText = await page.textContent(row);
  check('a confirmed link shows its new state, the record that counts (UCDP, the lower marking) and the note',
    confirmed?.kept === ucdp.id && keptCard === ucdp.id && confirmed.note.includes('village centre') &&
    confirmedText.includes(messages.en.linkStateConfirmed) && confirmedText.includes('Confirmed. The figures across sources') &&
    (await page.$(`#link-confirm-${link.id}`)) === null && await page.evaluate((id) => document.activeElement?.id === `link-status-${id}`, link.id),
    `kept ${confirmed?.kept} (UCDP ${ucdp.id}), card ${keptCard}: ${confirmedText.slice(0, 300)}`);
  await shot(page, 'links-confirmed-en');
  await stale.click(`#link-reject-${link.id}`);
  await stale.waitForSelector(`#link-status-${link.id}[data-conflict]`, { timeout: 30000 });
  const conflict = await stale.textContent(`#link-status-${link.id}`);
  const still = (await apiJson(page, '/api/v1/links?state=all&limit=500')).items.find((l) => l.id === link.id);
  check('a decision on a link decided meanwhile is refused (409) and says so', conflict.startsWith(messages.en.linkConflict) &&
    still?.state === 'confirmed' && (await attrOf(stale, `#link-status-${link.id}`, 'role')) === 'alert', conflict);
  await stale.close();

  // The figures across sources count the event once: one incident fewer than the API counted
  // just before, on the incidents screen and in the API; the table lists the UCDP record only.
  await page.goto(`${origin}/?lang=en`);
  const uiAfter = await waitCount(page);
  const apiAfter = sumCounts(await apiJson(page, '/api/v1/stats?by=year'));
  check('after the confirmation the unfiltered count is one less than the API counted before, and the API agrees',
    uiAfter === apiBefore - 1 && apiAfter === uiAfter, `${uiBefore} → ${uiAfter} (API ${apiBefore} → ${apiAfter})`);
  const manualAlone = sumCounts(await apiJson(page, `/api/v1/stats?by=year&dataset=manual&from=${ucdp.date_start}&to=${ucdp.date_end}`));
  check('the counted record is still there with a dataset filter', manualAlone === 1, String(manualAlone));
  await page.goto(`${origin}/?lang=en&from=${ucdp.date_start}&to=${ucdp.date_end}&table=1`);
  await page.waitForSelector('#incidents-table tbody tr, #table-empty', { timeout: 30000 });
  const tableIds = await page.$$eval('#incidents-table button.incident-row', (els) => els.map((e) => e.getAttribute('data-id')));
  check('the table lists the event once, as the record that counts', tableIds.includes(ucdp.id) && !tableIds.includes(manual.id),
    `${tableIds.length} rows on ${ucdp.date_start}`);

  // The kept record: also reported by the other; the other: counted in the kept one.
  await page.goto(`${origin}/?lang=en&incident=${ucdp.id}`);
  await page.waitForSelector('#also-list li', { timeout: 30000 });
  const alsoItem = `#also-list li[data-id="${manual.id}"]`;
  const alsoText = await textOf(page, alsoItem);
  check('the kept record\'s details say it is also reported by the other record, confirmed, with the score',
    (await attrOf(page, alsoItem, 'data-state')) === 'confirmed' && alsoText.includes('Filed report') &&
    alsoText.includes(messages.en.linkStateConfirmed) && alsoText.includes(`score ${scoreEn(link.score)}`) &&
    alsoText.includes(`${ucdp.killed + 1} deaths`) && (await textOf(page, '#also-h')) === messages.en.alsoReportedBy &&
    (await textOf(page, '#counts-for')).includes('count this event once, in this record'),
    `${alsoText} | ${await textOf(page, '#counts-for')}`.slice(0, 400));
  await page.click(`${alsoItem} button.also-open`);
  await page.waitForSelector('#counted-in', { timeout: 30000 });
  const countedText = await page.textContent('#counted-in');
  check('the other record says it is counted in the kept one, and the figures count the event once',
    new URL(page.url()).searchParams.get('incident') === manual.id &&
    countedText === `Counted in the UCDP GED record #${ucdp.provenance.source_id}; the figures across sources count this event once.` &&
    (await attrOf(page, '#counted-in', 'data-kept')) === ucdp.id, countedText);
  await shot(page, 'counted-in-en');
  await page.click('#counted-in button.counted-open');
  await page.waitForFunction((id) => new URL(location.href).searchParams.get('incident') === id, ucdp.id, { timeout: 30000 });
  await page.waitForSelector(alsoItem, { timeout: 30000 });
  check('the kept record opens from that sentence', true);

  // In Urdu and Chinese: the sentence, the section and the review screen in the language.
  for (const lang of ['ur', 'zh']) {
    await page.goto(`${origin}/?lang=${lang}&incident=${manual.id}`);
    await page.waitForSelector('#counted-in', { timeout: 30000 });
    const said = await page.textContent('#counted-in');
    const words = { ur: 'شامل گنا گیا', zh: '只计此事件一次' }[lang];
    check(`${lang}: the record says in the language that it is counted in the UCDP record`,
      said.includes(words) && said.includes(`#${ucdp.provenance.source_id}`) &&
      (await textOf(page, '#also-h')) === messages[lang].alsoReportedBy, said);
    await shot(page, `counted-in-${lang}`);
    await page.goto(`${origin}/?lang=${lang}&v=links&ls=all`);
    await page.waitForSelector(row, { timeout: 30000 });
    const reasons = await textOf(page, `${row} .link-reasons`);
    const km = { ur: 'کلومیٹر', zh: '公里' }[lang];
    check(`${lang}: the review screen gives the reasons in the language`, reasons.includes(km) &&
      (await textOf(page, `${row} .link-state`)) === messages[lang].linkStateConfirmed, reasons);
    await page.$eval(row, (e) => e.scrollIntoView());
    await shot(page, `links-${lang}`);
    const over = await noHorizontalOverflow(page);
    check(`${lang}: no horizontal overflow (linked records)`, over.length === 0, over.join('; '));
  }
  check('no script errors in the linked records\' pages', errors.length === 0, errors.slice(0, 3).join(' | '));
  await page.close();
  return { manual: manual.id, kept: ucdp.id };
}

// ---- the tests

async function functionalTests(browser, origin, users, messages, committee) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
  const page = await context.newPage();
  const offenders = [];
  onlyLocal(page, origin, offenders);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  // The server's headers for the application.
  const index = await page.goto(origin + '/');
  const headers = index.headers();
  check('index.html is served with a CSP that allows only this origin',
    /default-src 'none'/.test(headers['content-security-policy'] ?? '') &&
    !/https?:/.test(headers['content-security-policy'] ?? ''), headers['content-security-policy']);
  check('index.html is revalidated (no-cache)', headers['cache-control'] === 'no-cache', headers['cache-control']);
  const asset = await page.evaluate(() => document.querySelector('script[type=module]')?.getAttribute('src'));
  const assetRes = await page.request.get(origin + asset);
  check('hashed assets are immutable and typed', /immutable/.test(assetRes.headers()['cache-control'] ?? '') &&
    /javascript/.test(assetRes.headers()['content-type'] ?? ''), `${assetRes.headers()['cache-control']} ${assetRes.headers()['content-type']}`);

  await page.waitForSelector('#username');
  await shot(page, 'signin-en');
  // A wrong code fails with a message and no session.
  await page.fill('#username', users.analyst.name);
  await page.fill('#password', 'wrong-password');
  await page.click('form.signin-form button[type=submit]');
  await page.waitForFunction(() => /\S/.test(document.querySelector('#signin-status')?.textContent ?? ''));
  check('a wrong password is refused with a message', await page.isVisible('#username'),
    await page.textContent('#signin-status'));

  await signIn(page, users.analyst);
  check('sign-in with password and second factor shows the user', (await page.textContent('#whoami')).includes(users.analyst.name));

  // Counts: everything, then a date range and an area, each checked against the API.
  const all = await waitCount(page);
  const apiAll = await apiJson(page, '/api/v1/stats?by=year');
  const sumAll = apiAll.reduce((a, r) => a + r.count, 0);
  check('the unfiltered count matches the API', all === sumAll, `${all} vs ${sumAll}`);
  check('data through is shown', /\d/.test(await page.textContent('#through')), await page.textContent('#through'));
  await page.waitForFunction(() => document.querySelectorAll('#timeline rect').length > 12);
  check('the timeline has a bar per month', true);

  // Dates are typed year-month-day in every language and echoed as the language writes them;
  // a day that does not exist is refused with a message, and nothing is applied.
  await page.fill('#f-from', '2009-02-30');
  await page.click('#apply');
  check('a date that does not exist is refused, in words', (await page.textContent('#f-from-echo')) === messages.en.dateInvalid &&
    !new URL(page.url()).searchParams.has('from'), await page.textContent('#f-from-echo'));
  await page.fill('#f-from', '2009-01-01');
  await page.fill('#f-to', '2012-12-31');
  check('a typed date is echoed as the language writes it', (await page.textContent('#f-from-echo')) === '1 Jan 2009',
    await page.textContent('#f-from-echo'));
  await page.selectOption('#f-area', 'PK2'); // Khyber Pakhtunkhwa
  await page.click('#apply');
  await page.waitForFunction(() => location.search.includes('area=PK2'));
  const filtered = await waitCount(page);
  const apiFiltered = await apiJson(page, '/api/v1/stats?by=year&from=2009-01-01&to=2012-12-31&area=PK2');
  const sumFiltered = apiFiltered.reduce((a, r) => a + r.count, 0);
  check('filtering by date and area matches the API count', filtered === sumFiltered && filtered > 0 && filtered < all,
    `${filtered} vs ${sumFiltered} (of ${all})`);
  const gridTotal = await apiJson(page, '/api/v1/stats/grid?from=2009-01-01&to=2012-12-31&area=PK2');
  const withPoint = await apiJson(page, '/api/v1/incidents?from=2009-01-01&to=2012-12-31&area=PK2&limit=10000');
  check('the map grid holds every incident with a point', gridTotal.total === withPoint.items.filter((i) => i.latitude !== null).length,
    `${gridTotal.total}`);

  // The URL holds the view: a new page on the same link shows the same count.
  const link = page.url();
  const page2 = await context.newPage();
  onlyLocal(page2, origin, offenders);
  await page2.goto(link);
  check('a link reopens the same view', (await waitCount(page2)) === filtered, link);
  await page2.close();

  // The incident table (issue 17 item 8): every filtered incident, sorted by
  // deaths, a page at a time; a row opens the incident.
  await page.click('#table-open');
  await page.waitForSelector('#incidents-table tbody tr');
  await page.click('#sort-deaths');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('sort') === 'deaths_desc' &&
    document.querySelector('th[aria-sort=descending] #sort-deaths') !== null);
  const filterQuery = 'from=2009-01-01&to=2012-12-31&area=PK2';
  const deadliest = await apiJson(page, `/api/v1/incidents?${filterQuery}&limit=50&sort=deaths_desc`);
  const firstRow = await page.$$eval('#incidents-table tbody tr', (rows) =>
    rows.map((r) => r.querySelector('td.num').textContent));
  const best = (v) => v.toLocaleString('en-GB');
  check('the table sorted by deaths starts with the deadliest filtered incident, 25 rows a page',
    firstRow.length === 25 && firstRow[0].startsWith(best(deadliest.items[0].killed)),
    `${firstRow.length} rows, first ${firstRow[0]} vs API ${deadliest.items[0].killed}`);
  const rangeText = () => page.textContent('#table-range');
  check('the table says which rows of how many it shows', (await rangeText()).includes(`1–25 of ${best(filtered)}`), await rangeText());
  await page.click('#table-next');
  await page.waitForFunction(() => /26–50/.test(document.querySelector('#table-range')?.textContent ?? ''));
  const second = await page.$$eval('#incidents-table tbody tr td.num', (tds) => tds.map((td) => td.textContent));
  check('the next page continues the order', second[0].startsWith(best(deadliest.items[25].killed)),
    `${second[0]} vs API ${deadliest.items[25].killed}`);
  await page.click('#table-prev');
  await page.waitForFunction(() => /1–25/.test(document.querySelector('#table-range')?.textContent ?? ''));
  await shot(page, 'incident-table-en');
  // The page size is part of the link.
  await page.selectOption('#table-size', '50');
  await page.waitForFunction(() => /1–50/.test(document.querySelector('#table-range')?.textContent ?? ''));
  check('the table page size is in the URL', new URL(page.url()).searchParams.get('rows') === '50', page.url());
  await page.selectOption('#table-size', '25');
  await page.waitForFunction(() => /1–25/.test(document.querySelector('#table-range')?.textContent ?? ''));

  // Open an incident from the table: details with provenance, precision and marking.
  await page.click('#incidents-table tbody tr:first-child button.incident-row');
  await page.waitForSelector('#details dl');
  const details = await page.textContent('#details');
  check('an incident opens with provenance, licence and marking',
    details.includes('ucdp-ged') && details.includes('CC BY') && /TLP:/.test(details), details.slice(0, 160));
  check('the details say how precise the place is', details.includes('Precision'), details.slice(0, 300));
  await page.click('#table-close');
  check('attribution is visible beside the map', /UCDP|Sundberg/.test(await page.textContent('#attribution')),
    await page.textContent('#attribution'));
  check('the disputed status of Kashmir is stated on the map', /Kashmir/.test(await page.textContent('#disputed')));
  await shot(page, 'incidents-en');

  // Export what the filter says (issue 17 item 10), with the map looking somewhere else
  // entirely (Gwadar, far from the filtered province): every filtered incident, attributed.
  await page.fill('#place-search', 'Gwadar');
  await page.waitForSelector('#place-results button.place-result', { timeout: 30000 });
  await page.click('#place-results button.place-result');
  await page.waitForTimeout(400);
  const [csvDl] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const csvText = fs.readFileSync(await csvDl.path(), 'utf8');
  const csv = csvText.trim().split('\r\n');
  const [geoDl] = await Promise.all([page.waitForEvent('download'), page.click('#export-geojson')]);
  const geo = JSON.parse(fs.readFileSync(await geoDl.path(), 'utf8'));
  check('CSV and GeoJSON exports hold every incident the filter selects, not the map view',
    csv.length - 1 === filtered && geo.features.length === filtered,
    `${csv.length - 1} rows, ${geo.features.length} features, ${filtered} filtered`);
  const header = csv[0].split(',');
  check('the CSV carries precision, description, parties, marking and attribution',
    ['location_precision', 'date_precision', 'description', 'parties', 'marking', 'attribution'].every((c) => header.includes(c)) &&
    csv.slice(1).every((row) => row.includes('Uppsala Conflict Data Program')) && typeof geo.attribution === 'object',
    header.join(','));
  check('the export says what it covered', (await page.textContent('#export-status')).includes(String(filtered.toLocaleString('en'))),
    await page.textContent('#export-status'));
  await page.fill('#place-search', '');

  // Reset the filters before the other views.
  await page.click('#details-close');
  await page.click('#reset');
  await waitCount(page);

  // The timeline is a brush: dragging across it filters by those months.
  await page.locator('#timeline svg').scrollIntoViewIfNeeded();
  const tlBox = await page.locator('#timeline svg').boundingBox();
  await page.mouse.move(tlBox.x + tlBox.width * 0.5, tlBox.y + tlBox.height / 2);
  await page.mouse.down();
  await page.mouse.move(tlBox.x + tlBox.width * 0.6, tlBox.y + tlBox.height / 2, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(() => new URLSearchParams(location.search).has('from') && new URLSearchParams(location.search).has('to'));
  const brushed = new URLSearchParams(new URL(page.url()).search);
  const brushedCount = await waitCount(page);
  const apiBrushed = (await apiJson(page, `/api/v1/stats?by=year&from=${brushed.get('from')}&to=${brushed.get('to')}`))
    .reduce((a, r) => a + r.count, 0);
  check('dragging across the timeline filters by those months', brushedCount === apiBrushed && brushedCount > 0 && brushedCount < all,
    `${brushed.get('from')}..${brushed.get('to')}: ${brushedCount} vs ${apiBrushed}`);
  // No matches says so in the table.
  await page.fill('#f-text', 'zqxjvw');
  await page.click('#apply');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === 'zqxjvw');
  await page.click('#table-open');
  await page.waitForSelector('#table-empty');
  check('an empty table says no incidents match', (await page.textContent('#table-empty')).includes('No incidents match'));
  await page.click('#table-close');
  await page.click('#reset');
  await waitCount(page);

  // Category filter: several categories at once, each a checkbox; the count is the API's for the list.
  const byCategory = (await apiJson(page, '/api/v1/stats?by=category')).sort((a, b) => b.count - a.count);
  const twoCats = byCategory.slice(0, 2).map((r) => r.key).sort();
  for (const c of twoCats) await page.check(`#f-cat-${c}`);
  await page.click('#apply');
  await page.waitForFunction((c) => new URLSearchParams(location.search).get('cat') === c, twoCats.join(','));
  const multi = await waitCount(page);
  const apiMulti = (await apiJson(page, `/api/v1/stats?by=year&category=${twoCats.join(',')}`)).reduce((a, r) => a + r.count, 0);
  const oneCat = (await apiJson(page, `/api/v1/stats?by=year&category=${twoCats[0]}`)).reduce((a, r) => a + r.count, 0);
  const stillChecked = await page.evaluate((cs) => cs.every((c) => document.getElementById(`f-cat-${c}`)?.checked), twoCats);
  check('the category filter takes several categories (count matches the API)',
    multi === apiMulti && multi > oneCat && stillChecked, `${twoCats.join('+')}: ${multi} vs ${apiMulti} (${twoCats[0]} alone ${oneCat})`);
  await page.click('#reset');
  await waitCount(page);

  // Choosing an area zooms the map to it (the URL's map centre and zoom follow the map).
  const districts = (await apiJson(page, '/api/v1/areas?level=2')).items;
  const districtGeo = await apiJson(page, '/api/v1/areas.geojson?level=2&tolerance=0.01');
  const target = districts.find((d) => d.name === 'Quetta') ?? districts[0];
  const feature = districtGeo.features.find((f) => f.properties.pcode === target.pcode);
  const ring = feature.geometry.type === 'Polygon' ? feature.geometry.coordinates.flat() : feature.geometry.coordinates.flat(2);
  const [minLon, maxLon] = [Math.min(...ring.map((p) => p[0])), Math.max(...ring.map((p) => p[0]))];
  const [minLat, maxLat] = [Math.min(...ring.map((p) => p[1])), Math.max(...ring.map((p) => p[1]))];
  const mapBefore = new URL(page.url()).searchParams.get('map');
  await page.selectOption('#f-area', target.pcode);
  await page.waitForFunction((b) => new URLSearchParams(location.search).get('map') !== b, mapBefore, { timeout: 30000 });
  await page.waitForTimeout(400); // the end of the zoom animation
  const [clat, clon, czoom] = new URL(page.url()).searchParams.get('map').split(',').map(Number);
  check('choosing an area zooms the map to it', czoom >= 7 && clat >= minLat && clat <= maxLat && clon >= minLon && clon <= maxLon,
    `${target.name}: centre ${clat},${clon} zoom ${czoom}; area ${minLat.toFixed(2)}–${maxLat.toFixed(2)}, ${minLon.toFixed(2)}–${maxLon.toFixed(2)}`);
  await shot(page, 'area-zoom-en');
  await page.click('#reset');
  await waitCount(page);

  // Place search (issue 17 item 1): Quetta by its Urdu name, shown with its English and
  // Chinese names; choosing it centres the map there, among the gazetteer's labels.
  await page.fill('#place-search', 'کوئٹہ');
  await page.waitForSelector('#place-results button.place-result', { timeout: 30000 });
  const firstPlace = await page.textContent('#place-results button.place-result');
  check('place search finds Quetta by its Urdu name, with its Chinese name', firstPlace.includes('Quetta') &&
    firstPlace.includes('奎达'), firstPlace);
  await shot(page, 'place-search-en');
  const mapBeforePlace = new URL(page.url()).searchParams.get('map');
  await page.click('#place-results button.place-result');
  await page.waitForFunction((b) => new URLSearchParams(location.search).get('map') !== b, mapBeforePlace, { timeout: 30000 });
  await page.waitForTimeout(400); // the end of the zoom animation
  const [plat, plon, pzoom] = new URL(page.url()).searchParams.get('map').split(',').map(Number);
  check('choosing a place centres the map on it', Math.abs(plat - 30.199) < 0.05 && Math.abs(plon - 67.01) < 0.05 && pzoom >= 10,
    `centre ${plat},${plon} zoom ${pzoom}`);
  const labels = await page.$$eval('.place-label', (els) => els.map((e) => e.textContent));
  check('the map labels the places in view', labels.includes('Quetta'), `${labels.length} labels: ${labels.slice(0, 5).join(', ')}`);
  check('the map credits GeoNames', (await page.textContent('#attribution')).includes('GeoNames'));
  await shot(page, 'place-quetta-en');
  await page.fill('#place-search', '奎達');
  await page.waitForFunction(() => document.querySelector('#place-results button.place-result')?.textContent.includes('Quetta'), null, { timeout: 30000 });
  check('place search finds Quetta by its traditional Chinese name', true);
  await page.fill('#place-search', '');
  await page.click('#reset');
  await waitCount(page);

  // Risk: impact choropleth and forecast with its backtest.
  await tab(page, 'risk');
  await page.click('#ch-impact');
  await page.waitForSelector('#top-areas li', { timeout: 120000 });
  check('the impact index choropleth lists ranked areas', (await page.$$('#top-areas li')).length > 0);
  await page.click('#layer-forecast');
  await page.waitForSelector('#backtest-table', { timeout: 600000 });
  const bt = await page.textContent('#backtest-table');
  check('the forecast shows its backtest against baselines', bt.includes(messages.en.persistence) && bt.includes(messages.en.hawkes));
  // Issue 17 item 5: when the forecast was issued and for which days, which model the map
  // uses, a verdict that agrees with the backtest's own figures, and a reliability diagram.
  const forecastGeo = await apiJson(page, '/api/v1/risk/forecast.geojson');
  const issued = await page.getAttribute('#forecast-issued', 'data-through');
  const mapModel = forecastGeo.model;
  check('the forecast says which model it is and the data it was issued from', issued === forecastGeo.data_through &&
    mapModel === 'ensemble' && (await page.getAttribute('#forecast-issued', 'data-model')) === mapModel &&
    (await page.textContent('#forecast-issued')).includes(messages.en.ensemble), await page.textContent('#forecast-issued'));
  const backtest = await apiJson(page, '/api/v1/risk/backtest');
  const better = (key, sign) => ['persistence', 'long_run_average', 'decayed_history'].some((m) =>
    backtest[m][key] !== undefined && sign * (backtest[m][key] - backtest[mapModel][key]) > 0);
  const loses = [['hit_rate_5', 1], ['pai_5', 1], ['hit_rate_10', 1], ['pai_10', 1], ['brier', -1]].filter(([k, sg]) => better(k, sg));
  const verdict = await page.textContent('#backtest-verdict');
  const verdictItems = await page.$$eval('#backtest-verdict li', (li) => li.map((x) => x.getAttribute('data-measure')));
  check('the screen says plainly whether the model beats every baseline, measure by measure',
    loses.length ? verdict.startsWith(messages.en.verdictLoses) && JSON.stringify(verdictItems) === JSON.stringify(loses.map(([k]) => k))
      : verdict === messages.en.verdictWins && verdictItems.length === 0,
    `${loses.map(([k]) => k).join(', ') || 'no loss'}: ${verdict}`);
  const dots = await page.$$eval('#calibration svg circle', (c) => c.length);
  const binsWithData = ['hawkes', 'long_run_average', 'ensemble', 'selected'].reduce((a, m) => a + backtest[m].reliability.filter((b) => b.n > 0).length, 0);
  check('the forecast has a reliability diagram of its backtest', dots === binsWithData && dots > 3, `${dots} dots, ${binsWithData} bins`);
  const selectionNote = await page.textContent('#selection-note');
  check('the backtest shows the pool chosen on earlier months only and the weights it would use next',
    (await page.$('#backtest-table tr[data-method="selected"]')) !== null && backtest.selection.weights_by_month.length === backtest.months &&
    selectionNote.includes(String(backtest.selection.variants)) && selectionNote.includes(backtest.selection.next_weights.long_run_average.toFixed(1)),
    selectionNote);
  await page.click('#layer-incidents');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('pts') === '0');
  check('the incidents can be hidden under the risk layers', !(await page.isChecked('#layer-incidents')));
  await page.waitForSelector('#calibration svg circle', { timeout: 120000 });
  await page.$eval('#calibration', (e) => e.scrollIntoView());
  await shot(page, 'forecast-calibration-en');
  await page.click('#layer-incidents');
  await shot(page, 'risk-en');

  // Sites: ranked by exposure; selecting one shows its nearby incidents.
  await tab(page, 'sites');
  await page.waitForSelector('.site-item', { timeout: 120000 });
  await page.click('.site-item');
  await page.waitForFunction(() => document.querySelector('.site-item[aria-current] [id^=site-near]')?.hasAttribute('data-count'), null, { timeout: 60000 });
  check('a site shows its nearby incidents', true, await page.textContent('.site-item[aria-current]'));
  // Issue 17 §3: the list and the map count the same incidents (same window, dataset, radius,
  // only those placed to a point): the map draws the site's footprint and exactly the incidents
  // its row counted, and says how many.
  const chosen = await page.getAttribute('.site-item[aria-current]', 'data-id');
  const siteListed = Number(await page.getAttribute('.site-item[aria-current]', 'data-incidents'));
  const drawn = Number(await page.getAttribute(`#site-near-${chosen}`, 'data-count'));
  const nearText = await page.textContent(`#site-near-${chosen}`);
  const countedDots = await page.locator('path.counted-point').count();
  check('the site map draws exactly the incidents the list counts, in the stated window',
    (await page.isVisible('#exposure-scope')) && drawn === siteListed && countedDots === siteListed &&
      nearText.includes(String(siteListed)),
    `${siteListed} listed, ${drawn} drawn, ${countedDots} markers: ${nearText}; ${await page.textContent('#exposure-scope')}`);
  // Sites are the physical projects (issue 17 item 3): one Gwadar Port, with its five financing
  // records, not four rows of financing titles.
  const names = await page.locator('.site-item .what').allTextContents();
  const ports = names.filter((n) => n === 'Gwadar Port').length;
  const portRecords = await page.evaluate(() => [...document.querySelectorAll('.site-item')]
    .find((b) => b.querySelector('.what')?.textContent === 'Gwadar Port')
    ?.querySelector('.records')?.getAttribute('data-records') ?? null);
  check('sites are projects: Gwadar Port once, with its five financing records',
    ports === 1 && portRecords === '5' && !names.some((n) => /pledges to provide|loan for/i.test(n)),
    `${ports} rows named Gwadar Port, records ${portRecords}; ${names.length} sites listed`);

  // Subscribe to the top site (API), then file a report next to it in the browser: an alert follows.
  const top = await page.getAttribute('.site-item', 'data-id');
  const site = await apiJson(page, `/api/v1/sites/${top}`);
  const sub = await page.evaluate(async ([id]) => {
    const r = await fetch(`/api/v1/sites/${id}/subscription`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': localStorage.getItem('corridor.csrf') },
      body: JSON.stringify({ radius_km: 25 }),
    });
    return r.status;
  }, [top]);
  check('the site-security user subscribes to a site', sub === 200 || sub === 201, String(sub));

  await tab(page, 'report');
  await page.fill('#r-headline', 'Browser test: IED found near the site gate');
  await page.fill('#r-description', 'Filed from the web application by the browser test.');
  await page.fill('#r-date', '2019-12-30');
  await page.selectOption('#r-category', 'bombing');
  await page.fill('#r-lat', String(site.latitude + 0.01));
  await page.fill('#r-lon', String(site.longitude));
  await page.click('#r-submit');
  await page.waitForFunction(() => document.querySelector('#report-status')?.getAttribute('data-id'), null, { timeout: 30000 });
  const reportId = await page.getAttribute('#report-status', 'data-id');
  const filed = await apiJson(page, `/api/v1/incidents/${reportId}`);
  check('a filed report is stored through the API', filed.headline === 'Browser test: IED found near the site gate' &&
    filed.provenance.dataset === 'manual' && filed.marking === 'TLP:AMBER', `${filed.headline} ${filed.provenance.dataset} ${filed.marking}`);
  await shot(page, 'report-en');

  // Alerts, unread first.
  await tab(page, 'sites');
  await page.waitForSelector('.alert-list li.unread', { timeout: 30000 });
  check('the report near a subscribed site raises an unread alert', (await page.textContent('.alert-list li.unread')).includes('IED'));
  await shot(page, 'sites-en');

  // Route (issue 17 item 6): the shortest and the lower-risk road route across Islamabad, with the
  // UCDP events of the ten years to 2015 as the risk picture; the lower-risk one avoids them.
  await tab(page, 'route');
  await page.fill('#route-from', '33.7290,73.0750');
  await page.fill('#route-to', '33.6500,73.0370');
  await page.fill('#route-asof', '2015-12-31');
  await page.fill('#route-days', '3650');
  await page.click('#route-go');
  await page.waitForSelector('#route-table tbody tr[data-kind=lowest_risk]', { timeout: 120000 });
  const routeRows = await page.$$eval('#route-table tbody tr', (rows) => rows.map((r) => r.textContent));
  const plan = await apiJson(page, '/api/v1/route?from=33.7290,73.0750&to=33.6500,73.0370&as_of=2015-12-31&window_days=3650');
  const [shortestRoute, safestRoute] = plan.routes;
  check('the route view shows the shortest and the lowest-risk route', routeRows.length === 2 &&
    shortestRoute.risk > safestRoute.risk && safestRoute.duration_s > shortestRoute.duration_s,
    `shortest ${(shortestRoute.length_m / 1000).toFixed(2)} km ${shortestRoute.risk} incident-km; ` +
    `lowest risk ${(safestRoute.length_m / 1000).toFixed(2)} km ${safestRoute.risk} incident-km`);
  check('the route view says what the lower-risk route costs and avoids',
    /takes .+ more and avoids [\d.,]+ incident-km/.test(await page.textContent('#route-tradeoff')),
    await page.textContent('#route-tradeoff'));
  check('both routes and the risky road are drawn on the map',
    (await page.$$('path.route-shortest')).length === 1 && (await page.$$('path.route-lowest_risk')).length === 1 &&
    (await page.$$('path.route-risky')).length > 0);
  check('the route carries the OpenStreetMap attribution',
    (await page.textContent('#route-attribution')).includes('OpenStreetMap contributors'));
  await shot(page, 'route-en');

  // Change the marking: loosening needs a second analyst.
  await page.goto(`${origin}/?incident=${reportId}`);
  await page.waitForSelector('#marking-select');
  await page.selectOption('#marking-select', 'TLP:GREEN');
  await page.click('#marking-submit');
  await page.waitForFunction(() => /\S/.test(document.querySelector('#marking-status')?.textContent ?? ''));
  const pending = await page.textContent('#marking-status');
  check('loosening a marking waits for a second analyst', /approve|pending/i.test(pending) && /[0-9a-f-]{8,}/.test(pending), pending);

  const c2 = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const p2 = await c2.newPage();
  onlyLocal(p2, origin, offenders);
  await p2.goto(`${origin}/?v=report`);
  await signIn(p2, users.approver);
  const request = `#pending .request[data-object="${reportId}"]`;
  await p2.waitForSelector(request, { timeout: 30000 });
  const rid = await p2.getAttribute(request, 'data-id');
  await p2.click(`#approve-${rid}`);
  await p2.waitForFunction((sel) => /\S/.test(document.querySelector(`${sel} .sub`)?.textContent ?? ''), request);
  const after = await apiJson(page, `/api/v1/incidents/${reportId}`);
  check('the second analyst approves and the marking changes', after.marking === 'TLP:GREEN', after.marking);
  await c2.close();

  // An administrator sees only the screens an administrator can use (issue 17 item 7): no
  // sites or routes and no report form; a link to the sites opens a screen the role can use,
  // not a refusal; a failed request reads as a sentence in the user's language, closable.
  // bypassCSP only so that axe-core can be added to the admin console below.
  const c3 = await browser.newContext({ viewport: { width: 1366, height: 768 }, bypassCSP: true });
  const p3 = await c3.newPage();
  onlyLocal(p3, origin, offenders);
  await p3.goto(`${origin}/?v=sites`);
  await signIn(p3, users.admin);
  await waitCount(p3);
  const tabs = await p3.$$eval('nav.tabs .tab', (els) => els.map((e) => e.id));
  check('an administrator sees only the tabs an administrator can use',
    !tabs.includes('tab-sites') && !tabs.includes('tab-route') && tabs.includes('tab-incidents') && tabs.includes('tab-report'),
    tabs.join(','));
  check('an administrator is not offered the review of linked records', !tabs.includes('tab-links'), tabs.join(','));
  const adminPanel = await p3.textContent('#panel');
  check('a link to a screen the role cannot use opens one it can, without a refusal',
    !/not allowed|403|Loading/.test(adminPanel), adminPanel.slice(0, 160));
  await p3.click('#tab-report');
  await p3.waitForSelector('#pending');
  check('the report form is not offered to an administrator', (await p3.$('#report-form')) === null);
  await p3.goto(`${origin}/?incident=00000000-0000-4000-8000-000000000000`);
  await p3.waitForSelector('#details .status.error', { timeout: 30000 });
  const notFound = await p3.textContent('#details .status.error');
  check('a missing incident is a translated sentence, not the server message',
    notFound === messages.en.errNotFound, notFound);
  await shot(p3, 'admin-en');

  // The admin console (issue 17 item 7): the administrator verifies the audit log, adds an
  // administrator (accounts that read marked data are added at the instance, where their
  // second factor reaches only their holder), who signs in, disables it, and finds both changes
  // in the log; an analyst has no such screen.
  check('an analyst has no admin console', (await page.$('#tab-admin')) === null);
  check('an administrator has the admin console', tabs.includes('tab-admin'), tabs.join(','));
  p3.on('dialog', (d) => void d.accept());
  await p3.click('#tab-admin');
  await p3.waitForSelector('#users-table tbody tr', { timeout: 30000 });
  await p3.waitForSelector('#audit-table tbody tr', { timeout: 30000 });
  await p3.waitForSelector('#tokens-table tbody tr', { timeout: 30000 });
  await p3.waitForSelector('#partners-none, #partners-table', { timeout: 30000 });
  const listedUsers = await p3.$$eval('#users-table tbody tr', (rows) => rows.map((r) => r.getAttribute('data-user')));
  check('the console lists every account', [users.analyst.name, users.approver.name, users.admin.name].every((u) => listedUsers.includes(u)),
    listedUsers.join(','));
  await p3.click('#audit-verify');
  await p3.waitForSelector('#audit-verify-result.verified, #audit-verify-result.broken, #audit-verify-result.error', { timeout: 60000 });
  const verified = await p3.textContent('#audit-verify-result');
  const chain = await apiJson(p3, '/api/v1/admin/audit/verify');
  check('the console verifies the audit log and says how many entries it checked',
    chain.ok && (await p3.$('#audit-verify-result.verified')) !== null && digits(verified) > 0 && digits(verified) <= chain.entries,
    `${verified} (server: ${chain.entries})`);
  const analystOverHttp = await p3.evaluate(async () => (await fetch('/api/v1/admin/users', {
    method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': localStorage.getItem('corridor.csrf') ?? '' },
    body: JSON.stringify({ username: 'sneaky', organisation: 'PK-NACTA', roles: ['analyst'], password: 'a long passphrase here' }),
  })).status);
  check('an account that reads marked data is not added over the network (403)', analystOverHttp === 403, String(analystOverHttp));
  const newName = `nadia-${Date.now() % 1000000}`;
  const newPassword = 'a long passphrase for nadia';
  await p3.fill('#new-user', newName);
  await p3.selectOption('#new-user-org', 'PK-NACTA');
  await p3.fill('#new-user-password', newPassword);
  await p3.click('#new-user-submit');
  await p3.waitForSelector(`#users-table tr[data-user="${newName}"]`, { timeout: 30000 });
  const listedAgain = JSON.stringify(await apiJson(p3, '/api/v1/admin/users'));
  check('the new administrator is listed, without its password', listedAgain.includes(newName) && !listedAgain.includes(newPassword));
  // Roles change in the console as a whole set: an analyst who also guards sites keeps only the
  // site-security role; an administrator's account is never made a reading one (the console
  // says so and nothing changes); admin stands alone in the editor.
  const guard = users.guard.name;
  await p3.click(`#roles-${guard}`);
  await p3.uncheck(`#roles-${guard}-analyst`);
  await p3.click(`#roles-${guard}-save`);
  await p3.waitForFunction((n) => document.querySelector(`#users-table tr[data-user="${n}"] td:nth-child(3)`)?.textContent === 'site security', guard, { timeout: 30000 });
  const rolesOf = async (name) => (await apiJson(p3, '/api/v1/admin/users?limit=1000')).items.find((u) => u.username === name)?.roles;
  const guardRoles = await rolesOf(guard);
  check('roles changed in the console are the account\'s roles', JSON.stringify(guardRoles) === '["site-security"]',
    JSON.stringify(guardRoles));
  await p3.click(`#roles-${newName}`);
  await p3.check(`#roles-${newName}-analyst`);
  const adminUnticked = !(await p3.isChecked(`#roles-${newName}-admin`));
  await p3.click(`#roles-${newName}-save`);
  await p3.waitForSelector(`#roles-${newName}-result [role=alert]`, { timeout: 30000 });
  check('an administrator\'s account is never made a reading one, and admin stands alone',
    adminUnticked && JSON.stringify(await rolesOf(newName)) === '["admin"]',
    (await p3.textContent(`#roles-${newName}-result`)).slice(0, 200));
  // An organisation added in the console is listed and offered for new accounts; a token made
  // for one's own account is shown once, works, is listed without its secret, and stops working
  // when revoked (after a confirmation).
  const orgName = `CN-TEST-${Date.now() % 100000}`;
  await p3.fill('#new-org', orgName);
  await p3.fill('#new-org-groups', 'bilateral, cpec');
  await p3.click('#new-org-submit');
  await p3.waitForSelector(`#orgs-table tr[data-org="${orgName}"]`, { timeout: 30000 });
  check('an organisation added in the console is listed with its trust groups and offered for new accounts',
    (await p3.textContent(`#orgs-table tr[data-org="${orgName}"]`)).includes('bilateral, cpec') &&
    (await p3.$(`#new-user-org option[value="${orgName}"]`)) !== null);
  await p3.fill('#new-token-label', 'browser test');
  await p3.click('#new-token-submit');
  await p3.waitForSelector('#new-token-secret', { timeout: 30000 });
  const tokenSecret = (await p3.textContent('#new-token-secret')).trim();
  const tokenRows = (await apiJson(p3, '/api/v1/admin/tokens?limit=1000')).items;
  const made = tokenRows.find((k) => k.label === 'browser test' && !k.revoked);
  const meWith = (secret) => p3.evaluate(async (tok) => (await fetch('/api/v1/auth/me', {
    credentials: 'omit', headers: { Authorization: `Bearer ${tok}` } })).status, secret);
  check('a token made in the console is shown once, works, and is listed without its secret',
    tokenSecret.startsWith('crd_') && made !== undefined && !JSON.stringify(tokenRows).includes(tokenSecret) &&
    (await meWith(tokenSecret)) === 200, `${tokenSecret.slice(0, 4)} ${made?.id}`);
  if (made) {
    await p3.waitForSelector(`#revoke-${made.id}`, { timeout: 30000 });
    await p3.click(`#revoke-${made.id}`);
    await p3.waitForSelector(`#revoke-${made.id}`, { state: 'detached', timeout: 30000 });
    check('a token revoked in the console stops working', (await meWith(tokenSecret)) === 401);
  }
  await shot(p3, 'admin-console-en');
  {
    const c4 = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const p4 = await c4.newPage();
    await p4.goto(origin + '/');
    await p4.waitForSelector('#username');
    await signIn(p4, { name: newName, password: newPassword });
    check('the administrator added in the console signs in', (await p4.textContent('#whoami')).includes(newName));
    await c4.close();
  }
  await p3.click(`#disable-${newName}`);
  await p3.waitForSelector(`#users-table tr.disabled[data-user="${newName}"]`, { timeout: 30000 });
  await p3.selectOption('#audit-action', 'admin');
  await p3.click('#audit-apply');
  await p3.waitForFunction((n) => document.querySelector('#audit-table tbody tr')?.textContent.includes(n), newName, { timeout: 30000 });
  const adminLog = await p3.$$eval('#audit-table tbody tr', (rows) => rows.map((r) => r.textContent));
  check('the log shows the account disabled, then added, by the administrator',
    adminLog[0].includes('disabled_user') && adminLog[0].includes(newName) && adminLog[0].includes(users.admin.name) &&
    adminLog.some((r) => r.includes('added_user') && r.includes(newName)) && !adminLog.join('').includes(newPassword),
    adminLog.slice(0, 2).join(' | ').slice(0, 300));
  const overflow = await noHorizontalOverflow(p3);
  check('the admin console fits the window', overflow.length === 0, overflow.join('; '));
  for (const lang of ['en', 'ur', 'zh']) {
    await p3.goto(`${origin}/?v=admin&lang=${lang}`);
    await p3.waitForSelector('#users-table tbody tr', { timeout: 30000 });
    await p3.waitForSelector('#audit-table tbody tr', { timeout: 30000 });
    if (lang !== 'en') await shot(p3, `admin-console-${lang}`);
    const r = await runAxe(p3);
    check(`${lang}: no WCAG 2.1 A/AA violations (axe) on the admin console`, r.violations.length === 0 && r.rules > 10,
      `${r.rules} rules applied${r.violations.length ? '; ' + describe(r.violations) : ''}`);
  }
  await c3.close();

  // Languages: every main view in Urdu and Chinese, at 1366x768 and at phone width.
  for (const lang of ['ur', 'zh']) {
    await page.goto(`${origin}/?lang=en`);
    await waitCount(page);
    await setLang(page, lang);
    await waitCount(page);
    const dir = await page.getAttribute('html', 'dir');
    if (lang === 'ur') {
      check('Urdu lays the interface out right to left', dir === 'rtl', dir);
      check('the map is never mirrored', (await page.getAttribute('#map', 'dir')) === 'ltr');
      const panelBox = await page.locator('.panel').boundingBox();
      check('in Urdu the panel sits on the right', panelBox.x > 600, `x=${panelBox.x}`);
      const province = await page.textContent('#f-area option[value=PK2]');
      check('province names are in Urdu', province.includes('بلوچستان'), province);
    } else {
      check('Chinese is left to right with lang zh-Hans', dir === 'ltr' && (await page.getAttribute('html', 'lang')) === 'zh-Hans');
    }
    await page.fill('#f-from', '2019-12-31');
    const echo = await page.textContent('#f-from-echo');
    const want = new Intl.DateTimeFormat(lang === 'ur' ? 'ur-PK' : 'zh-CN', { dateStyle: 'medium', timeZone: 'UTC' })
      .format(new Date('2019-12-31T00:00:00Z'));
    check(`${lang}: a date field reads year-month-day and echoes the date in ${lang}`,
      echo === want && (await page.getAttribute('#f-from', 'placeholder')) === 'YYYY-MM-DD', echo);
    await page.fill('#f-from', '');
    check(`${lang}: labels are translated`, (await page.textContent('#tab-incidents')).trim() === messages[lang].viewIncidents &&
      (await page.textContent('#disputed')) === messages[lang].disputed, await page.textContent('#tab-incidents'));
    const fontOk = await page.evaluate((l) => document.fonts.check(`16px "${l === 'ur' ? 'Noto Nastaliq Urdu' : 'Noto Sans SC Corridor'}"`, l === 'ur' ? 'واقعات' : '事件'), lang);
    check(`${lang}: the bundled font is loaded`, fontOk);
    await page.waitForFunction(() => document.querySelectorAll('#timeline rect').length > 12);
    await shot(page, `incidents-${lang}`);
    check(`${lang}: no horizontal overflow (incidents)`, (await noHorizontalOverflow(page)).length === 0,
      (await noHorizontalOverflow(page)).join('; '));
    for (const view of ['risk', 'sites', 'report']) {
      await tab(page, view);
      if (view === 'risk') {
        await page.click('#ch-vulnerability');
        await page.waitForSelector('#top-areas li', { timeout: 120000 });
        await page.click('#layer-hotspots');
        await page.waitForSelector('.ramp-legend + .ramp-legend', { timeout: 120000 });
      }
      if (view === 'sites') await page.waitForSelector('.site-item', { timeout: 120000 });
      if (view === 'organisations') {
        await page.waitForSelector('#org-totals', { timeout: 60000 });
        await shot(page, `organisation-${lang}`);
      }
      await shot(page, `${view}-${lang}`);
      const over = await noHorizontalOverflow(page);
      check(`${lang}: no horizontal overflow (${view})`, over.length === 0, over.join('; '));
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await tab(page, 'incidents');
    await waitCount(page);
    const overPhone = await noHorizontalOverflow(page);
    check(`${lang}: no horizontal overflow at phone width`, overPhone.length === 0, overPhone.join('; '));
    await shot(page, `phone-incidents-${lang}`);
    await page.setViewportSize({ width: 1366, height: 768 });
  }
  // English views not shot above, and the phone view.
  await page.goto(`${origin}/?v=risk&ch=vulnerability-2&layers=hotspots`);
  await page.waitForSelector('#top-areas li', { timeout: 120000 });
  await shot(page, 'risk-vulnerability-en');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${origin}/`);
  await waitCount(page);
  check('en: no horizontal overflow at phone width', (await noHorizontalOverflow(page)).length === 0);
  await shot(page, 'phone-incidents-en');
  await page.setViewportSize({ width: 1366, height: 768 });

  // Briefing (issue 15 §4): with a province chosen, links to the server's briefing on it for
  // the filter's month; the HTML one answers, marked, in the page's language.
  await page.goto(`${origin}/?lang=ur&area=PK2&to=2013-06-30`);
  await page.waitForSelector('#briefing-html[href]', { timeout: 60000 });
  const briefingHref = await page.getAttribute('#briefing-html', 'href');
  const briefingGot = await page.evaluate(async (href) => {
    const r = await fetch(href);
    const body = await r.text();
    return { status: r.status, type: r.headers.get('content-type'), marking: /corridor-marking" content="([^"]+)"/.exec(body)?.[1] ?? '', rtl: body.includes('dir="rtl"') };
  }, briefingHref);
  check('a briefing on the chosen province and month, in the page language, from the filters',
    briefingHref.includes('period=2013-06') && briefingHref.includes('area=PK2') && briefingHref.includes('lang=ur') &&
      briefingGot.status === 200 && briefingGot.type.startsWith('text/html') && briefingGot.marking.startsWith('TLP:') && briefingGot.rtl,
    `${briefingHref}: ${JSON.stringify(briefingGot)}`);
  await page.fill('#briefing-period', '2013-13');
  check('a month that is not one disables the briefing links', (await page.getAttribute('#briefing-pdf', 'href')) === null &&
    (await page.getAttribute('#briefing-pdf', 'aria-disabled')) === 'true');
  await page.goto(`${origin}/?lang=en`);

  // Keyboard: tab order reaches the tabs and the focus is visible.
  await page.goto(`${origin}/`);
  await waitCount(page);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  const focus = await page.evaluate(() => {
    const el = document.activeElement;
    const cs = getComputedStyle(el);
    return { id: el.id || el.className, outline: cs.outlineStyle, width: cs.outlineWidth };
  });
  check('keyboard focus is visible', focus.outline !== 'none' && focus.width !== '0px', JSON.stringify(focus));

  // The map's aggregated cells and incidents: reached with Tab from the map, focus drawn on
  // the map, Enter opens their details.
  await page.goto(`${origin}/`);
  await waitCount(page);
  await page.waitForFunction(() => performance.getEntriesByName('corridor-map-drawn').length > 0);
  await page.focus('#map');
  await page.keyboard.press('Tab');
  const cell = await page.evaluate(() => {
    const el = document.activeElement;
    return { cls: el.getAttribute('class') ?? '', role: el.getAttribute('role'), label: el.getAttribute('aria-label'),
      stroke: el.getAttribute('stroke'), width: el.getAttribute('stroke-width'), outline: getComputedStyle(el).outlineStyle };
  });
  check('Tab from the map reaches an aggregated cell, named, with visible focus',
    cell.cls.includes('incident-cell') && cell.role === 'button' && /\d/.test(cell.label ?? '') &&
    cell.stroke === '#111827' && cell.width === '3', JSON.stringify(cell));
  await page.keyboard.press('Enter');
  await page.waitForSelector('#cell-details', { timeout: 10000 });
  const cellText = await page.textContent('#cell-details');
  const zoomFocused = await page.evaluate(() => document.activeElement?.id === 'cell-zoom');
  check('Enter on a cell opens its details (counts by category) and focuses "zoom in"',
    /\d/.test(cellText) && zoomFocused, cellText.slice(0, 120));
  await shot(page, 'keyboard-cell-en');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#cell-details', { state: 'detached', timeout: 10000 });
  check('Escape closes the cell details and the focus returns to the cell',
    await page.evaluate(() => (document.activeElement?.getAttribute('class') ?? '').includes('incident-cell')));
  await page.goto(`${origin}/?from=2019-01-01&map=33.6%2C71.5%2C9`);
  await page.waitForFunction(() => document.querySelector('.incident-point') !== null, null, { timeout: 60000 });
  await mapSettled(page);
  await page.focus('#map');
  let point = '';
  for (let k = 0; k < 200 && !point.includes('incident-point'); k++) {
    await page.keyboard.press('Tab');
    point = await page.evaluate(() => document.activeElement.getAttribute('class') ?? '');
  }
  await page.keyboard.press('Enter');
  await page.waitForSelector('#details dl', { timeout: 30000 });
  check('Tab reaches a single incident on the map and Enter opens it',
    point.includes('incident-point') && /TLP:/.test(await page.textContent('#details')), point);

  // Quetta at zoom 9 (issue 17 item 2): incidents on one position are one marker with their
  // count, which lists them all; district-precise events are rings, not pins.
  await page.goto(`${origin}/?map=30.19%2C67.01%2C9`);
  await page.waitForFunction(() => document.querySelector('.incident-cluster') !== null, null, { timeout: 60000 });
  await mapSettled(page);
  const markers = await page.evaluate(() => ({
    clusters: [...document.querySelectorAll('.incident-cluster')].map((e) => e.getAttribute('aria-label')),
    points: document.querySelectorAll('.incident-point').length,
    rings: document.querySelectorAll('.incident-cluster[stroke-dasharray], .incident-point[stroke-dasharray]').length,
    counts: [...document.querySelectorAll('.cluster-count')].map((e) => e.textContent),
  }));
  const clustered = markers.clusters.map((l) => Number((l.match(/^([\d,]+)/) ?? ['', '0'])[1].replace(/,/g, '')));
  check('co-located incidents are one marker each, with the count shown on it',
    clustered.length > 0 && clustered.every((n) => n > 1) && markers.counts.length === clustered.length,
    `${clustered.length} clusters holding ${clustered.reduce((a, n) => a + n, 0)}, ${markers.points} single, ${markers.rings} rings`);
  // Positions closer on screen than a marker are one marker too (same precision only): no
  // filled marker sits on another at this zoom.
  const centres = await page.evaluate(() => [...document.querySelectorAll('.incident-cluster, .incident-point')]
    .filter((e) => !e.hasAttribute('stroke-dasharray'))
    .map((e) => { const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }));
  let closest = Infinity;
  for (let i = 0; i < centres.length; i++) {
    for (let j = i + 1; j < centres.length; j++) {
      closest = Math.min(closest, Math.hypot(centres[i][0] - centres[j][0], centres[i][1] - centres[j][1]));
    }
  }
  check('no marker hides another: filled markers are at least 17 px apart, nearby positions merged with their count',
    centres.length > 1 && closest >= 17 && markers.clusters.some((l) => /nearby positions/.test(l)),
    `${centres.length} filled markers, the closest ${closest.toFixed(1)} px apart`);
  check('imprecise places are drawn as rings (district or province), with a legend for it',
    markers.rings > 0 && /district/.test(await page.textContent('#size-key')), await page.textContent('#size-key'));
  const biggest = clustered.indexOf(Math.max(...clustered));
  await page.locator('.incident-cluster').nth(biggest).focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#cluster-details', { timeout: 10000 });
  const listed = await page.$$eval('#cluster-details .cluster-item', (els) => els.length);
  check('a cluster lists its incidents (up to 100, then points to the table)',
    listed === Math.min(100, clustered[biggest]), `${listed} listed of ${clustered[biggest]}`);
  await shot(page, 'clusters-quetta-en');
  await page.click('#cluster-details .cluster-item');
  await page.waitForSelector('#details dl', { timeout: 30000 });
  check('an incident of a cluster opens from its list', /TLP:/.test(await page.textContent('#details')));

  // Spiderfy (issue 17 item 2): a marker of a few incidents on one exact point spreads them
  // out around it, each joined to it by a leg and each an incident of its own; Escape, a click
  // on the map and zooming gather them again. (Larger markers list theirs, as above.)
  await page.goto(`${origin}/?${FAN_VIEW}`);
  const fanMarkers = await fanClusters(page);
  const fanLabels = fanMarkers.map((m) => m.label);
  const fanCounts = fanLabels.map((l) => Number((l.match(/^([\d,]+)/) ?? ['', '0'])[1].replace(/,/g, '')));
  // The largest on one position (not merged from nearby ones): a spiral when more than 8.
  let fanPick = -1;
  fanLabels.forEach((l, k) => {
    if (!/nearby positions/.test(l) && (fanPick < 0 || fanCounts[k] > fanCounts[fanPick])) fanPick = k;
  });
  must('markers of a few incidents on one exact point are marked as expandable', fanPick >= 0,
    `${fanLabels.length} expandable: ${fanCounts.join(', ')}`);
  const fan = await openFan(page, fanPick);
  const fanIds = fan.fanned.map((f) => f.id);
  const first = await apiJson(page, `/api/v1/incidents/${encodeURIComponent(fanIds[0])}`);
  const [lat, lon] = [first.latitude, first.longitude];
  const around = await apiJson(page, `/api/v1/incidents?limit=1000&bbox=${[lon - 0.001, lat - 0.001, lon + 0.001, lat + 0.001]
    .map((x) => x.toFixed(5)).join(',')}`);
  const here = around.items.filter((i) => i.latitude !== null && i.latitude.toFixed(4) === lat.toFixed(4) &&
    i.longitude.toFixed(4) === lon.toFixed(4));
  check('a marker of a few incidents on one point spreads into as many markers as it counts and the API has there',
    fan.fanned.length === fanCounts[fanPick] && fan.fanned.length === here.length && fan.legs === fan.fanned.length &&
    here.every((i) => fanIds.includes(i.id)) && here.every((i) => ['exact', 'near'].includes(i.location_precision)),
    `${fan.fanned.length} fanned, ${fan.legs} legs, marker says ${fanCounts[fanPick]}, API ${here.length} at ${lat},${lon} ` +
    `(${[...new Set(here.map((i) => i.location_precision))].join('/')})`);
  const spacing = fanSpacing(fan);
  check('the fanned markers are all visible: on the map, none under another, clear of the marker they came from',
    fan.fanned.every((f) => f.top && f.inMap) && spacing.closest >= 25 && spacing.nearest >= 25 &&
    await page.getAttribute('.incident-cluster[aria-expanded="true"]', 'aria-expanded') === 'true',
    `closest pair ${spacing.closest.toFixed(1)} px, nearest to the centre ${spacing.nearest.toFixed(1)} px, ` +
    `${fan.fanned.filter((f) => !f.top).length} covered, ${fan.fanned.filter((f) => !f.inMap).length} outside`);
  check('from the keyboard the focus moves to the first fanned incident', fan.focused === fanIds[0], String(fan.focused));
  await page.keyboard.press('Enter');
  await page.waitForSelector('#details dl', { timeout: 30000 });
  await page.waitForFunction((id) => new URL(location.href).searchParams.get('incident') === id, fanIds[0], { timeout: 10000 })
    .catch(() => {});
  const fannedHeading = await page.textContent('#details-h');
  check('Enter on a fanned incident opens that incident\'s details',
    new URL(page.url()).searchParams.get('incident') === fanIds[0] && /TLP:/.test(await page.textContent('#details')) &&
    (!first.headline || fannedHeading === first.headline), `${fanIds[0]}: ${fannedHeading}`);
  await page.focus(`.incident-fanned[data-id="${fanIds[1]}"]`);
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('.incident-fanned, path.fan-leg'), null, { timeout: 10000 })
    .catch(() => {});
  check('Escape gathers them again and returns the focus to their marker',
    await page.evaluate(() => !document.querySelector('.incident-fanned, path.fan-leg') &&
      document.activeElement?.classList.contains('incident-cluster') &&
      document.activeElement.getAttribute('aria-expanded') === 'false'));
  // With the mouse, on a fresh map (the opened incident's highlight would sit on the marker).
  await page.goto(`${origin}/?${FAN_VIEW}`);
  await fanClusters(page);
  const clickedOpen = (await openFan(page, fanPick, 'mouse')).fanned.length;
  const mapBox = await page.locator('#map').boundingBox();
  await page.mouse.click(mapBox.x + mapBox.width - 40, mapBox.y + mapBox.height / 2);
  await page.waitForFunction(() => !document.querySelector('.incident-fanned'), null, { timeout: 10000 }).catch(() => {});
  const afterMapClick = (await page.$$('.incident-fanned')).length;
  await openFan(page, fanPick);
  await page.click('.leaflet-control-zoom-in');
  await page.waitForFunction(() => !document.querySelector('.incident-fanned'), null, { timeout: 10000 }).catch(() => {});
  const afterZoom = (await page.$$('.incident-fanned, path.fan-leg')).length;
  check('a click spreads them too; a click on the map or zooming gathers them',
    clickedOpen === fanCounts[fanPick] && afterMapClick === 0 && afterZoom === 0,
    `${clickedOpen} on click, ${afterMapClick} after a map click, ${afterZoom} after zooming`);

  // The committee view (issue 15): the analyst of PK-NACTA has one notice, for its
  // organisation's overdue action; the overdue list is the API's; marking it read empties it.
  await page.goto(`${origin}/?v=committee`);
  await page.waitForSelector('#notices-unread', { timeout: 30000 });
  await page.waitForSelector('#actions-table, #actions-none', { timeout: 30000 });
  const noticeTitles = await page.$$eval('#notices li.notice .notice-title', (els) => els.map((e) => e.textContent));
  check('the committee view shows one unread notice, for the organisation\'s overdue action',
    (await page.textContent('#notices-unread')) === '1' && noticeTitles.length === 1 && noticeTitles[0].includes('route survey'),
    `${await page.textContent('#notices-unread')} unread: ${noticeTitles.join(' | ')}`);
  const overdueApi = await apiJson(page, '/api/v1/actions?overdue=true');
  const overdueRows = await page.$$eval('#actions-table tbody tr', (rows) => rows.map((r) => r.className));
  check('the overdue actions listed are the API\'s, each flagged',
    overdueRows.length === overdueApi.count && overdueApi.count === 2 && overdueRows.every((c) => c === 'overdue'),
    `${overdueRows.length} rows, API ${overdueApi.count}`);
  await page.selectOption('#actions-org', 'CN-MPS');
  await page.waitForFunction(() => document.querySelectorAll('#actions-table tbody tr').length === 1);
  check('the overdue view per organisation lists only that organisation\'s',
    (await page.textContent('#actions-table tbody tr')).includes('liaison officers'));
  await page.uncheck('#actions-overdue');
  await page.selectOption('#actions-org', 'PK-NACTA');
  // (CN-MPS also has two actions without "overdue only": wait for PK-NACTA's own.)
  await page.waitForFunction(() => document.querySelector('#actions-table')?.textContent.includes('joint exercise'),
    null, { timeout: 30000 }).catch(() => {});
  const pkRows = await page.$$eval('#actions-table tbody tr td:nth-child(2)', (tds) => tds.map((td) => td.textContent));
  check('without "overdue only" the organisation\'s actions due later are listed too',
    (await page.textContent('#actions-table')).includes('joint exercise') && pkRows.length === 2 &&
    pkRows.every((o) => o === 'PK-NACTA'), pkRows.join(', '));
  await page.click('details.committee summary');
  await page.waitForSelector('details.committee ul.decisions li', { timeout: 30000 });
  const committeeText = await page.textContent('details.committee');
  check('a committee opens to its meetings and decisions, districts by name',
    committeeText.includes('Convoy security on the Karakoram Highway') && committeeText.includes('Escort every convoy') &&
    committeeText.includes('Kohistan Upper'), committeeText.slice(0, 300));
  // Teams and exercises: listed as the API has them, drawn on the map with a legend.
  await page.waitForSelector('#teams li, #teams-none', { timeout: 30000 });
  await page.waitForSelector('#committee-legend', { timeout: 30000 });
  const teamsApi = await apiJson(page, `/api/v1/teams?on=${new Date().toISOString().slice(0, 10)}`);
  const teamText = await page.textContent('#teams');
  check('the joint team active today is listed with its districts by name, and its area is on the map',
    teamsApi.count === 1 && (await page.$$('#teams li[data-team]')).length === 1 &&
    teamText.includes('Karakoram Highway escort cell') && teamText.includes('Kohistan Upper') &&
    (await page.$$('path.team-area')).length === 1, teamText.slice(0, 300));
  check('incidents give way to the committee\'s geography on this view',
    (await page.$$('.incident-point, .incident-cluster, .incident-cell')).length === 0);
  await page.click('details.exercise summary');
  await page.waitForSelector('details.exercise ol.lessons li', { timeout: 30000 });
  const exerciseText = await page.textContent('details.exercise');
  const lessonAction = await page.getAttribute('details.exercise ol.lessons li', 'data-action');
  const cnActions = await apiJson(page, '/api/v1/actions?org=CN-MPS');
  check('an exercise opens to its findings and its lesson, which is CN-MPS\'s action',
    exerciseText.includes('40 minutes') && exerciseText.includes('spare radios') &&
    cnActions.items.some((a) => a.id === lessonAction), exerciseText.slice(0, 300));
  await page.waitForSelector('#judicial li, #judicial-none', { timeout: 30000 });
  const judicialApi = await apiJson(page, '/api/v1/judicial');
  const judicialText = await page.textContent('#judicial');
  const nacta41 = judicialApi.items.find((j) => j.reference === 'NACTA/2026/41');
  check('the judicial requests are listed with their reminders, as the API has them',
    judicialApi.count === 2 && nacta41?.reminders[0]?.kind === 'past-deadline' &&
    judicialText.includes('NACTA/2026/41') && judicialText.includes('CN-MPS/2026/88') &&
    judicialText.includes('1 day past the deadline'), judicialText.slice(0, 300));
  // The request opens to its checklist: the political-offence ground is blocked for a
  // bombing (Terrorist Bombings Convention art. 11), the others wait for an answer.
  const nacta41Box = `#judicial li[data-request="${nacta41?.id}"]`;
  await page.click(`${nacta41Box} details.judicial-request summary`);
  await page.waitForSelector(`${nacta41Box} table.checklist tbody tr`, { timeout: 30000 });
  const detailApi = await apiJson(page, `/api/v1/judicial/${nacta41?.id}`);
  const groundRows = await page.$$eval(`${nacta41Box} table.checklist tbody tr`,
    (rows) => rows.map((r) => [r.getAttribute('data-ground'), r.className]));
  const blockedRow = groundRows.find(([g]) => g === 'political-offence');
  check('a judicial request opens to its refusal-ground checklist, the political offence blocked for a bombing',
    groundRows.length === detailApi.checklist.length && blockedRow?.[1] === 'blocked' &&
    groundRows.filter(([, c]) => c === 'open').length === detailApi.checklist.filter((g) => !g.blocked && !g.answer).length &&
    (await page.textContent(`${nacta41Box} table.checklist`)).includes('art. 11') &&
    (await page.$$(`${nacta41Box} form.ground-answer, ${nacta41Box} form.judicial-decision`)).length === 0,
    JSON.stringify(groundRows));
  // What residents raise (issue 14 §3): the release's counts for Kohistan Upper, as the API has
  // them, hidden ones shown as hidden (never a number), beside the reader's incidents.
  await page.waitForSelector('#perception details.perception[data-district="PK516"] tbody tr', { timeout: 30000 });
  const perceptionApi = await apiJson(page, '/api/v1/public-perception');
  const kohistan = perceptionApi.districts.find((d) => d.district === 'PK516');
  const shown = (v) => (typeof v === 'number' ? String(v) : v.reason === 'small' ? '<10' : '—');
  const perceptionRows = await page.$$eval('#perception details[data-district="PK516"] tbody tr', (rows) => rows.map((r) => [
    r.getAttribute('data-month'), ...[...r.querySelectorAll('td.num')].map((td) => td.textContent),
    [...r.querySelectorAll('span.topic')].map((x) => `${x.getAttribute('data-topic')}=${x.lastElementChild.textContent}`)]));
  const wantRows = perceptionApi.months.map((m, k) => k).filter((k) => kohistan.incidents[k] !== 0 ||
    kohistan.grievances[k] !== 0 || kohistan.consultations[k] !== 0).reverse().map((k) => [perceptionApi.months[k],
    String(kohistan.incidents[k]), shown(kohistan.grievances[k]), shown(kohistan.consultations[k]),
    kohistan.topics.filter((x) => x.months[k] !== 0).map((x) => `${x.topic}=${shown(x.months[k])}`)]);
  check('the public perception view shows the release\'s counts for Kohistan Upper as the API has them',
    JSON.stringify(perceptionRows) === JSON.stringify(wantRows) && perceptionApi.release.suppressed > 0 &&
    kohistan.grievances.at(-1) === 55 && (await page.textContent('#perception summary')).includes('Kohistan Upper'),
    `${JSON.stringify(perceptionRows)} vs ${JSON.stringify(wantRows)}`);
  const hiddenCells = await page.$$eval('#perception .suppressed', (els) => els.map((x) => x.textContent));
  check('small and protecting counts stay hidden in the perception view',
    hiddenCells.length > 0 && hiddenCells.every((x) => x === '<10' || x === '—'), hiddenCells.join(' '));
  await page.$eval('#perception', (e) => e.scrollIntoView());
  await shot(page, 'perception-en');
  await shot(page, 'committee-en');
  // An action opens to its progress; an analyst reads it and is offered no form.
  await page.click(`#actions-table button.action-open[data-action="${committee.late}"]`);
  await page.waitForSelector(`#action-${committee.late} h4`, { timeout: 30000 });
  check('an analyst opens an action to its progress, without a form to change it',
    (await page.$(`#action-${committee.late} .action-no-notes`)) !== null &&
    (await page.$(`#action-${committee.late} form.action-update`)) === null);
  await page.click('#notices button.mark-read');
  await page.waitForFunction(() => document.querySelector('#notices-unread')?.textContent === '0');
  const afterRead = await apiJson(page, '/api/v1/notices?unread=true');
  check('marking the notice read clears it for this account', afterRead.count === 0 &&
    (await page.textContent('#committee-status')).length > 0, JSON.stringify(afterRead).slice(0, 200));
  check('the committee view is in the URL', new URL(page.url()).searchParams.get('v') === 'committee', page.url());

  // The committee's secretary reports progress on the organisation's overdue action: the
  // status moves, the note is listed under the action, and the API has both.
  {
    const c5 = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const p5 = await c5.newPage();
    onlyLocal(p5, origin, offenders);
    await p5.goto(`${origin}/?v=committee`);
    await signIn(p5, committee.secretary);
    await p5.waitForSelector(`#actions-table button.action-open[data-action="${committee.late}"]`, { timeout: 30000 });
    check('a committee secretary is not offered the review of linked records', (await p5.$('#tab-links')) === null &&
      (await p5.$('#tab-committee')) !== null);
    await p5.click(`#actions-table button.action-open[data-action="${committee.late}"]`);
    await p5.waitForSelector(`#action-${committee.late} form.action-update`, { timeout: 30000 });
    await p5.selectOption(`#action-status-${committee.late}`, 'in_progress');
    await p5.fill(`#action-note-${committee.late}`, 'Survey of the Dasu to Thakot stretch is half done.');
    await p5.click(`#action-${committee.late} form.action-update button[type=submit]`);
    await p5.waitForSelector(`#action-${committee.late} ol.action-notes li`, { timeout: 30000 });
    const shown = await p5.textContent(`#action-${committee.late} ol.action-notes`);
    const api = await apiJson(p5, `/api/v1/actions/${committee.late}`);
    check('the secretary reports progress in the browser: the status moves and the note is listed',
      api.status === 'in_progress' && api.notes.length === 1 && api.notes[0].text.includes('half done') &&
      api.notes[0].org === 'PK-NACTA' && shown.includes('half done') && shown.includes('secretary'),
      `${api.status}; ${shown.slice(0, 200)}`);
    await shot(p5, 'committee-progress-en');
    // The request CN-MPS sent: PK-NACTA's secretary answers every open ground, then decides.
    const box = `#judicial li[data-request="${committee.incoming}"]`;
    await p5.click(`${box} details.judicial-request summary`);
    await p5.waitForSelector(`${box} form.ground-answer`, { timeout: 30000 });
    const toAnswer = (await p5.$$(`${box} form.ground-answer`)).length;
    for (let left = toAnswer; left > 0; left -= 1) {
      const form = `${box} form.ground-answer`;
      await p5.selectOption(`${form} select`, 'false');
      await p5.fill(`${form} input`, 'Not the case for this request.');
      await p5.click(`${form} button[type=submit]`);
      await p5.waitForFunction(([sel, n]) => document.querySelectorAll(sel).length === n,
        [form, left - 1], { timeout: 30000 });
    }
    await p5.selectOption(`${box} form.judicial-decision select[id$="-outcome"]`, 'executed');
    await p5.fill(`${box} form.judicial-decision input`, 'Records handed over.');
    await p5.click(`${box} form.judicial-decision button[type=submit]`);
    await p5.waitForSelector(`${box} details[data-state="executed"]`, { timeout: 30000 });
    const decided = await apiJson(p5, `/api/v1/judicial/${committee.incoming}`);
    const last = decided.history[decided.history.length - 1];
    check('the requested state answers the checklist and decides in the browser, as the API then has it',
      toAnswer > 0 && decided.state === 'executed' && decided.checklist.every((g) => g.blocked || g.answer) &&
      last?.to === 'executed' && last?.by === 'secretary' &&
      (await p5.$$(`${box} form.ground-answer, ${box} form.judicial-decision`)).length === 0,
      `${toAnswer} forms; ${decided.state}; ${JSON.stringify(last)}`);
    await shot(p5, 'committee-judicial-decided-en');
    await c5.close();
  }

  // Armed organisations (issue 17 item 12): found by an Urdu name, a page whose totals are the
  // API's, its districts drawn on the map, and never a state or a group in the ranking.
  await page.goto(`${origin}/?v=organisations`);
  await page.waitForSelector('#org-list .org-item', { timeout: 60000 });
  const ranked = await page.$$eval('#org-list .org-item', (els) => els.map((e) => e.getAttribute('data-id')));
  const orgApi = await apiJson(page, '/api/v1/armed-organisations');
  check('the organisations screen ranks what the API ranks, TTP first',
    ranked.join(',') === orgApi.items.map((i) => i.id).join(',') && ranked[0] === 'ttp', ranked.slice(0, 4).join(','));
  check('no state or group is ranked as an organisation',
    !ranked.some((id) => /government|mohajir|pashtun|civilians/.test(id)), ranked.join(','));
  await page.fill('#org-search', 'بلوچ لبریشن');
  await page.waitForFunction(() => document.querySelector('#org-list .org-item')?.getAttribute('data-id') === 'bla' &&
    document.querySelectorAll('#org-list .org-item').length === 1, null, { timeout: 30000 });
  await page.click('#org-list .org-item[data-id="bla"]');
  await page.waitForSelector('#org-totals', { timeout: 60000 });
  const blaApi = await apiJson(page, '/api/v1/armed-organisations/bla');
  check('an organisation\'s page shows the API\'s totals',
    Number(await page.getAttribute('#org-totals', 'data-incidents')) === blaApi.totals.incidents &&
    (await page.$$eval('#org-years rect', (els) => els.length)) === blaApi.by_year.length,
    `${await page.getAttribute('#org-totals', 'data-incidents')} vs ${blaApi.totals.incidents}`);
  check('the page\'s URL reopens it', new URL(page.url()).searchParams.get('org') === 'bla', page.url());
  await shot(page, 'organisation-en');
  // Its incidents on the map: the incidents view filtered to it, said and removable.
  await page.click('#org-incidents');
  await page.waitForSelector('#org-filter', { timeout: 30000 });
  const blaCount = (await apiJson(page, '/api/v1/stats?by=dataset&organisation=bla')).reduce((n, r) => n + r.count, 0);
  await page.waitForFunction((n) => /\d/.test(document.querySelector('#count')?.textContent ?? '') &&
    Number((document.querySelector('#count')?.textContent ?? '').replace(/[^0-9]/g, '')) === n, blaCount, { timeout: 60000 });
  // The name replaces the id when the ranking arrives (fetched once per page load).
  await page.waitForFunction(() => /Baloch Liberation Army/.test(document.querySelector('#org-filter')?.textContent ?? ''),
    null, { timeout: 30000 }).catch(() => {});
  check('an organisation\'s incidents open on the map, the filter named',
    /Baloch Liberation Army/.test(await page.textContent('#org-filter')) && blaCount === blaApi.totals.incidents,
    `${await page.textContent('#org-filter')}; ${blaCount} incidents`);
  await page.click('#org-filter-remove');
  await page.waitForFunction(() => !document.querySelector('#org-filter'), null, { timeout: 30000 });
  await page.goto(`${origin}/?v=organisations`);
  await page.waitForSelector('#org-list .org-item', { timeout: 30000 });

  const linked = await linkTests(context, origin, offenders, messages);

  await accessibilityChecks(browser, origin, await context.cookies(), await page.evaluate(() => localStorage.getItem('corridor.csrf')),
    { x: fanMarkers[fanPick].x, y: fanMarkers[fanPick].y, count: fanCounts[fanPick] }, linked);

  // Session expiry: the server forgets the session; the next request returns to sign-in with a message.
  await context.clearCookies();
  await page.click('#tab-sites');
  await page.waitForSelector('#username', { timeout: 30000 });
  check('an expired session returns to sign-in with a message',
    (await page.textContent('#signin-status')) === messages.en.sessionExpired, await page.textContent('#signin-status'));

  check('no request left the machine', offenders.length === 0, offenders.slice(0, 5).join(' '));
  check('no script errors in the page', errors.length === 0, errors.slice(0, 3).join(' | '));
  await context.close();
}

// WCAG 2.1 A and AA rules of axe-core (contrast among them) on the main views in all three
// languages. axe is added as a script tag from the local file; the application's CSP allows
// only its own scripts, so these pages run in a context that bypasses CSP (the functional
// tests above keep it), signed in with the functional tests' session.
// `fan`: where on the map the expandable marker of FAN_VIEW to spread out is (as found in
// English), and its count.
async function accessibilityChecks(browser, origin, cookies, csrf, fan, linked) {
  const report = {};
  const signedOut = await browser.newContext({ viewport: { width: 1366, height: 768 }, bypassCSP: true });
  const so = await signedOut.newPage();
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, bypassCSP: true });
  await ctx.addCookies(cookies);
  await ctx.addInitScript((t) => localStorage.setItem('corridor.csrf', t), csrf);
  const page = await ctx.newPage();
  for (const lang of ['en', 'ur', 'zh']) {
    await so.goto(`${origin}/?lang=${lang}`);
    await so.waitForSelector('#username');
    const views = { signin: await runAxe(so) };
    for (const [view, query] of [['incidents', ''], ['spiderfy', `&${FAN_VIEW}`], ['risk', '&v=risk&ch=impact-1'], ['sites', '&v=sites'], ['organisations', '&v=organisations&org=ttp'], ['route', '&v=route'], ['report', '&v=report'], ['committee', '&v=committee'], ['places', ''], ['table', '&table=1&sort=deaths_desc'], ['forecast', '&v=risk&layers=forecast&pts=0'],
      ['links', '&v=links&ls=all'], ['counted-in', `&incident=${linked.manual}`], ['also-reported', `&incident=${linked.kept}`]]) {
      await page.goto(`${origin}/?lang=${lang}${query}`);
      if (view === 'incidents') {
        await waitCount(page);
        await page.waitForFunction(() => document.querySelectorAll('#timeline rect').length > 12);
      }
      if (view === 'spiderfy') {
        // The same marker spread out in each language (the map is never mirrored, Urdu included):
        // every fanned incident drawn and on top, named in the language.
        const centres = await fanClusters(page);
        const pick = centres.reduce((best, c, k) =>
          (Math.hypot(c.x - fan.x, c.y - fan.y) < Math.hypot(centres[best].x - fan.x, centres[best].y - fan.y) ? k : best), 0);
        const f = await openFan(page, pick, 'mouse');
        const script = { en: /[A-Za-z]/, ur: /[\u0600-\u06FF]/, zh: /[\u4E00-\u9FFF]/ }[lang];
        check(`${lang}: a spread-out marker's incidents are drawn, on top, with their legs, named in the language`,
          f.fanned.length === fan.count && f.legs === fan.count && f.fanned.every((x) => x.top && x.inMap) &&
          f.fanned.every((x) => script.test(x.label)), `${f.fanned.length} of ${fan.count}: ${f.fanned[0]?.label}`);
        await shot(page, `spiderfy-${lang}`);
      }
      if (view === 'risk') await page.waitForSelector('#top-areas li', { timeout: 120000 });
      if (view === 'forecast') {
        await page.waitForSelector('#calibration svg circle', { timeout: 600000 });
        await page.$eval('#calibration', (e) => e.scrollIntoView());
        await shot(page, `forecast-${lang}`);
      }
      if (view === 'sites') await page.waitForSelector('.site-item', { timeout: 120000 });
      if (view === 'organisations') {
        await page.waitForSelector('#org-totals', { timeout: 60000 });
        await shot(page, `organisation-${lang}`);
      }
      if (view === 'route') await page.waitForSelector('#route-form', { timeout: 30000 });
      if (view === 'committee') {
        await page.waitForSelector('#notices-unread', { timeout: 30000 });
        await page.waitForSelector('#actions-table, #actions-none', { timeout: 30000 });
        await page.waitForSelector('#judicial li, #judicial-none', { timeout: 30000 });
        await page.waitForSelector('#teams li, #teams-none', { timeout: 30000 });
        await page.click('details.exercise summary');
        await page.waitForSelector('details.exercise ol.lessons li', { timeout: 30000 });
        await page.click('#judicial details.judicial-request summary');
        await page.waitForSelector('#judicial table.checklist tbody tr', { timeout: 30000 });
        await shot(page, `committee-${lang}`);
      }
      if (view === 'places') {
        await waitCount(page);
        await page.fill('#place-search', { en: 'Gwadar', ur: 'گوادر', zh: '瓜达尔' }[lang]);
        await page.waitForSelector('#place-results button.place-result', { timeout: 30000 });
      }
      if (view === 'report') await page.waitForSelector('#pending p, #pending .request', { timeout: 30000 });
      if (view === 'links') await page.waitForSelector('#links-list li.link-row', { timeout: 30000 });
      if (view === 'counted-in') await page.waitForSelector('#counted-in', { timeout: 30000 });
      if (view === 'also-reported') await page.waitForSelector('#also-list li', { timeout: 30000 });
      if (view === 'table') {
        await page.waitForSelector('#incidents-table tbody tr', { timeout: 30000 });
        await shot(page, `incident-table-${lang}`);
      }
      views[view] = await runAxe(page);
    }
    for (const [view, r] of Object.entries(views)) {
      const contrast = r.violations.filter((v) => v.id.startsWith('color-contrast'));
      check(`${lang}: WCAG 2.1 AA contrast (axe) on ${view}`, contrast.length === 0 && r.contrastChecked > 10,
        `${r.contrastChecked} elements pass${contrast.length ? '; ' + describe(contrast) : ''}`);
      const other = r.violations.filter((v) => !v.id.startsWith('color-contrast'));
      check(`${lang}: no other WCAG 2.1 A/AA violations (axe) on ${view}`, other.length === 0 && r.rules > 10,
        `${r.rules} rules applied${other.length ? '; ' + describe(other) : ''}`);
      // What axe could not decide (e.g. text over the map canvas) is listed for review, not failed.
      if (r.incomplete.length) console.log(`     ${lang} ${view}: axe needs review: ${describe(r.incomplete)}`);
    }
    report[lang] = views;
  }
  fs.writeFileSync(path.join(SHOTS, 'axe.json'), JSON.stringify(report, null, 2) + '\n');
  await signedOut.close();
  await ctx.close();
}

async function budgetTests(browser, origin, users) {
  const budgets = {};
  // First view, cold cache: sign-in page, sign-in, the map of all incidents.
  const c1 = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const p1 = await c1.newPage();
  const offenders = [];
  onlyLocal(p1, origin, offenders);
  const cdp = await c1.newCDPSession(p1);
  await cdp.send('Network.enable');
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  await p1.goto(origin + '/');
  await signIn(p1, users.bench1);
  const count = await waitCount(p1);
  await p1.waitForFunction(() => performance.getEntriesByName('corridor-map-drawn').length > 0, null, { timeout: 60000 });
  await p1.waitForLoadState('networkidle');
  budgets.incidents_loaded = count;
  budgets.first_view_bytes = bytes;
  check(`${count} incidents loaded for the budgets`, count >= SCALED_ROWS * 0.9, String(count));
  check('first view transfers under 5 MB', bytes < BUDGET_FIRST_VIEW_BYTES, `${(bytes / 1048576).toFixed(2)} MB`);

  // First meaningful render of a signed-in user opening the application (cold cache).
  const c2 = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const login = await c2.request.post(origin + '/api/v1/auth/login', {
    data: { username: users.bench2.name, password: users.bench2.password, totp: totp(users.bench2.secret) },
  });
  must('the budget user signs in', login.ok(), String(login.status()));
  const csrf = (await login.json()).csrf_token;
  await c2.addInitScript((t) => localStorage.setItem('corridor.csrf', t), csrf);
  const p2 = await c2.newPage();
  onlyLocal(p2, origin, offenders);
  await p2.goto(origin + '/');
  await p2.waitForFunction(() => performance.getEntriesByName('corridor-map-drawn').length > 0, null, { timeout: 60000 });
  const fmr = await p2.evaluate(() => performance.getEntriesByName('corridor-map-drawn')[0].startTime);
  budgets.first_meaningful_render_ms = Math.round(fmr);
  // The waterfall behind it, for whoever has to make it faster.
  budgets.first_render_waterfall = await p2.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => e.startTime < performance.getEntriesByName('corridor-map-drawn')[0].startTime)
    .map((e) => ({ url: e.name.replace(location.origin, ''), start: Math.round(e.startTime),
                   end: Math.round(e.responseEnd), bytes: e.encodedBodySize })));
  budgets.first_render_marks = await p2.evaluate(() => performance.getEntriesByType('mark')
    .map((m) => ({ name: m.name, at: Math.round(m.startTime) })));
  timed('first meaningful render under 2 s with the incidents loaded', fmr < BUDGET_FIRST_RENDER_MS, `${Math.round(fmr)} ms`);

  // Panning: long tasks on the main thread and the time to redraw after each pan.
  await p2.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longTasks.push(e.duration); })
      .observe({ type: 'longtask', buffered: false });
  });
  const redraws = [];
  const box = await p2.locator('#map').boundingBox();
  for (const [dx, dy] of [[300, 0], [0, 200], [-400, -100], [200, 150], [-100, -250], [150, 0]]) {
    const before = await p2.evaluate(() => performance.getEntriesByName('corridor-map-drawn').length);
    const t0 = Date.now();
    await p2.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await p2.mouse.down();
    await p2.mouse.move(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy, { steps: 12 });
    await p2.mouse.up();
    await p2.waitForFunction((n) => performance.getEntriesByName('corridor-map-drawn').length > n, before, { timeout: 30000 });
    redraws.push(Date.now() - t0);
  }
  // Closer in (district zoom): pans that leave the fetched area ask the server again.
  await p2.evaluate(() => { window.__zoomed = performance.getEntriesByName('corridor-map-drawn').length; });
  await p2.goto(`${origin}/?map=33.6%2C71.5%2C8`);
  await p2.waitForFunction(() => performance.getEntriesByName('corridor-map-drawn').length > 0, null, { timeout: 60000 });
  await p2.evaluate(() => {
    window.__longTasks = window.__longTasks ?? [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longTasks.push(e.duration); })
      .observe({ type: 'longtask', buffered: false });
  });
  const zoomedRedraws = [];
  for (const [dx, dy] of [[500, 0], [0, 350], [-500, -200]]) {
    const before = await p2.evaluate(() => performance.getEntriesByName('corridor-map-drawn').length);
    const t0 = Date.now();
    await p2.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await p2.mouse.down();
    await p2.mouse.move(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy, { steps: 12 });
    await p2.mouse.up();
    await p2.waitForFunction((n) => performance.getEntriesByName('corridor-map-drawn').length > n, before, { timeout: 60000 });
    zoomedRedraws.push(Date.now() - t0);
  }
  budgets.pan_redraw_zoomed_ms = zoomedRedraws;
  const longTasks = await p2.evaluate(() => window.__longTasks);
  budgets.pan_redraw_ms = redraws;
  budgets.pan_long_tasks_ms = longTasks.map(Math.round);
  const longest = Math.max(0, ...longTasks);
  timed('panning without stalls (no main-thread task over 200 ms)', longest < BUDGET_LONGEST_TASK_MS,
    `${longTasks.length} long tasks, longest ${Math.round(longest)} ms; redraw after pan ${redraws.join(', ')} ms ` +
    `(country zoom), ${zoomedRedraws.join(', ')} ms (district zoom)`);
  await shot(p2, 'budget-100k-en');
  check('no request left the machine (budget runs)', offenders.length === 0, offenders.slice(0, 5).join(' '));
  fs.writeFileSync(path.join(SHOTS, 'budgets.json'), JSON.stringify(budgets, null, 2) + '\n');
  console.log('budgets:', JSON.stringify(budgets));
  await c1.close();
  await c2.close();
}

async function main() {
  fs.mkdirSync(WORK, { recursive: true });
  fs.mkdirSync(SHOTS, { recursive: true });
  const messages = Object.fromEntries(['en', 'zh', 'ur'].map((l) =>
    [l, JSON.parse(fs.readFileSync(path.join(SOURCE, `web/src/i18n/${l}.json`), 'utf8'))]));

  // CORRIDOR_WEB_TEST_KEEP=1 reuses the stores of the previous run (for working on the tests).
  const prepared = (name, build) => {
    const ready = path.join(WORK, name, 'ready.json');
    if (process.env.CORRIDOR_WEB_TEST_KEEP === '1' && fs.existsSync(ready)) return JSON.parse(fs.readFileSync(ready, 'utf8'));
    const t = Date.now();
    const made = build();
    console.log(`store ${name}: ${Date.now() - t} ms`);
    fs.writeFileSync(ready, JSON.stringify(made));
    return made;
  };
  const real = prepared('real', () => {
    const db = makeStore('real', path.join(DATA, 'ucdp-ged-pakistan/pakistan.csv'),
      path.join(DATA, 'osm-islamabad/islamabad.osm.pbf'));
    const users = { analyst: addUser(db, 'ayesha', ['analyst', 'site-security']), approver: addUser(db, 'li-wei', ['analyst']),
      admin: addUser(db, 'admin-ali', ['admin']), guard: addUser(db, 'guard', ['analyst', 'site-security']) };
    return { db, users, committee: committeeData(db) };
  });
  const scaled = prepared('scaled', () => {
    const csv = path.join(WORK, `ucdp-scaled-${SCALED_ROWS}.csv`);
    execFileSync('python3', [path.join(SOURCE, 'tools/scale_ucdp.py'), path.join(DATA, 'ucdp-ged-pakistan/pakistan.csv'),
      csv, String(SCALED_ROWS)]);
    const db = makeStore('scaled', csv);
    fs.rmSync(csv);
    return { db, users: { bench1: addUser(db, 'bench-one', ['analyst']), bench2: addUser(db, 'bench-two', ['analyst']) } };
  });
  const realDb = real.db;
  const users = real.users;
  const bigDb = scaled.db;
  const benchUsers = scaled.users;

  const realServer = await serve(realDb);
  const big = await serve(bigDb);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    await functionalTests(browser, realServer.origin, users, messages, real.committee);
    await budgetTests(browser, big.origin, benchUsers);
  } catch (e) {
    failures++;
    console.error('FAIL', e);
  } finally {
    await browser.close();
    realServer.proc.kill('SIGTERM');
    big.proc.kill('SIGTERM');
  }
  fs.writeFileSync(path.join(SHOTS, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  console.log(`${results.length - failures} passed, ${failures} failed; screenshots in ${SHOTS}`);
  process.exit(failures ? 1 : 0);
}

await main();

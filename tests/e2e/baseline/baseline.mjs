// The plain-JavaScript competitor for `cargo xtask bench`: the same feed as the widget, written the way a
// careful front-end developer would without a framework. It signs in with a gc-sim test token, reads the
// directory once (names), opens a notification channel on the same topics the widget watches, JSON.parses
// every frame, applies wrapup-core's outcome rules (tracker.rs `assess`, exactly once per agent leg), keeps
// up to 100,000 rows ordered by end time, and renders the rows in view (the widget's markup, fixed-height
// rows, overscan 6) plus the per-outcome counts once per animation frame.
// Not done here, and done by the widget: saving rows to IndexedDB, the per-minute chart, code chips,
// the raw-frame ring for "Download frames". The comparison favours this page.

const SIM = new URL(location.href).searchParams.get('sim') ?? 'http://127.0.0.1:8787';
const MAX_ROWS = 100_000;
const ROW_HEIGHT = 36;
const OVERSCAN = 6;
const COMMS = ['calls', 'callbacks', 'chats', 'emails', 'messages', 'cobrowsesessions', 'screenshares',
  'socialExpressions', 'videos'];
const MEDIA = { calls: 'Voice', callbacks: 'Callback', chats: 'Chat', emails: 'Email', messages: 'Message',
  videos: 'Video', cobrowsesessions: 'Co-browse', screenshares: 'Screen share', socialExpressions: 'Other' };
const BADGE = {
  submitted: ['badge badge-submitted', 'Submitted'], timed_out: ['badge badge-timed-out', 'Timed out'],
  skipped: ['badge badge-skipped', 'Skipped'], not_required: ['badge badge-not-required', 'No wrap-up'],
};
const OUTCOME_INDEX = { submitted: 0, timed_out: 1, skipped: 2, not_required: 3 };

// ---- outcome rules (wrapup-core tracker.rs) ----
const ended = (s) => s === 'disconnected' || s === 'terminated';
const text = (s) => (typeof s === 'string' && s.trim() !== '' ? s : null);
function* comms(p) {
  for (const kind of COMMS) { const list = p[kind]; if (list) for (const c of list) yield [kind, c]; }
}
function legHasEnded(p) {
  if (p.endTime != null || ended(p.state)) return true;
  let any = false;
  for (const [, c] of comms(p)) { any = true; if (!ended(c.state)) return false; }
  return any;
}
function hasConnected(p) {
  if (p.connectedTime != null || p.state === 'connected') return true;
  for (const [, c] of comms(p)) if (c.connectedTime != null || c.state === 'connected') return true;
  return false;
}
function finalWrapup(p) {
  const candidates = [];
  if (p.wrapup && p.wrapup.provisional !== true) candidates.push(p.wrapup);
  for (const [, c] of comms(p)) if (c.wrapup && c.wrapup.provisional !== true) candidates.push(c.wrapup);
  return candidates.find((w) => text(w.code)) ?? candidates.find((w) => text(w.notes) || w.endTime != null) ?? null;
}
function notExpected(p) {
  if (p.wrapupRequired === false || p.wrapupExpected === false) return true;
  for (const [, c] of comms(p)) {
    if (c.afterCallWorkRequired === false || c.afterCallWork?.state === 'notApplicable') return true;
  }
  return false;
}
function codeOutcome(code) {
  const c = code.trim().toUpperCase();
  if (c === 'ININ-WRAP-UP-TIMEOUT') return 'timed_out';
  if (c === 'ININ-WRAP-UP-SKIPPED') return 'skipped';
  return 'submitted';
}
function decision(p, outcome, wrapup) {
  let acw = null;
  for (const [, c] of comms(p)) if (c.afterCallWork) { acw = c.afterCallWork; break; }
  const acwStart = p.startAcwTime ?? acw?.startTime;
  const acwEnd = p.endAcwTime ?? acw?.endTime;
  let duration = wrapup?.durationSeconds ?? null;
  if (duration == null && acwStart && acwEnd) {
    const s = Math.trunc((Date.parse(acwEnd) - Date.parse(acwStart)) / 1000);
    duration = s >= 0 ? s : null;
  }
  let endTime = wrapup?.endTime ?? acwEnd ?? null;
  if (endTime == null && outcome === 'not_required') {
    endTime = p.endTime ?? null;
    if (endTime == null) for (const [, c] of comms(p)) {
      if (c.disconnectedTime && (endTime == null || Date.parse(c.disconnectedTime) > Date.parse(endTime))) endTime = c.disconnectedTime;
    }
  }
  return { outcome, code: text(wrapup?.code), notes: text(wrapup?.notes), duration, endTime };
}
const ACTIVE = 0, WRAPPING = 1;
/** One agent participant of one snapshot: a decision, WRAPPING, ACTIVE, or {unanswered: decision}. */
function assess(p) {
  const over = legHasEnded(p);
  let live = false;
  if (!over) {
    live = (p.state != null && !ended(p.state));
    if (!live) for (const [, c] of comms(p)) if (c.state != null && !ended(c.state)) { live = true; break; }
  }
  let pending = false, complete = false, skipped = false;
  for (const [, c] of comms(p)) {
    const s = c.afterCallWork?.state;
    if (s === 'pending') pending = true; else if (s === 'complete') complete = true; else if (s === 'skipped') skipped = true;
  }
  const acwStarted = p.startAcwTime != null || pending || complete || skipped;
  const wrapup = finalWrapup(p);
  const code = text(wrapup?.code);
  if (code && (!live || acwStarted)) return decision(p, codeOutcome(code), wrapup);
  if (p.wrapupSkipped === true || skipped) return decision(p, 'skipped', wrapup);
  if ((p.startAcwTime != null && p.endAcwTime == null) || pending) return WRAPPING;
  if (p.endAcwTime != null || complete) return decision(p, 'submitted', wrapup);
  if (over) {
    if (notExpected(p)) return decision(p, 'not_required', null);
    if (!hasConnected(p)) return { unanswered: decision(p, 'not_required', null) };
    return WRAPPING;
  }
  return ACTIVE;
}

// ---- tracker: each agent leg decided once; finished conversations forgotten ----
const tracked = new Map(); // conversationId → Map(participantId → { wasConnected })
const decided = new Set(); // "conversationId/participantId"
const finished = new Set(); // conversation ids
function ingest(frame) {
  let msg;
  try { msg = JSON.parse(frame); } catch { return; }
  const topic = msg.topicName;
  if (typeof topic !== 'string' || !topic.endsWith('.conversations')) return;
  const conv = msg.eventBody;
  const id = text(conv?.id);
  if (!id || finished.has(id) || !Array.isArray(conv.participants)) return;
  let legs = tracked.get(id);
  if (!legs) { legs = new Map(); tracked.set(id, legs); }
  let allOver = true;
  for (const p of conv.participants) {
    const hasMedia = p.state != null || !comms(p).next().done;
    if (hasMedia && !legHasEnded(p)) allOver = false;
    if (p.purpose !== 'agent' && p.purpose !== 'user') continue;
    const pid = text(p.id);
    if (!pid) continue;
    const key = `${id}/${pid}`;
    if (decided.has(key)) continue;
    let leg = legs.get(pid);
    if (!leg) { leg = { wasConnected: false }; legs.set(pid, leg); }
    if (hasConnected(p)) leg.wasConnected = true;
    let a = assess(p);
    if (a.unanswered) a = leg.wasConnected ? WRAPPING : a.unanswered;
    if (a === ACTIVE || a === WRAPPING) continue;
    legs.delete(pid);
    decided.add(key);
    let media = null;
    for (const [kind] of comms(p)) { media = kind; break; }
    addRow({ key, conversationId: id, userId: p.userId ?? null, queueId: p.queueId ?? null, media, ...a,
      endMs: a.endTime ? Date.parse(a.endTime) : Date.now(), receivedMs: Date.now() });
  }
  if (legs.size === 0 && allOver) { tracked.delete(id); finished.add(id); }
}

// ---- the feed: rows oldest → newest by end time; shown newest first ----
const rows = [];
const totals = [0, 0, 0, 0];
let dirty = false;
function addRow(row) {
  let i = rows.length;
  if (i > 0 && rows[i - 1].endMs > row.endMs) { // out of order: binary search
    let lo = 0, hi = rows.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (rows[mid].endMs <= row.endMs) lo = mid + 1; else hi = mid; }
    i = lo;
  }
  rows.splice(i, 0, row);
  totals[OUTCOME_INDEX[row.outcome]]++;
  if (rows.length > MAX_ROWS) totals[OUTCOME_INDEX[rows.shift().outcome]]--;
  if (!dirty) { dirty = true; requestAnimationFrame(render); }
}

// ---- rendering: the rows in view, the widget's markup, once per frame ----
const names = { users: new Map(), queues: new Map(), codes: new Map() };
const scroll = document.querySelector('.feed-scroll');
const table = document.querySelector('.feed-table');
const tbody = table.querySelector('tbody');
const totalCells = [...document.querySelectorAll('.totals dd')];
const built = new Map(); // key → <tr> for rows in view
scroll.addEventListener('scroll', () => { if (!dirty) { dirty = true; requestAnimationFrame(render); } });

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  if (attrs) for (const [k, v] of Object.entries(attrs)) if (v != null) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}
function short(id) { return id.length > 8 ? `${id.slice(0, 8)}…` : id; }
function named(map, id, missing) {
  if (!id) return el('span', { class: 'unresolved' }, missing);
  const name = map.get(id);
  return name ? el('span', { title: id }, name) : el('span', { class: 'unresolved', title: id }, short(id));
}
function duration(s) {
  s = Math.max(0, s);
  const h = Math.trunc(s / 3600), m = Math.trunc((s % 3600) / 60), sec = s % 60;
  if (h === 0 && m === 0) return `${sec} s`;
  if (h === 0) return `${m} m ${String(sec).padStart(2, '0')} s`;
  return `${h} h ${String(m).padStart(2, '0')} m`;
}
function delay(ms) {
  ms = Math.max(0, ms);
  return ms < 10_000 ? `+${(ms / 1000).toFixed(1)} s` : `+${duration(Math.round(ms / 1000))}`;
}
function codeCell(row) {
  if (row.code) {
    if (row.code.toUpperCase().startsWith('ININ-')) return el('span', { class: 'code code-system', title: row.code }, row.code);
    const name = names.codes.get(row.code);
    return name ? el('span', { class: 'code', title: row.code }, name) : el('span', { class: 'code code-unresolved', title: row.code }, short(row.code));
  }
  const words = row.outcome === 'skipped' ? 'Agent skipped after-call work'
    : row.outcome === 'not_required' ? 'No after-call work on this leg' : '—';
  return el('span', { class: 'code code-none' }, words);
}
function rowElement(row, index) {
  const [badgeClass, badge] = BADGE[row.outcome];
  const when = new Date(row.endMs).toLocaleTimeString();
  return el('tr', { class: 'feed-row', 'data-index': index, 'data-outcome': row.outcome,
    'data-conversation': row.conversationId, 'aria-rowindex': index + 2, tabindex: '-1' },
  el('td', { class: 'col-time' }, el('time', { datetime: row.endTime ?? '' }, when)),
  el('td', { class: 'col-agent' }, named(names.users, row.userId, 'Unknown agent')),
  el('td', { class: 'col-queue' }, named(names.queues, row.queueId, 'No queue')),
  el('td', { class: 'col-media' }, MEDIA[row.media] ?? '—'),
  el('td', { class: 'col-outcome' }, el('span', { class: badgeClass }, badge)),
  el('td', { class: 'col-code' }, codeCell(row)),
  el('td', { class: 'col-notes', title: row.notes ?? '' }, row.notes ?? ''),
  el('td', { class: 'col-acw' }, row.duration != null ? duration(row.duration) : ''),
  el('td', { class: 'col-arrived' }, el('span', { title: "Time from the agent's Done to this row appearing" },
    delay(row.receivedMs - row.endMs))));
}
function spacer(count, cls) {
  return el('tr', { class: `feed-spacer ${cls}`, 'aria-hidden': 'true' }, el('td', { colspan: '9', height: String(count * ROW_HEIGHT) }));
}
function render() {
  dirty = false;
  const total = rows.length;
  const height = Math.max(ROW_HEIGHT, Math.min(scroll.clientHeight, innerHeight) - ROW_HEIGHT);
  const first = Math.floor(scroll.scrollTop / ROW_HEIGHT);
  const fits = Math.ceil(height / ROW_HEIGHT) + 1;
  const start = Math.min(Math.max(0, first - OVERSCAN), total);
  const end = Math.min(first + fits + OVERSCAN, total);
  const children = [];
  if (start > 0) children.push(spacer(start, 'feed-spacer-top'));
  const keep = new Set();
  for (let index = start; index < end; index++) {
    const row = rows[total - 1 - index];
    keep.add(row.key);
    let tr = built.get(row.key);
    if (!tr) { tr = rowElement(row, index); built.set(row.key, tr); } else if (tr.dataset.index !== String(index)) {
      tr.dataset.index = String(index);
      tr.setAttribute('aria-rowindex', String(index + 2));
    }
    children.push(tr);
  }
  for (const key of built.keys()) if (!keep.has(key)) built.delete(key);
  if (total > end) children.push(spacer(total - end, 'feed-spacer-bottom'));
  tbody.replaceChildren(...children);
  table.setAttribute('aria-rowcount', String(total + 1));
  totals.forEach((n, i) => { if (totalCells[i].textContent !== String(n)) totalCells[i].textContent = String(n); });
}

// ---- sign-in, directory, channel ----
async function api(token, path, init = {}) {
  const res = await fetch(`${SIM}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
  if (!res.ok) throw new Error(`${path} answered ${res.status}`);
  return res.json();
}
async function all(token, path) {
  const out = [];
  for (let page = 1; ; page++) {
    const body = await api(token, `${path}${path.includes('?') ? '&' : '?'}pageSize=100&pageNumber=${page}`);
    out.push(...body.entities);
    if (!body.pageCount || page >= body.pageCount) return out;
  }
}
async function start() {
  const status = document.getElementById('connection');
  const tokenRes = await fetch(`${SIM}/sim/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const token = (await tokenRes.json()).access_token;
  const me = await api(token, '/api/v2/users/me');
  const [users, queues, codes, mine] = await Promise.all([all(token, '/api/v2/users'), all(token, '/api/v2/routing/queues'),
    all(token, '/api/v2/routing/wrapupcodes'), all(token, `/api/v2/users/${me.id}/queues`)]);
  for (const u of users) names.users.set(u.id, u.name);
  for (const q of queues) names.queues.set(q.id, q.name);
  for (const c of codes) names.codes.set(c.id, c.name);
  const channel = await api(token, '/api/v2/notifications/channels', { method: 'POST' });
  const topics = [`v2.users.${me.id}.conversations`, ...mine.map((q) => `v2.routing.queues.${q.id}.conversations`)];
  await api(token, `/api/v2/notifications/channels/${channel.id}/subscriptions`, { method: 'PUT', body: JSON.stringify(topics.map((id) => ({ id }))) });
  const socket = new WebSocket(channel.connectUri);
  socket.onmessage = (event) => ingest(event.data);
  socket.onopen = () => { status.textContent = 'Live'; };
  socket.onclose = () => { status.textContent = 'Closed'; };
}
start().catch((e) => { document.getElementById('connection').textContent = `Failed: ${e.message}`; });

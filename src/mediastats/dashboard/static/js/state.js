// The page state lives in the URL (shareable links keep range, zone, filters, tab and sort):
//   /?page=overview|push|reports  &channel=<id>  &range=7d|custom &from=YYYY-MM-DD &to=YYYY-MM-DD
//   &tz=<IANA zone> &interval=auto|hour|day|week|month  &f=<dimension>:<value> (repeatable)
//   &tab=<breakdown> &sort=<column>:asc|desc

export const PRESETS = [
  ['today', 'Today', 0],
  ['7d', 'Last 7 days', 6],
  ['30d', 'Last 30 days', 29],
  ['90d', 'Last 90 days', 89],
  ['12m', 'Last 12 months', 364],
  ['custom', 'Custom', null],
];
export const INTERVALS = ['auto', 'hour', 'day', 'week', 'month'];
const DEFAULT_RANGE = '7d';

export function browserZone() {
  try { return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'; } catch { return 'UTC'; }
}

// Today's date (YYYY-MM-DD) in a zone.
export function todayIn(tz) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date());
}

export function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from, to) {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

const isDay = (v) => /^\d{4}-\d{2}-\d{2}$/.test(v || '');

function parseFilter(text) {
  const at = text.indexOf(':');
  return at > 0 ? { dimension: text.slice(0, at), value: text.slice(at + 1) } : null;
}

export function readState(search = window.location.search) {
  const p = new URLSearchParams(search);
  const tz = p.get('tz') || browserZone();
  let range = p.get('range') || (isDay(p.get('from')) && isDay(p.get('to')) ? 'custom' : DEFAULT_RANGE);
  if (!PRESETS.some(([id]) => id === range)) range = DEFAULT_RANGE;
  let from = p.get('from');
  let to = p.get('to');
  if (range !== 'custom' || !isDay(from) || !isDay(to) || to < from) {
    if (range === 'custom') range = DEFAULT_RANGE;
    const back = PRESETS.find(([id]) => id === range)[2];
    to = todayIn(tz);
    from = addDays(to, -back);
  }
  const channel = p.get('channel');
  const page = p.get('page') || (channel ? 'channel' : 'overview');
  const interval = INTERVALS.includes(p.get('interval')) ? p.get('interval') : 'auto';
  const filters = p.getAll('f').map(parseFilter).filter(Boolean);
  return { page, channel, range, from, to, tz, interval, filters, tab: p.get('tab'), sort: p.get('sort') };
}

// The URL of a state (only what differs from the defaults).
export function urlFor(state) {
  const p = new URLSearchParams();
  if (state.page && !['overview', 'channel'].includes(state.page)) p.set('page', state.page);
  if (state.channel && state.page === 'channel') p.set('channel', state.channel);
  if (state.range && state.range !== DEFAULT_RANGE) p.set('range', state.range);
  if (state.range === 'custom') { p.set('from', state.from); p.set('to', state.to); }
  if (state.tz && state.tz !== browserZone()) p.set('tz', state.tz);
  if (state.interval && state.interval !== 'auto') p.set('interval', state.interval);
  for (const f of state.filters || []) p.append('f', `${f.dimension}:${f.value}`);
  if (state.tab) p.set('tab', state.tab);
  if (state.sort) p.set('sort', state.sort);
  const text = p.toString();
  return text ? `/?${text}` : '/';
}

export function withChanges(state, changes) {
  return { ...state, ...changes };
}

// Buckets for a range: hourly up to 3 days, daily up to 400, weekly beyond.
export function intervalFor(state) {
  if (state.interval !== 'auto') return state.interval;
  const days = daysBetween(state.from, state.to);
  if (days <= 3) return 'hour';
  return days <= 400 ? 'day' : 'week';
}

// Native API filters: one "is" per dimension (values of one dimension are alternatives).
export function queryFilters(state) {
  const byDimension = new Map();
  if (state.page === 'channel' && state.channel) byDimension.set('channel_id', [state.channel]);
  for (const f of state.filters || []) {
    if (!byDimension.has(f.dimension)) byDimension.set(f.dimension, []);
    byDimension.get(f.dimension).push(f.value);
  }
  return [...byDimension].map(([dimension, values]) => ['is', dimension, values]);
}

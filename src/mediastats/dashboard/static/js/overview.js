// The overview and channel pages: totals and time series for the range (two native queries),
// the live panel and the breakdown tables. A channel page is the overview with channel_id fixed.

import { api, query, rows } from './api.js';
import { breakdownSection } from './breakdown.js';
import { timeChart } from './charts.js';
import { h, errorBox } from './dom.js';
import { bits, bytes, compact, duration, integer, percent } from './format.js';
import { livePanel } from './live.js';
import { intervalFor, queryFilters, urlFor } from './state.js';
import { filterChips, toolbar } from './toolbar.js';

const SUMMARY = ['views', 'unique_viewers', 'viewing_time_ms', 'rebuffering_ratio', 'bytes_cdn', 'bytes_p2p'];
const SERIES = ['views', 'unique_viewers', 'viewing_time_ms', 'rebuffering_ratio', 'bandwidth_cdn_bps', 'bandwidth_p2p_bps'];

// Minutes on the axis until the ticks reach two hours, then hours.
const timeTicks = (ticks) => {
  const hours = Math.max(...ticks) >= 7_200_000;
  return ticks.map((ms) => (hours ? `${compact(ms / 3_600_000)} h` : `${compact(ms / 60_000)} min`));
};
const bitsAxis = (bps) => (bps < 1000 ? `${compact(bps)} bit/s` : bits(bps).replace('.00 ', ' '));
// Steps of played time: seconds, minutes, then hours.
const TIME_STEPS = [
  ...[1, 5, 10, 30].map((x) => x * 1000),
  ...[1, 2, 5, 10, 15, 30].map((x) => x * 60_000),
  ...[1, 2, 5].flatMap((m) => [1, 10, 100, 1000, 10_000, 100_000].map((e) => m * e * 3_600_000)).sort((a, b) => a - b),
];
const percentAxis = (r) => `${compact(r * 100)}%`;

const CARDS = [
  { id: 'views', title: 'Views', metric: 'views', total: (s) => integer(s.views), format: integer, axis: compact, integer: true,
    series: [['views', 'Views']] },
  { id: 'unique', title: 'Unique viewers', metric: 'unique_viewers', total: (s) => integer(s.unique_viewers),
    format: integer, axis: compact, integer: true, series: [['unique_viewers', 'Unique viewers']] },
  { id: 'viewing', title: 'Viewing time', metric: 'viewing_time_ms', total: (s) => duration(s.viewing_time_ms),
    format: duration, ticks: timeTicks, incrs: TIME_STEPS, emptyMax: 60_000, series: [['viewing_time_ms', 'Viewing time']] },
  { id: 'rebuffering', title: 'Rebuffering ratio', metric: 'rebuffering_ratio', total: (s) => percent(s.rebuffering_ratio),
    format: percent, axis: percentAxis, emptyMax: 0.01, series: [['rebuffering_ratio', 'Rebuffering ratio']] },
  { id: 'bandwidth', title: 'Bandwidth, CDN and P2P', metric: 'bytes_cdn',
    total: (s) => `${bytes(s.bytes_cdn)} CDN · ${bytes(s.bytes_p2p)} P2P`, format: bits, axis: bitsAxis, emptyMax: 1000,
    series: [['bandwidth_cdn_bps', 'CDN'], ['bandwidth_p2p_bps', 'P2P']] },
];

function card(spec) {
  const figure = h('span', { class: 'figure', id: `total-${spec.id}`, 'data-metric': spec.metric }, '…');
  const chart = h('div', { id: `chart-${spec.id}`, 'aria-busy': 'true' });
  const el = h('section', { class: 'card', 'aria-labelledby': `title-${spec.id}` },
    h('header', {}, h('h2', { id: `title-${spec.id}` }, spec.title), h('small', { class: 'help' }, 'total')),
    h('p', {}, figure), chart);
  return { el, figure, chart, spec };
}

function onboarding() {
  const origin = window.location.origin;
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return h('section', { class: 'panel', id: 'onboarding', 'aria-labelledby': 'onboarding-title' },
    h('h2', { id: 'onboarding-title' }, 'No data yet: send your first events'),
    h('p', {}, 'Events arrive at ', h('code', {}, `${origin}/v1/events`),
      ' with the account\'s ingest key (given when the operator created the account; it is not the API key you signed in with). They show here within a second.'),
    h('h3', {}, 'From a web player'),
    h('pre', {}, h('code', {}, `<script type="module">
  import { track } from '${origin}/sdk/mediastats.js';
  track(document.querySelector('video'), {
    endpoint: '${origin}', ingestKey: 'YOUR_INGEST_KEY',
    sessionAttributes: { channel_id: 'news' },
  });
</script>`)),
    h('h3', {}, 'From a server or a test'),
    h('pre', {}, h('code', {}, `curl -X POST ${origin}/v1/events \\
  -H 'Authorization: Bearer YOUR_INGEST_KEY' -H 'Content-Type: application/json' \\
  -d '[{"ts": "${now}", "type": "view_start", "session_id": "s1", "channel_id": "news"}]'`)),
    h('p', { class: 'help' }, 'To try the dashboard with made-up traffic, run ', h('code', {}, 'mediastats demo'), '.'));
}

function header(state) {
  if (state.page !== 'channel') return h('div', { class: 'page-head' }, h('h1', { id: 'page-title', tabindex: '-1' }, 'Overview'));
  const back = urlFor({ ...state, page: 'overview', channel: null, tab: null, sort: null });
  return h('div', { class: 'page-head' },
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: back, 'data-nav': true }, 'Overview'), ' › channel'),
    h('h1', { id: 'page-title', tabindex: '-1' }, `Channel ${state.channel}`));
}

export async function renderOverview(root, state, ctx) {
  const filters = queryFilters(state);
  const notice = h('div', { id: 'notice' });
  const cards = CARDS.map(card);
  const live = livePanel(state, filters);
  const breakdown = breakdownSection(state, ctx);
  root.replaceChildren(header(state), toolbar(state, ctx.go), filterChips(state, ctx.go) || '', notice,
    h('div', { class: 'grid' }, live, cards.map((c) => c.el)), breakdown.el);
  const others = Promise.all([live.start(), breakdown.start()]);

  const base = { date_range: [state.from, state.to], timezone: state.tz, filters };
  const interval = intervalFor(state);
  let summary;
  let series;
  try {
    [summary, series] = await Promise.all([
      query({ ...base, metrics: SUMMARY }),
      query({ ...base, metrics: SERIES, interval }),
    ]);
  } catch (err) {
    if (!ctx.stale()) notice.replaceChildren(errorBox(err));
    return;
  }
  if (ctx.stale()) return;
  const totals = summary.results[0] || {};
  const points = rows(series);
  const times = points.map((r) => r.t);
  for (const c of cards) {
    c.figure.textContent = c.spec.total(totals);
    c.figure.dataset.value = String(totals[c.spec.metric] ?? 0);
    c.chart.removeAttribute('aria-busy');
    timeChart(c.chart, {
      title: `${c.spec.title} per ${interval}`, times, tz: state.tz, format: c.spec.format, axis: c.spec.axis,
      ticks: c.spec.ticks, integer: c.spec.integer, incrs: c.spec.incrs, emptyMax: c.spec.emptyMax,
      series: c.spec.series.map(([metric, label]) => ({ label, metric, values: points.map((r) => r[metric]) })),
      summary: `${times.length} points, total ${c.spec.total(totals)}`,
    });
  }
  if (!totals.views && !totals.viewing_time_ms && !totals.bytes_cdn && !totals.bytes_p2p) {
    const anywhere = filters.length ? null : await api('/v1/channels').catch(() => null);
    if (ctx.stale()) return;
    notice.replaceChildren(anywhere && anywhere.results.length === 0
      ? onboarding()
      : h('p', { class: 'notice', id: 'empty-range' }, `No data between ${state.from} and ${state.to} (${state.tz})`,
        filters.length ? ' with these filters. Remove a filter or' : '.', ' Try a longer range.'));
  }
  await others;
}

// Breakdown tables (channel, stream, player, device, OS, platform, country): one native query
// per tab, fetched when the tab is first shown. A channel row opens the channel page; any other
// row adds a filter. Keyboard: arrow keys, Home and End move between tabs.

import { query } from './api.js';
import { h, errorBox } from './dom.js';
import { bytes, duration, integer, percent } from './format.js';
import { queryFilters, readState, urlFor } from './state.js';
import { csvButton, parseSort, renderTable } from './table.js';

export const TABS = [
  { id: 'channel', dimension: 'channel_id', label: 'Channel' },
  { id: 'stream', dimension: 'stream_id', label: 'Stream' },
  { id: 'player', dimension: 'player', label: 'Player' },
  { id: 'device', dimension: 'device_type', label: 'Device' },
  { id: 'os', dimension: 'os', label: 'OS' },
  { id: 'platform', dimension: 'platform', label: 'Platform' },
  { id: 'country', dimension: 'country', label: 'Country' },
];
const METRICS = ['views', 'unique_viewers', 'viewing_time_ms', 'rebuffering_ratio', 'bytes_total'];
const LIMIT = 500;
const DEFAULT_SORT = { key: 'views', direction: 'desc' };

function columns(tab, state) {
  const name = {
    key: tab.dimension, label: tab.label,
    format: (v) => v || '(none)',
    // From the URL as it is now (tab and sort are rewritten in place as they change).
    href: (row) => {
      const value = row[tab.dimension];
      const now = readState();
      if (tab.id === 'channel') return value ? urlFor({ ...now, page: 'channel', channel: value, tab: null, sort: null }) : null;
      if (now.filters.some((f) => f.dimension === tab.dimension && f.value === value)) return null;
      return urlFor({ ...now, filters: [...now.filters, { dimension: tab.dimension, value }] });
    },
    title: (row) => (tab.id === 'channel' ? `Open channel ${row[tab.dimension]}` : `Filter by ${tab.label} ${row[tab.dimension] || '(none)'}`),
  };
  return [
    name,
    { key: 'views', label: 'Views', numeric: true, format: integer },
    { key: 'unique_viewers', label: 'Unique viewers', numeric: true, format: integer },
    { key: 'viewing_time_ms', label: 'Viewing time', numeric: true, format: duration },
    { key: 'rebuffering_ratio', label: 'Rebuffering', numeric: true, format: percent },
    { key: 'bytes_total', label: 'Traffic', numeric: true, format: bytes },
  ];
}

// ctx.replace(changes) rewrites the URL without a new history entry.
export function breakdownSection(state, ctx) {
  const tabs = TABS.filter((t) => !(state.page === 'channel' && t.id === 'channel'));
  let active = tabs.find((t) => t.id === state.tab) || tabs[0];
  const cache = new Map();
  const panel = h('div', { role: 'tabpanel', id: 'breakdown-panel', tabindex: '0' });
  const csvSlot = h('span', {});
  const buttons = tabs.map((tab) => h('button', {
    type: 'button', role: 'tab', id: `tab-${tab.id}`, 'aria-controls': 'breakdown-panel',
    onclick: () => select(tab, true),
    onkeydown: (e) => {
      const i = tabs.indexOf(tab);
      const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
      if (next === undefined) return;
      e.preventDefault();
      select(tabs[(next + tabs.length) % tabs.length], true);
      document.getElementById(`tab-${active.id}`).focus();
    },
  }, tab.label));

  async function select(tab, byUser) {
    active = tab;
    for (const b of buttons) {
      const on = b.id === `tab-${tab.id}`;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
    }
    panel.setAttribute('aria-labelledby', `tab-${tab.id}`);
    if (byUser) ctx.replace({ tab: tab.id === tabs[0].id ? null : tab.id, sort: null });
    const sort = byUser ? DEFAULT_SORT : parseSort(state.sort, columns(tab, state), DEFAULT_SORT);
    panel.replaceChildren(h('p', { class: 'empty' }, 'Loading…'));
    panel.setAttribute('aria-busy', 'true');
    try {
      if (!cache.has(tab.id)) {
        cache.set(tab.id, query({
          metrics: METRICS, dimensions: [tab.dimension], date_range: [state.from, state.to], timezone: state.tz,
          filters: queryFilters(state), order_by: [['views', 'desc']], limit: LIMIT,
        }));
      }
      const result = await cache.get(tab.id);
      if (active !== tab) return;
      const cols = columns(tab, state);
      const total = result.meta.total_rows;
      const table = renderTable(panel, {
        columns: cols, rows: result.results, sort, caption: `Breakdown by ${tab.label}`,
        empty: `No ${tab.label.toLowerCase()} with data in this range.`,
        footer: total > LIMIT ? `Showing the top ${LIMIT} of ${integer(total)} by views.` : null,
        onSort: (s) => ctx.replace({ sort: `${s.key}:${s.direction}` }),
      });
      csvSlot.replaceChildren(csvButton('Download CSV', () => `mediastats-${tab.id}-${state.from}-${state.to}.csv`,
        cols, table.rows));
    } catch (err) {
      cache.delete(tab.id);
      panel.replaceChildren(errorBox(err));
    } finally {
      panel.removeAttribute('aria-busy');
    }
  }

  const el = h('section', { class: 'section', 'aria-labelledby': 'breakdown-title' },
    h('header', {}, h('h2', { id: 'breakdown-title' }, 'Breakdown'), csvSlot),
    h('div', { role: 'tablist', 'aria-label': 'Break down by' }, buttons),
    panel);
  return { el, start: () => select(active, false) };
}

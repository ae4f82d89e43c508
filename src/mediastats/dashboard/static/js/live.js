// The live panel: viewers watching now (views active in the last 60 s), refreshed every 5 s,
// and the last 30 minutes of concurrent viewers a minute (refreshed when the figure moves, and
// every 30 s). Polling pauses while the tab is hidden and stops when the panel leaves the page.

import { query, rows } from './api.js';
import { timeChart, updateChart } from './charts.js';
import { h } from './dom.js';
import { integer } from './format.js';

export const LIVE_EVERY_MS = 5000;
const CHART_EVERY_TICKS = 6;

function chartSpec(result, tz) {
  const points = rows(result);
  const values = points.map((r) => r.active_views);
  return {
    title: 'Concurrent viewers, last 30 minutes',
    times: points.map((r) => r.t),
    series: [{ label: 'Concurrent viewers', values }],
    tz,
    format: integer,
    integer: true,
    summary: `${values.length} one-minute points, peak ${integer(Math.max(0, ...values))}`,
  };
}

export function livePanel(state, filters) {
  const figure = h('span', { class: 'figure', id: 'live-now' }, '–');
  const when = h('small', { class: 'help', id: 'live-updated' }, '');
  const chartHost = h('div', {});
  const card = h('section', { class: 'card live', 'aria-labelledby': 'live-title' },
    h('header', {}, h('h2', { id: 'live-title' }, h('span', { class: 'dot', 'aria-hidden': 'true' }), 'Watching now'), when),
    h('p', {}, figure, h('small', {}, ' viewers')),
    chartHost);
  let chart = null;
  let ticks = 0;
  let last = null;
  let timer = 0;

  const refreshChart = async () => {
    const result = await query({ metrics: ['active_views'], since: '30m', interval: 'minute', timezone: state.tz, filters });
    const spec = chartSpec(result, state.tz);
    if (chart) updateChart(chart, spec);
    else chart = timeChart(chartHost, spec);
  };

  const tick = async () => {
    if (!card.isConnected) return;
    if (document.hidden) { timer = setTimeout(tick, LIVE_EVERY_MS); return; }
    try {
      const first = chart === null ? refreshChart() : null; // the first chart does not wait for the figure
      const result = await query({ metrics: ['active_views'], since: '60s', timezone: state.tz, filters });
      const now = result.results.length ? result.results[0].active_views : 0;
      figure.textContent = integer(now);
      figure.dataset.value = String(now);
      when.textContent = `updated ${new Date().toLocaleTimeString('en-GB', { timeZone: state.tz })}`;
      if (first) await first;
      else if (now !== last || ticks % CHART_EVERY_TICKS === 0) await refreshChart();
      last = now;
    } catch (err) {
      when.textContent = `not updated: ${err.message}`;
    }
    ticks += 1;
    if (card.isConnected) timer = setTimeout(tick, LIVE_EVERY_MS);
  };

  // Starts polling; the promise settles when the first figure and chart are shown.
  card.start = () => { clearTimeout(timer); return tick(); };
  card.stop = () => clearTimeout(timer);
  return card;
}

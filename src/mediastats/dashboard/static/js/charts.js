// Time-series charts (uPlot). Each chart is a canvas plus, for keyboard and screen-reader users,
// a labelled figure and a data table (built when opened). Colours come from the CSS variables, so
// a chart is rebuilt when the system switches between light and dark.

import uPlot from '../vendor/uplot/uPlot.esm.js';
import { h } from './dom.js';
import { localTime } from './format.js';

const HEIGHT = 170;
const charts = new Set();

function palette() {
  const css = getComputedStyle(document.documentElement);
  const v = (name) => css.getPropertyValue(name).trim();
  return { text: v('--muted'), grid: v('--grid'), series: [v('--s1'), v('--s2'), v('--s3')] };
}

function translucent(color, alpha) {
  const hex = color.replace('#', '');
  if (hex.length !== 6) return color;
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

// Tick steps for counts: no "0.5 viewers".
const WHOLE_STEPS = [1, 2, 5].flatMap((m) => [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8].map((e) => m * e)).sort((a, b) => a - b);

// Room for the longest tick label of the y axis (uPlot asks again when the ticks change).
function axisWidth(u, values) {
  const longest = Math.max(3, ...(values || []).map((v) => String(v).length));
  return Math.ceil(longest * 7.2) + 20;
}

function options(spec, width) {
  const colors = palette();
  const axis = { stroke: colors.text, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid, width: 1 } };
  return {
    width,
    height: HEIGHT,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), spec.tz),
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, max > 0 ? max * 1.08 : spec.emptyMax || 1] } },
    axes: [axis, {
      ...axis, size: axisWidth, incrs: spec.incrs || (spec.integer ? WHOLE_STEPS : undefined),
      values: (u, ticks) => (spec.ticks ? spec.ticks(ticks) : ticks.map(spec.axis || spec.format)),
    }],
    legend: { show: true, live: true },
    cursor: { points: { size: 7 } },
    series: [
      { value: (u, ts) => (ts == null ? '–' : localTime(ts, spec.tz)) },
      ...spec.series.map((s, i) => ({
        label: s.label,
        stroke: colors.series[i % colors.series.length],
        fill: spec.series.length === 1 ? translucent(colors.series[i], 0.14) : undefined,
        width: 2,
        value: (u, v) => (v == null ? '–' : spec.format(v)),
      })),
    ],
  };
}

function dataTable(spec) {
  return h('table', {},
    h('caption', { class: 'visually-hidden' }, `${spec.title} (${spec.tz})`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Time'),
      spec.series.map((s) => h('th', { scope: 'col', class: 'num' }, s.label)))),
    h('tbody', {}, spec.times.map((t, i) => h('tr', {},
      h('td', {}, localTime(t, spec.tz)),
      spec.series.map((s) => h('td', { class: 'num', 'data-value': s.values[i] }, spec.format(s.values[i])))))));
}

// spec: {title, times: [epoch s], series: [{label, values}], tz, format(v), summary,
//        axis?(v) | ticks?(values) for the y labels, integer? for whole-number steps, incrs? steps,
//        emptyMax? the top of the y axis when every value is 0}
export function timeChart(host, spec) {
  const canvas = h('div', { class: 'chart', role: 'img', 'aria-label': `${spec.title}: ${spec.summary || ''}` });
  const details = h('details', { class: 'data' }, h('summary', {}, 'Data table'));
  const chart = { host, spec, canvas, plot: null };
  details.addEventListener('toggle', () => {
    if (details.open && details.children.length === 1) details.append(h('div', { class: 'table-wrap' }, dataTable(chart.spec)));
  });
  host.replaceChildren(canvas, details);
  const build = () => {
    if (chart.plot) chart.plot.destroy();
    const width = Math.max(canvas.clientWidth || host.clientWidth || 300, 200);
    const { spec: now } = chart;
    chart.plot = new uPlot(options(now, width), [now.times, ...now.series.map((s) => s.values)], canvas);
  };
  chart.build = build;
  build();
  chart.observer = new ResizeObserver(() => {
    const width = Math.max(canvas.clientWidth, 200);
    if (chart.plot && Math.abs(chart.plot.width - width) > 2) chart.plot.setSize({ width, height: HEIGHT });
  });
  chart.observer.observe(canvas);
  charts.add(chart);
  return chart;
}

// Update a chart's data in place (live panel).
export function updateChart(chart, spec) {
  chart.spec = spec;
  chart.canvas.setAttribute('aria-label', `${spec.title}: ${spec.summary || ''}`);
  chart.plot.setData([spec.times, ...spec.series.map((s) => s.values)]);
  const table = chart.host.querySelector('details.data table');
  if (table) table.replaceWith(dataTable(spec));
}

// Forget charts whose element left the page; rebuild the others with the current colours.
function sweep(rebuild) {
  for (const chart of charts) {
    if (!chart.host.isConnected) {
      chart.observer.disconnect();
      chart.plot.destroy();
      charts.delete(chart);
    } else if (rebuild) {
      chart.build();
    }
  }
}

export const forgetDetachedCharts = () => sweep(false);
window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => sweep(true));

// Push and reports pages: lists from the native API (subscriptions, deliveries, schedules and
// the reports built for them), each table sortable and downloadable as CSV.

import { api, ApiError } from './api.js';
import { h, errorBox } from './dom.js';
import { integer } from './format.js';
import { csvButton, downloadCsv, renderTable } from './table.js';

const when = (ms) => (ms ? new Date(ms).toISOString().replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC') : '');
const whenIso = (text) => (text ? when(Date.parse(text)) : '');

function section(id, title, host, csv) {
  return h('section', { class: 'section', 'aria-labelledby': id },
    h('header', {}, h('h2', { id }, title), csv || ''), host);
}

// A listing that is missing (route not there yet) or refused reads as an empty state.
async function listing(path, key) {
  try {
    const body = await api(path);
    return { rows: body[key] || [] };
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return { rows: [] };
    return { rows: [], error: err };
  }
}

function pre(text) {
  return h('pre', {}, h('code', {}, text));
}

export async function renderPush(root, ctx) {
  const subsHost = h('div', {}, h('p', { class: 'empty' }, 'Loading…'));
  const sendsHost = h('div', {}, h('p', { class: 'empty' }, 'Loading…'));
  const subCols = [
    { key: 'url', label: 'Receiver URL' },
    { key: 'events', label: 'Events', format: (v) => (v || []).join(', ') },
    { key: 'status', label: 'Status', format: (v, r) => (r.disabled_reason ? `${v} (${r.disabled_reason})` : v) },
    { key: 'created_ms', label: 'Created', format: when, csvValue: (r) => when(r.created_ms) },
    { key: 'id', label: 'ID' },
  ];
  const lastAttempt = (r) => (r.attempts && r.attempts.length ? r.attempts[r.attempts.length - 1] : null);
  const sendCols = [
    { key: 'created_ms', label: 'Queued', format: when, csvValue: (r) => when(r.created_ms) },
    { key: 'event', label: 'Event' },
    { key: 'status', label: 'Status' },
    { key: 'tries', label: 'Attempts', numeric: true, format: integer },
    { key: 'last', label: 'Last answer' },
    { key: 'subscription_url', label: 'Receiver' },
  ];
  let subs = [];
  let sends = [];
  root.replaceChildren(
    h('div', { class: 'page-head' }, h('h1', { id: 'page-title', tabindex: '-1' }, 'Push')),
    section('subs-title', 'Subscriptions', subsHost, csvButton('Download CSV', 'mediastats-push-subscriptions.csv', subCols, () => subs)),
    section('sends-title', 'Recent deliveries', sendsHost, csvButton('Download CSV', 'mediastats-push-deliveries.csv', sendCols, () => sends)),
  );
  const [s, d] = await Promise.all([
    listing('/dashboard/api/v1/push/subscriptions', 'subscriptions'),
    listing('/dashboard/api/v1/push/deliveries?limit=100', 'deliveries'),
  ]);
  if (ctx.stale()) return;
  subs = s.rows;
  const urls = new Map(subs.map((x) => [x.id, x.url]));
  sends = d.rows.map((r) => {
    const last = lastAttempt(r);
    return { ...r, tries: (r.attempts || []).length, subscription_url: urls.get(r.subscription_id) || r.subscription_id,
      last: last ? (last.status_code ? `HTTP ${last.status_code}` : last.error || '') : '' };
  });
  if (s.error) subsHost.replaceChildren(errorBox(s.error));
  else if (!subs.length) {
    subsHost.replaceChildren(h('div', { class: 'panel' },
      h('p', {}, 'No push subscriptions yet. Receivers get WMSPanel-format webhooks (daily statistics, server offline/online, stream publish/unpublish). Subscribe one with the API key:'),
      pre(`curl -X POST ${window.location.origin}/v1/push/subscriptions \\
  -H 'Authorization: Bearer YOUR_API_KEY' -H 'Content-Type: application/json' \\
  -d '{"url": "https://example.com/hooks/mediastats", "events": ["daily_stats", "server_offline"]}'`)));
  } else renderTable(subsHost, { columns: subCols, rows: subs, sort: { key: 'created_ms', direction: 'desc' }, caption: 'Push subscriptions' });
  if (d.error) sendsHost.replaceChildren(errorBox(d.error));
  else renderTable(sendsHost, { columns: sendCols, rows: sends, sort: { key: 'created_ms', direction: 'desc' },
    caption: 'Recent push deliveries', empty: 'Nothing has been sent yet.' });
}

async function download(path) {
  const response = await api(path, { raw: true });
  const disposition = response.headers.get('content-disposition') || '';
  const name = (disposition.match(/filename="?([^";]+)"?/) || [])[1] || 'report.csv';
  downloadCsv(name, await response.text());
}

export async function renderReports(root, ctx) {
  const schedulesHost = h('div', {}, h('p', { class: 'empty' }, 'Loading…'));
  const reportsHost = h('div', {});
  const scheduleCols = [
    { key: 'type', label: 'Report' },
    { key: 'interval', label: 'Interval' },
    { key: 'params', label: 'Parameters', format: (v) => Object.entries(v || {}).map(([k, x]) => `${k}=${x}`).join(' ') },
    { key: 'createdAt', label: 'Created', format: whenIso },
    { key: 'scheduleId', label: 'ID' },
  ];
  const reportCols = [
    { key: 'type', label: 'Report' },
    { key: 'fromDate', label: 'From' },
    { key: 'toDate', label: 'To' },
    { key: 'rows', label: 'Rows', numeric: true, format: integer },
    { key: 'builtAt', label: 'Built', format: whenIso },
    { key: 'path', label: 'Download', format: (v, r) => h('button', {
      type: 'button', class: 'link', 'aria-label': `Download ${r.type} ${r.fromDate}`,
      onclick: () => download(v).catch((err) => reportsHost.prepend(errorBox(err))),
    }, 'CSV') },
  ];
  let schedules = [];
  let reports = [];
  root.replaceChildren(
    h('div', { class: 'page-head' }, h('h1', { id: 'page-title', tabindex: '-1' }, 'Reports')),
    section('schedules-title', 'Schedules', schedulesHost, csvButton('Download CSV', 'mediastats-report-schedules.csv', scheduleCols, () => schedules)),
    section('reports-title', 'Built reports', reportsHost),
  );
  const found = await listing('/v1/report-schedules', 'schedules');
  if (ctx.stale()) return;
  schedules = found.rows;
  if (found.error) { schedulesHost.replaceChildren(errorBox(found.error)); return; }
  if (!schedules.length) {
    schedulesHost.replaceChildren(h('div', { class: 'panel' },
      h('p', {}, 'No scheduled reports yet. A schedule builds a CSV for every closed day, week or month:'),
      pre(`curl -X POST ${window.location.origin}/v1/report-schedules \\
  -H 'Authorization: Bearer YOUR_API_KEY' -H 'Content-Type: application/json' \\
  -d '{"type": "viewershipAnalytics", "interval": "DAILY", "params": {"channelId": "news"}}'`)));
    reportsHost.replaceChildren(h('p', { class: 'empty' }, 'Reports appear here once a period has closed.'));
    return;
  }
  renderTable(schedulesHost, { columns: scheduleCols, rows: schedules, sort: { key: 'createdAt', direction: 'desc' }, caption: 'Report schedules' });
  const details = await Promise.all(schedules.map((s) => api(`/v1/report-schedules/${encodeURIComponent(s.scheduleId)}`).catch(() => null)));
  if (ctx.stale()) return;
  reports = details.filter(Boolean).flatMap((s) => (s.reports || []).map((r) => ({
    ...r, type: `${s.type} (${s.interval.toLowerCase()})`,
    path: `/v1/report-schedules/${encodeURIComponent(s.scheduleId)}/reports/${encodeURIComponent(r.fromDate)}`,
  })));
  renderTable(reportsHost, { columns: reportCols, rows: reports, sort: { key: 'fromDate', direction: 'desc' },
    caption: 'Built reports', empty: 'No report built yet: the first is built once its period has closed.' });
}

// Sortable tables (sort buttons in the headers, aria-sort) and their CSV download.
// CSV holds the API's values in base units under the API's names, not the formatted text.

import { h } from './dom.js';

// column: {key, label, numeric?, format?(value, row), href?(row), title?}
export function sortRows(rows, key, direction) {
  const sign = direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (typeof x === 'number' && typeof y === 'number') return (x - y) * sign;
    return String(x ?? '').localeCompare(String(y ?? '')) * sign;
  });
}

export function parseSort(text, columns, fallback) {
  const [key, direction] = (text || '').split(':');
  if (columns.some((c) => c.key === key) && ['asc', 'desc'].includes(direction)) return { key, direction };
  return fallback;
}

function cellContent(column, row) {
  const text = column.format ? column.format(row[column.key], row) : String(row[column.key] ?? '');
  const href = column.href && column.href(row);
  return href ? h('a', { href, 'data-nav': true, title: column.title ? column.title(row) : null }, text) : text;
}

// A table in `host`; clicking a header sorts it and reports the new sort to onSort.
export function renderTable(host, { columns, rows, sort, caption, onSort, empty, footer }) {
  let current = sort || { key: columns[0].key, direction: 'asc' };
  const draw = () => {
    if (!rows.length) {
      host.replaceChildren(h('p', { class: 'empty' }, empty || 'Nothing to show.'));
      return;
    }
    const sorted = sortRows(rows, current.key, current.direction);
    const head = columns.map((column) => {
      const active = column.key === current.key;
      const button = h('button', {
        type: 'button',
        onclick: () => {
          const direction = active && current.direction === 'desc' ? 'asc' : active ? 'desc' : (column.numeric ? 'desc' : 'asc');
          current = { key: column.key, direction };
          if (onSort) onSort(current);
          draw();
          host.querySelector(`th[data-key="${column.key}"] button`).focus();
        },
      }, column.label);
      return h('th', {
        scope: 'col', class: column.numeric ? 'num' : null, 'data-key': column.key,
        'aria-sort': active ? (current.direction === 'asc' ? 'ascending' : 'descending') : 'none',
      }, button);
    });
    const body = sorted.map((row) => h('tr', {}, columns.map((column, i) => {
      const tag = i === 0 ? 'th' : 'td';
      return h(tag, { scope: i === 0 ? 'row' : null, class: column.numeric ? 'num' : null, 'data-key': column.key },
        cellContent(column, row));
    })));
    host.replaceChildren(
      h('div', { class: 'table-wrap' }, h('table', {}, caption ? h('caption', { class: 'visually-hidden' }, caption) : null,
        h('thead', {}, h('tr', {}, head)), h('tbody', {}, body))),
    );
    if (footer) host.append(h('p', { class: 'table-foot' }, footer));
    host.sortedRows = sorted;
  };
  draw();
  return { rows: () => sortRows(rows, current.key, current.direction) };
}

function csvField(value) {
  const text = value == null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(columns, rows) {
  const lines = [columns.map((c) => csvField(c.csv || c.key)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(c.csvValue ? c.csvValue(row) : row[c.key])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function downloadCsv(filename, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = h('a', { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// A "Download CSV" button for a table whose rows are read when clicked.
export function csvButton(label, filename, columns, currentRows) {
  return h('button', {
    type: 'button', class: 'quiet',
    onclick: () => downloadCsv(typeof filename === 'function' ? filename() : filename, toCsv(columns, currentRows())),
  }, label);
}

// Range, zone and interval controls, and the chips of the active filters. Every change is a
// navigation to a new URL, so the back button and shared links give the same view.

import { h, announce } from './dom.js';
import { INTERVALS, PRESETS, addDays, browserZone, todayIn } from './state.js';

const LABELS = {
  channel_id: 'Channel', stream_id: 'Stream', player: 'Player', device_type: 'Device', os: 'OS',
  platform: 'Platform', country: 'Country', delivery: 'Delivery',
};
export const dimensionLabel = (name) => LABELS[name] || name;

let zones = null;
function timezones(current) {
  if (!zones) {
    const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    zones = [...new Set(['UTC', browserZone(), ...all])];
  }
  return zones.includes(current) ? zones : [current, ...zones];
}

function field(id, label, control) {
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

function select(options, value, onchange) {
  const el = h('select', { onchange }, options.map(([v, text]) => h('option', { value: v }, text)));
  el.value = value;
  return el;
}

// go(changes) navigates to the current state with `changes` applied.
export function toolbar(state, go) {
  const preset = select(PRESETS.map(([id, text]) => [id, text]), state.range, (e) => {
    const id = e.target.value;
    if (id === 'custom') go({ range: 'custom', from: state.from, to: state.to });
    else go({ range: id });
  });
  const dateInput = (value, onchange) => h('input', { type: 'date', value, max: addDays(todayIn(state.tz), 1), onchange });
  const from = dateInput(state.from, (e) => e.target.value && go({ range: 'custom', from: e.target.value, to: state.to < e.target.value ? e.target.value : state.to }));
  const to = dateInput(state.to, (e) => e.target.value && go({ range: 'custom', to: e.target.value, from: state.from > e.target.value ? e.target.value : state.from }));
  const tz = select(timezones(state.tz).map((z) => [z, z]), state.tz, (e) => go({ tz: e.target.value }));
  const interval = select(INTERVALS.map((i) => [i, i === 'auto' ? 'Automatic' : i[0].toUpperCase() + i.slice(1)]),
    state.interval, (e) => go({ interval: e.target.value }));
  const copy = h('button', {
    type: 'button', class: 'quiet',
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(window.location.href);
        announce('Link copied');
        copy.textContent = 'Link copied';
      } catch {
        announce('Copy the address bar to share this view');
      }
      setTimeout(() => { copy.textContent = 'Copy link'; }, 2000);
    },
  }, 'Copy link');
  return h('form', { class: 'toolbar', 'aria-label': 'Range and filters', onsubmit: (e) => e.preventDefault() },
    field('range', 'Date range', preset),
    field('from', 'From', from),
    field('to', 'To', to),
    field('tz', 'Timezone', tz),
    field('interval', 'Interval', interval),
    copy);
}

export function filterChips(state, go) {
  if (!state.filters.length) return null;
  return h('ul', { class: 'chips', 'aria-label': 'Active filters' }, state.filters.map((f, i) => h('li', { class: 'chip' },
    h('span', {}, `${dimensionLabel(f.dimension)}: ${f.value || '(none)'}`),
    h('button', {
      type: 'button', 'aria-label': `Remove filter ${dimensionLabel(f.dimension)} ${f.value || '(none)'}`,
      onclick: () => go({ filters: state.filters.filter((_, j) => j !== i) }),
    }, '✕'))));
}

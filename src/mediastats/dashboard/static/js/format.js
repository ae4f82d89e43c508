// Display formats. The API answers in base units (ms, bytes, bits/s, ratios); these only scale.

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const two = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const one = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const integer = (value) => whole.format(Math.round(value || 0));

export const percent = (ratio) => `${two.format((ratio || 0) * 100)} %`;

// 90 s, 12.5 min, 3.25 h
export function duration(ms) {
  const value = ms || 0;
  if (value >= 3_600_000) return `${two.format(value / 3_600_000)} h`;
  if (value >= 60_000) return `${one.format(value / 60_000)} min`;
  return `${whole.format(value / 1000)} s`;
}

function scaled(value, units, step) {
  let v = value || 0;
  let i = 0;
  while (Math.abs(v) >= step && i < units.length - 1) { v /= step; i += 1; }
  return `${i === 0 ? whole.format(v) : two.format(v)} ${units[i]}`;
}

export const bits = (bps) => scaled(bps, ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s'], 1000);
export const bytes = (n) => scaled(n, ['B', 'kB', 'MB', 'GB', 'TB', 'PB'], 1000);

// Axis labels: short, no fixed decimals.
export function compact(value) {
  return new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

// "2026-11-05 14:00" in the given zone (for data tables and CSV-like text).
export function localTime(epochSeconds, tz) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(epochSeconds * 1000));
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

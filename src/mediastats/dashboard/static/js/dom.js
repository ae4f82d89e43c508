// Tiny DOM helpers: h('tag', {attrs, onclick}, ...children). Text is always inserted as text.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

let statusTimer = 0;

// Announce a message to screen readers (the #status live region).
export function announce(text) {
  const region = document.getElementById('status');
  if (!region) return;
  clearTimeout(statusTimer);
  region.textContent = text;
  statusTimer = setTimeout(() => { region.textContent = ''; }, 4000);
}

export function errorBox(err) {
  return h('p', { class: 'notice error', role: 'alert' }, err && err.message ? err.message : String(err));
}

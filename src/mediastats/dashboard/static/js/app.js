// Boot and routing: sign-in, the signed-in header, and which page the URL names.
// Links marked data-nav are followed in-page (history.pushState); every view reads its state
// from the URL, so reloading or sharing a link shows the same thing.

import { onSignedOut, session } from './api.js';
import { forgetDetachedCharts } from './charts.js';
import { errorBox } from './dom.js';
import { renderOverview } from './overview.js';
import { readState, urlFor } from './state.js';

const view = document.getElementById('view');
const signin = document.getElementById('signin');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
let current = null; // the signed-in session, or null
let generation = 0;

function showSignIn(message) {
  current = null;
  generation += 1;
  view.replaceChildren();
  nav.hidden = true;
  who.hidden = true;
  signin.hidden = false;
  document.getElementById('signin-error').textContent = message || '';
  document.getElementById('api-key').focus();
}

function showSignedIn(info) {
  current = info;
  signin.hidden = true;
  nav.hidden = false;
  who.hidden = false;
  const kind = info.key === 'user-specific' ? ` · ${info.slices.map((s) => s.name).join(', ')}` : '';
  document.getElementById('who-name').textContent = `${info.account.name}${kind}`;
}

function navigate(url, { replace = false } = {}) {
  if (replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  if (!replace) render({ moved: true });
}

const ctx = {
  go: (changes) => navigate(urlFor({ ...readState(), ...changes })),
  replace: (changes) => navigate(urlFor({ ...readState(), ...changes }), { replace: true }),
  stale: null,
};

async function render({ moved = false } = {}) {
  if (!current) return;
  const state = readState();
  const mine = ++generation;
  const focused = document.activeElement && document.activeElement.id;
  const page = ['push', 'reports'].includes(state.page) ? state.page : 'overview';
  for (const link of nav.querySelectorAll('a')) {
    if (link.dataset.page === page) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${state.page === 'channel' ? `Channel ${state.channel}` : page[0].toUpperCase() + page.slice(1)} · mediastats`;
  const pageCtx = { ...ctx, stale: () => mine !== generation };
  try {
    const work = page === 'overview'
      ? renderOverview(view, state, pageCtx)
      : import('./admin.js').then((admin) => (page === 'push' ? admin.renderPush : admin.renderReports)(view, pageCtx));
    // Keep the keyboard where it was (controls keep their ids across a re-render) or, after a
    // link, move it to the new page's heading.
    queueMicrotask(() => {
      const again = focused && document.getElementById(focused);
      if (again && again !== document.activeElement) again.focus();
      else if (moved && !again) document.getElementById('page-title')?.focus();
    });
    await work;
  } catch (err) {
    if (mine === generation) view.replaceChildren(errorBox(err));
  }
  forgetDetachedCharts();
  if (mine !== generation) return;
  // Everything of the page is on screen: the load figure the browser tests read.
  performance.mark('mediastats:rendered');
  document.body.dataset.rendered = String(mine);
}

function followLinks(event) {
  const link = event.target.closest('a[data-nav]');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const url = new URL(link.href, window.location.href);
  if (url.origin !== window.location.origin) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
}

async function signIn(event) {
  event.preventDefault();
  const input = document.getElementById('api-key');
  const error = document.getElementById('signin-error');
  error.textContent = '';
  try {
    const info = await session.signIn(input.value.trim());
    input.value = '';
    showSignedIn(info);
    render({ moved: true });
  } catch (err) {
    error.textContent = err.status === 401 ? 'That API key is not valid.' : err.message;
    input.focus();
  }
}

async function signOut() {
  try { await session.signOut(); } catch { /* signed out server-side or not: the page forgets either way */ }
  window.history.replaceState(null, '', '/');
  showSignIn('You are signed out.');
}

async function boot() {
  document.addEventListener('click', followLinks);
  window.addEventListener('popstate', () => render());
  document.getElementById('signin-form').addEventListener('submit', signIn);
  document.getElementById('sign-out').addEventListener('click', signOut);
  onSignedOut(() => showSignIn('Your session has ended; sign in again.'));
  const params = new URLSearchParams(window.location.search);
  if (params.get('signin') === 'failed') {
    window.history.replaceState(null, '', '/');
    showSignIn('That API key is not valid.');
    return;
  }
  let info = null;
  try {
    info = await session.current();
  } catch (err) {
    showSignIn(err.message);
    return;
  }
  if (!info.signed_in) { showSignIn(); return; }
  showSignedIn(info);
  render();
}

boot();

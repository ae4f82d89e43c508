// The native API, called with the session cookie. Every number on the page comes through here.
// Cookie-authenticated calls carry X-Requested-With, which a cross-site form cannot send.

const HEADERS = { 'X-Requested-With': 'mediastats' };

export class ApiError extends Error {
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

let signedOut = () => {};
export function onSignedOut(handler) { signedOut = handler; }

async function call(path, { method = 'GET', body, raw = false } = {}) {
  const init = { method, headers: { ...HEADERS }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (response.ok && raw) return response;
  if (response.status === 204) return null;
  const type = response.headers.get('content-type') || '';
  const data = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    const error = (data && data.error) || { message: typeof data === 'string' && data ? data : response.statusText };
    if (response.status === 401 && !path.startsWith('/dashboard/session')) signedOut();
    throw new ApiError(response.status, error.message || `HTTP ${response.status}`, error.field);
  }
  return data;
}

export const api = call;

// POST /v1/query: {metrics, dimensions, filters, date_range | since, interval, timezone, order_by, limit}
export function query(body) {
  return call('/v1/query', { method: 'POST', body });
}

export const session = {
  current: () => call('/dashboard/session'),
  signIn: (apiKey) => call('/dashboard/session', { method: 'POST', body: { api_key: apiKey } }),
  signOut: () => call('/dashboard/session', { method: 'DELETE' }),
};

// Rows of a native result, with `t` (epoch seconds) added when bucketed.
export function rows(result) {
  return result.results.map((row) => (row.time ? { ...row, t: Date.parse(row.time) / 1000 } : row));
}

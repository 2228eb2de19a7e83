// Shared by the console's pages: calls to the JSON API with the person's session, problem documents shown as the
// service words them, DOM built with text nodes only (no HTML from data ever reaches innerHTML).

const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? '';

export const roles = new Set((document.body.dataset.roles ?? '').split(' ').filter(Boolean));
export const subject = document.body.dataset.subject ?? '';
export const resource = document.body.dataset.resource ?? '';

/** An answer the API refused: its problem document's title and detail, and the fields it names. */
export class Problem extends Error {
  constructor(status, doc) {
    const fields = (doc.errors ?? []).map(e => (e.field ? `${e.field}: ` : '') + (e.message ?? e.detail ?? '')).filter(Boolean);
    super([doc.title ?? `HTTP ${status}`, doc.detail, ...fields].filter(Boolean).join(' — '));
    this.status = status;
    this.doc = doc;
  }
}

export async function api(path, { method = 'GET', body, headers = {} } = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
  if (method !== 'GET') {
    init.headers['X-CSRF-Token'] = csrf;
  }
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  const doc = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new Problem(response.status, doc ?? {});
  }
  return doc;
}

/**
 * A person's command (approve, reject, cancel) for a run that another replica carries is answered 202 with the
 * command, not the run, when that replica has not decided it within the service's wait. This follows the command
 * until it is decided: the run once applied, the owner's refusal thrown as a Problem, or null if it is still
 * undecided after a minute. Any other answer is returned as it is. onPending is told at once.
 */
export async function decided(answer, onPending) {
  if (!answer || answer.kind === undefined || answer.status !== 'PENDING') return answer;
  onPending?.(answer);
  for (let look = 0; look < 60; look++) {
    await new Promise(resolve => setTimeout(resolve, 1000));
    const command = await api(`/api/v1/runs/${answer.runId}/commands/${answer.id}`);
    if (command.status === 'APPLIED') return api(`/api/v1/runs/${answer.runId}`);
    if (command.status === 'REFUSED') {
      throw new Problem(command.refusal?.status ?? 409, { title: 'Refused by the replica that carries the run',
        detail: command.refusal?.detail });
    }
  }
  return null;
}

export const PENDING_TEXT = 'Sent to the replica that carries this run; waiting for its decision…';
export const UNDECIDED_TEXT = 'Sent to the replica that carries this run, which has not decided it yet: reload later.';

/** An element with attributes and children (strings become text nodes). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function status(message, kind = 'info') {
  const node = document.getElementById('status');
  node.textContent = message ?? '';
  node.className = `status ${kind}`;
}

export function showProblem(error) {
  status(error instanceof Problem ? error.message : `The request failed: ${error.message}`, 'problem');
}

export function badge(word) {
  return el('span', { class: `badge s-${(word ?? 'none').toLowerCase()}` }, word ?? '—');
}

export function when(instant) {
  return instant ? new Date(instant).toLocaleString() : '—';
}

export function duration(start, end) {
  if (!start) return '—';
  const ms = (end ? new Date(end) : new Date()) - new Date(start);
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function facts(dl, pairs) {
  dl.replaceChildren(...pairs.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value ?? '—')]));
}

/** Follows a server-sent event stream; calls back on each named event, says on the page whether it is live. */
export function follow(url, names, onEvent, liveNode) {
  const source = new EventSource(url, { withCredentials: true });
  const say = text => { if (liveNode) liveNode.textContent = text; };
  source.onopen = () => say('Live: updates appear as they happen.');
  source.onerror = () => say(source.readyState === EventSource.CLOSED ? 'Live updates ended.' : 'Reconnecting to live updates…');
  for (const name of names) {
    source.addEventListener(name, event => onEvent(name, event.data ? JSON.parse(event.data) : null, event));
  }
  return source;
}

export function link(href, text) {
  return el('a', { href }, text);
}

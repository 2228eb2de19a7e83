import { api, el, badge, when, follow, link, showProblem, status } from './lib.js';

const form = document.getElementById('filters');
const body = document.querySelector('#runs tbody');
const params = new URLSearchParams(location.search);
for (const name of ['status', 'playbook', 'target', 'ticket']) {
  if (params.get(name)) form.elements[name].value = params.get(name);
}

async function load() {
  const query = new URLSearchParams();
  for (const name of ['status', 'playbook', 'target', 'ticket']) {
    const value = form.elements[name].value.trim();
    if (value) query.set(name, value);
  }
  query.set('size', '50');
  try {
    const page = await api(`/api/v1/runs?${query}`);
    body.replaceChildren(...page.items.map(run => el('tr', { 'data-run': run.id },
      el('td', {}, link(`/console/runs/${run.id}`, run.id.slice(0, 8))),
      el('td', {}, run.playbook),
      el('td', { class: 'run-status' }, badge(run.status)),
      el('td', {}, (run.targets ?? []).join(', ')),
      el('td', {}, run.ticket ?? '—'),
      el('td', {}, run.requestedBy),
      el('td', {}, when(run.createdAt)))));
    document.getElementById('total').textContent = `${page.total} run(s) match.`;
    status('');
  } catch (e) {
    showProblem(e);
  }
}

let pending = null;
function soon() {
  clearTimeout(pending);
  pending = setTimeout(load, 200);
}

form.addEventListener('submit', event => {
  event.preventDefault();
  const query = new URLSearchParams(new FormData(form));
  history.replaceState(null, '', `?${[...query].filter(([, v]) => v).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`);
  load();
});
follow('/api/v1/runs', ['RunCreated', 'RunStatusChanged'], soon, document.getElementById('live'));
load();

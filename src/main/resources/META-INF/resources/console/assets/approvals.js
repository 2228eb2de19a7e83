import { api, el, badge, when, follow, link, showProblem } from './lib.js';
import { decisionForm } from './approve.js';

const waiting = document.getElementById('waiting');

function card(run) {
  const waits = run.targets.flatMap(t => t.steps.filter(s => s.status === 'WAITING_APPROVAL').map(s => [t.name, s.id]));
  return el('section', { class: 'lane', 'data-run': run.id },
    el('h2', {}, link(`/console/runs/${run.id}`, `${run.playbook} · run ${run.id.slice(0, 8)}`), ' ', badge(run.status)),
    el('dl', { class: 'facts' },
      el('dt', {}, 'Plan digest'), el('dd', {}, el('code', { class: 'digest' }, run.playbookDigest)),
      el('dt', {}, 'Requested by'), el('dd', {}, run.requestedBy),
      el('dt', {}, 'Ticket'), el('dd', {}, run.ticket ?? '—'),
      el('dt', {}, 'Created'), el('dd', {}, when(run.createdAt))),
    waits.map(([target, step]) => decisionForm(run, target, step, load)));
}

async function load() {
  try {
    const page = await api('/api/v1/runs?status=WAITING_APPROVAL&size=200');
    const runs = await Promise.all(page.items.map(item => api(`/api/v1/runs/${item.id}`)));
    waiting.replaceChildren(...(runs.length ? runs.map(card) : [el('p', { id: 'nothing' }, 'Nothing waits for an approval.')]));
  } catch (e) {
    showProblem(e);
  }
}

let pending = null;
follow('/api/v1/runs', ['RunCreated', 'RunStatusChanged'], () => { clearTimeout(pending); pending = setTimeout(load, 200); });
load();

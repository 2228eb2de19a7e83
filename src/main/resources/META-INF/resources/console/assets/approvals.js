import { api, el, badge, when, follow, link, showProblem } from './lib.js';
import { decisionForm } from './approve.js';

const waiting = document.getElementById('waiting');

/** The script the step's next attempt will send, as the service renders it for the engine, with its digest. */
function script(run, waiting) {
  const key = `${run.id}-${waiting.target}-${waiting.step}`;
  return el('div', { class: 'script', 'data-target': waiting.target, 'data-step': waiting.step },
    el('h3', { id: `script-${key}` }, `Script of ${waiting.step} on ${waiting.target} (attempt ${waiting.attempt})`),
    el('dl', { class: 'facts' },
      el('dt', {}, 'Script digest (SHA-256)'), el('dd', {}, el('code', { class: 'script-digest' }, waiting.scriptDigest))),
    el('pre', { class: 'script-text', tabindex: '0', 'aria-labelledby': `script-${key}` }, waiting.script));
}

function card(run, waiting) {
  return el('section', { class: 'lane', 'data-run': run.id },
    el('h2', {}, link(`/console/runs/${run.id}`, `${run.playbook} · run ${run.id.slice(0, 8)}`), ' ', badge(run.status)),
    el('dl', { class: 'facts' },
      el('dt', {}, 'Plan digest'), el('dd', {}, el('code', { class: 'digest' }, run.playbookDigest)),
      el('dt', {}, 'Requested by'), el('dd', {}, run.requestedBy),
      el('dt', {}, 'Ticket'), el('dd', {}, run.ticket ?? '—'),
      el('dt', {}, 'Created'), el('dd', {}, when(run.createdAt))),
    waiting.map(w => [script(run, w), decisionForm(run, w.target, w.step, load)]));
}

async function load() {
  try {
    const page = await api('/api/v1/runs?status=WAITING_APPROVAL&size=200');
    const cards = await Promise.all(page.items.map(async item => card(await api(`/api/v1/runs/${item.id}`),
      await api(`/api/v1/runs/${item.id}/approvals`))));
    waiting.replaceChildren(...(cards.length ? cards : [el('p', { id: 'nothing' }, 'Nothing waits for an approval.')]));
  } catch (e) {
    showProblem(e);
  }
}

let pending = null;
follow('/api/v1/runs', ['RunCreated', 'RunStatusChanged'], () => { clearTimeout(pending); pending = setTimeout(load, 200); });
load();

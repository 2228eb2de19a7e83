import { api, decided, el, badge, when, duration, facts, follow, link, roles, subject, resource, status, showProblem,
  PENDING_TEXT, UNDECIDED_TEXT } from './lib.js';
import { decisionForm } from './approve.js';

const id = resource;
const lanes = document.getElementById('lanes');
const live = document.getElementById('live');
const cancel = document.getElementById('cancel');
const retry = document.getElementById('retry');
const ENDED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
let run = null;
let source = null;
const EVENT_TYPES = ['RunRequested', 'RunStarted', 'TargetStarted', 'StepStarted', 'StepBegan', 'StepSucceeded',
  'StepSkipped', 'StepFailed', 'StepTimedOut', 'StepInterrupted', 'StepOutcomeUnknown', 'StepOutcomeFound',
  'StepRetryScheduled', 'ApprovalRequested', 'ApprovalGranted', 'ApprovalRejected', 'ApprovalTimedOut',
  'CompensationStarted', 'StepCompensated', 'CompensationFailed', 'TargetWaiting', 'CancelRequested',
  'TargetVerdictRecorded', 'TargetSucceeded', 'TargetFailed', 'TargetReleased', 'RunSucceeded', 'RunFailed',
  'RunCancelled'];

function outputs(map) {
  const entries = Object.entries(map ?? {});
  return entries.length ? entries.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ') : '—';
}

/** stdout and stderr live in the step's outcome event: fetched when asked for, for people who may read events. */
async function showOutput(target, step, holder) {
  try {
    const events = await api(`/api/v1/runs/${id}/events`);
    const outcome = events.filter(e => e.target === target && e.step === step
      && (e.type === 'StepSucceeded' || e.type === 'StepFailed')).pop();
    holder.replaceChildren(outcome
      ? el('div', { class: 'output' },
        el('h4', {}, `stdout (attempt ${outcome.attempt})`), el('pre', { tabindex: '0' }, outcome.data.stdout || '(empty)'),
        el('h4', {}, 'stderr'), el('pre', { tabindex: '0' }, outcome.data.stderr || '(empty)'))
      : el('p', { class: 'muted' }, 'No output recorded yet.'));
  } catch (e) {
    holder.replaceChildren(el('p', { class: 'problem' }, e.message));
  }
}

function lane(target) {
  const v = target.verdict;
  return el('section', { class: 'lane', 'data-target': target.name, 'aria-labelledby': `lane-${target.name}` },
    el('h2', { id: `lane-${target.name}` }, link(`/console/servers/${encodeURIComponent(target.name)}`, target.name), ' ', badge(target.status)),
    v ? el('p', { class: 'verdict', 'data-verdict': `${v.patch} ${v.compromise} ${v.service}` },
      'Verdict: ', badge(v.patch), ' ', badge(v.compromise), ' ', badge(v.service),
      v.reasons?.length ? el('span', { class: 'muted' }, ` — ${v.reasons.join('; ')}`) : null) : null,
    el('table', { class: 'grid steps' },
      el('caption', {}, `Steps on ${target.name}`),
      el('thead', {}, el('tr', {}, ['Step', 'Status', 'Attempts', 'Duration', 'Exit code', 'Outputs', 'Output']
        .map(h => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, target.steps.map(step => {
        const holder = el('div');
        const canRead = roles.has('auditor') || roles.has('admin');
        return [el('tr', { 'data-step': step.id },
          el('th', { scope: 'row' }, step.id),
          el('td', { class: 'step-status' }, badge(step.status)),
          el('td', {}, step.attempts),
          el('td', {}, duration(step.startedAt, step.finishedAt)),
          el('td', {}, step.exitCode ?? '—'),
          el('td', {}, outputs(step.outputs)),
          el('td', {}, canRead && step.attempts > 0
            ? el('button', { type: 'button', class: 'link', onclick: () => showOutput(target.name, step.id, holder) }, 'stdout/stderr')
            : '—')),
        el('tr', { class: 'output-row' }, el('td', { colspan: '7' }, holder,
          step.status === 'WAITING_APPROVAL' && roles.has('approver') ? decisionForm(run, target.name, step.id, load) : null))];
      }))));
}

function render() {
  facts(document.getElementById('summary'), [
    ['Status', badge(run.status)],
    ['Playbook', `${run.playbook}`],
    ['Plan digest', el('code', {}, run.playbookDigest)],
    ['Ticket', run.ticket],
    ['Requested by', run.requestedBy],
    ['Created', when(run.createdAt)],
    ['Finished', when(run.finishedAt)],
    ['Parameters', outputs(run.params)],
    // The links between runs: the run this one goes on from, and the run that went on from it.
    ['Retry of', run.retryOf ? el('a', { id: 'retry-of', href: `/console/runs/${run.retryOf}` }, run.retryOf) : null],
    ['Retried as', run.retriedAs ? el('a', { id: 'retried-as', href: `/console/runs/${run.retriedAs}` }, run.retriedAs) : null],
  ]);
  document.body.dataset.status = run.status;
  lanes.replaceChildren(...run.targets.map(lane));
  cancel.hidden = ENDED.has(run.status) || !(roles.has('admin') || (roles.has('operator') && run.requestedBy === subject));
  retry.hidden = !(run.status === 'FAILED' || run.status === 'CANCELLED') || Boolean(run.retriedAs)
    || !(roles.has('operator') || roles.has('admin'));
  if (ENDED.has(run.status)) {
    // The service ends an ended run's stream; left open, the browser would reconnect to it again and again.
    source?.close();
    source = null;
    live.textContent = 'The run has ended: this is its final state.';
  }
}

async function load() {
  try {
    run = await api(`/api/v1/runs/${id}`);
    render();
  } catch (e) {
    showProblem(e);
  }
}

let pending = null;
function soon() {
  clearTimeout(pending);
  pending = setTimeout(load, 150);
}

cancel.addEventListener('click', async () => {
  try {
    const answer = await decided(await api(`/api/v1/runs/${id}/cancel`, { method: 'POST', body: {} }),
      () => status(PENDING_TEXT));
    status(answer === null ? UNDECIDED_TEXT : 'Cancellation requested: running steps finish, then undo steps run.');
    load();
  } catch (e) {
    showProblem(e);
  }
});
retry.addEventListener('click', async () => {
  try {
    const next = await api(`/api/v1/runs/${id}/retry`, { method: 'POST', body: {} });
    location.assign(`/console/runs/${next.id}`);
  } catch (e) {
    showProblem(e);
  }
});

load().then(() => {
  if (run === null || ENDED.has(run.status)) {
    return;
  }
  // A person who may read events follows the run's own stream; anyone else the run list's status changes.
  if (roles.has('auditor') || roles.has('admin')) {
    source = follow(`/api/v1/runs/${id}/events`, ['message', ...EVENT_TYPES], soon, live);
  } else {
    source = follow('/api/v1/runs', ['RunStatusChanged'], (name, item) => { if (item?.id === id) soon(); }, live);
  }
});


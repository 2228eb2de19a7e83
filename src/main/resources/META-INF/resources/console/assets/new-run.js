import { api, el, status, showProblem } from './lib.js';

const form = document.getElementById('request');
const select = document.getElementById('playbook');
const names = document.getElementById('target-names');
const fields = document.getElementById('param-fields');
const send = document.getElementById('send');
const preview = document.getElementById('preview-result');
let playbooks = [];
// The request the preview showed: sending is allowed only for exactly that request.
let previewed = null;

function paramField(param) {
  const id = `param-${param.name}`;
  const attrs = { id, name: param.name, 'data-type': param.type, required: param.required, 'aria-describedby': `${id}-help` };
  let input;
  if (param.type === 'enum') {
    input = el('select', attrs, param.required ? null : el('option', { value: '' }, '(default)'),
      (param.values ?? []).map(value => el('option', { value, selected: String(param.defaultValue) === String(value) }, value)));
  } else if (param.type === 'boolean') {
    input = el('select', attrs, el('option', { value: '' }, '(default)'), el('option', { value: 'true' }, 'true'),
      el('option', { value: 'false' }, 'false'));
  } else {
    input = el('input', {
      ...attrs,
      type: param.type === 'secret' ? 'password' : param.type === 'integer' ? 'number' : 'text',
      autocomplete: param.type === 'secret' ? 'off' : null,
      pattern: param.pattern ?? null,
      placeholder: param.defaultValue !== null && param.defaultValue !== undefined && param.type !== 'secret' ? String(param.defaultValue) : null,
    });
  }
  const help = [param.description, `type ${param.type}`, param.required ? 'required' : 'optional',
    param.pattern ? `pattern ${param.pattern}` : null, param.type === 'secret' ? 'masked: never shown back' : null]
    .filter(Boolean).join(' · ');
  return el('div', { class: 'field' }, el('label', { for: id }, param.name), input, el('p', { id: `${id}-help`, class: 'muted' }, help));
}

function showPlaybook() {
  const playbook = playbooks.find(p => p.name === select.value);
  document.getElementById('playbook-description').textContent = playbook?.description ?? '';
  fields.replaceChildren(...(playbook?.params ?? []).map(paramField));
  if (!playbook?.params?.length) fields.append(el('p', { class: 'muted' }, 'This playbook takes no parameters.'));
  invalidate();
}

function request() {
  const params = {};
  for (const input of fields.querySelectorAll('[data-type]')) {
    const value = input.value.trim();
    if (value === '') continue;
    const type = input.dataset.type;
    params[input.name] = type === 'integer' ? Number(value) : type === 'boolean' ? value === 'true' : value;
  }
  const targetLabels = {};
  for (const pair of document.getElementById('labels').value.split(',').map(s => s.trim()).filter(Boolean)) {
    const [key, ...rest] = pair.split('=');
    targetLabels[key.trim()] = rest.join('=').trim();
  }
  const body = { playbook: select.value, params };
  const targets = [...names.querySelectorAll('input:checked')].map(box => box.value);
  if (targets.length) body.targets = targets;
  if (Object.keys(targetLabels).length) body.targetLabels = targetLabels;
  const ticket = document.getElementById('ticket').value.trim();
  if (ticket) body.ticket = ticket;
  return body;
}

/** One key per request sent (a double click sends it once); getRandomValues needs no secure context. */
function requestKey() {
  return `console-${Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, '0')).join('')}`;
}

function invalidate() {
  previewed = null;
  send.disabled = true;
  preview.hidden = true;
}

async function dryRun() {
  const body = request();
  try {
    const plan = await api('/api/v1/runs', { method: 'POST', body: { ...body, dryRun: true } });
    document.getElementById('preview-digest').textContent = plan.digest;
    document.getElementById('preview-targets').replaceChildren(...plan.targets.map(target =>
      el('section', { class: 'lane', 'data-target': target.name },
        el('h3', {}, target.name),
        target.steps.map(step => el('details', { class: 'script' },
          el('summary', {}, `${step.id}`, step.when ? ` (when ${step.when})` : '', step.description ? ` — ${step.description}` : ''),
          el('pre', { tabindex: '0' }, el('code', {}, step.script)))))));
    preview.hidden = false;
    previewed = JSON.stringify(body);
    send.disabled = false;
    status(`Dry run of ${plan.playbook} on ${plan.targets.map(t => t.name).join(', ')}: review the scripts, then request the run.`);
    document.getElementById('preview-heading').focus?.();
  } catch (e) {
    invalidate();
    showProblem(e);
  }
}

form.addEventListener('input', invalidate);
form.addEventListener('change', event => { if (event.target === select) showPlaybook(); else invalidate(); });
document.getElementById('preview').addEventListener('click', dryRun);
form.addEventListener('submit', async event => {
  event.preventDefault();
  const body = request();
  if (JSON.stringify(body) !== previewed) {
    invalidate();
    status('The form changed since the preview: preview it again before requesting the run.', 'problem');
    return;
  }
  try {
    const run = await api('/api/v1/runs', { method: 'POST', body, headers: { 'Idempotency-Key': requestKey() } });
    location.assign(`/console/runs/${run.id}`);
  } catch (e) {
    showProblem(e);
  }
});

async function start() {
  try {
    const [books, targets] = await Promise.all([api('/api/v1/playbooks'), api('/api/v1/targets')]);
    playbooks = books;
    select.replaceChildren(...books.map(p => el('option', { value: p.name }, p.name)));
    names.replaceChildren(...targets.map(t => el('label', { class: 'check' },
      el('input', { type: 'checkbox', name: 'target', value: t.name }),
      ` ${t.name} `, el('span', { class: 'muted' }, Object.entries(t.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(' ')))));
    showPlaybook();
  } catch (e) {
    showProblem(e);
  }
}
start();

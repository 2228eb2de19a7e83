import { api, el, badge, when, facts, link, resource, roles, showProblem } from './lib.js';

function evidenceLink(item) {
  const text = `${item.type}${item.step ? ` ${item.step}` : ''} · run ${item.runId.slice(0, 8)} #${item.seq} · ${item.hash.slice(0, 16)}…`;
  // An auditor follows the evidence into the run's verified chain; anyone else into the run.
  return roles.has('auditor') ? link(`/console/audit?run=${item.runId}#seq-${item.seq}`, text) : link(`/console/runs/${item.runId}`, text);
}

async function load() {
  try {
    const s = await api(`/api/v1/servers/${encodeURIComponent(resource)}`);
    facts(document.getElementById('verdict'), [
      ['Patch', badge(s.patch)], ['Compromise', badge(s.compromise)], ['Service', s.service ? badge(s.service) : '—'],
      ['Indicators', (s.indicators ?? []).join(', ') || 'none'], ['Reasons', (s.reasons ?? []).join('; ') || '—'],
      ['Since', when(s.verdictAt)],
      ['Labels', Object.entries(s.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(' ') || '—'],
    ]);
    document.getElementById('evidence').replaceChildren(...(s.evidence ?? []).map(item => el('li', {}, evidenceLink(item))));
    document.querySelector('#history tbody').replaceChildren(...(s.runs ?? []).map(r => el('tr', {},
      el('td', {}, link(`/console/runs/${r.runId}`, r.runId.slice(0, 8))), el('td', {}, r.playbook),
      el('td', {}, badge(r.status)), el('td', {}, r.targetEnd ?? '—'), el('td', {}, when(r.createdAt)))));
  } catch (e) {
    showProblem(e);
  }
}
load();

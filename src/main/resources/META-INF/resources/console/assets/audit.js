import { api, el, facts, status, showProblem } from './lib.js';

const form = document.getElementById('pick');
const input = document.getElementById('run-id');
const result = document.getElementById('result');

async function verify(id) {
  try {
    const [check, events] = await Promise.all([api(`/api/v1/runs/${id}/verification`), api(`/api/v1/runs/${id}/events`)]);
    const verdict = document.getElementById('verdict');
    verdict.textContent = check.verified
      ? `Verified: the chain of ${check.events} events is intact and matches its signed checkpoints.`
      : `NOT verified: ${check.problem ?? 'the chain does not hold'}${check.firstBadSeq ? ` (first bad event #${check.firstBadSeq})` : ''}.`;
    verdict.className = `verdict ${check.verified ? 'ok' : 'bad'}`;
    verdict.dataset.verified = String(check.verified);
    facts(document.getElementById('facts'), [
      ['Run', el('a', { href: `/console/runs/${id}` }, id)], ['Events', check.events],
      ['Signed checkpoints', check.checkpoints], ['Checkpointed up to event', check.checkpointedSeq || '—'],
    ]);
    document.getElementById('export').href = `/api/v1/runs/${id}/export`;
    document.getElementById('export').setAttribute('download', `run-${id}.jsonl`);
    document.querySelector('#chain tbody').replaceChildren(...events.map(e => el('tr', { id: `seq-${e.seq}` },
      el('td', {}, e.seq), el('td', {}, e.type), el('td', {}, e.target ?? ''), el('td', {}, e.step ?? ''),
      el('td', {}, e.actor ?? ''), el('td', {}, el('code', {}, (e.prevHash ?? '').slice(0, 16))),
      el('td', {}, el('code', {}, e.hash.slice(0, 16))))));
    result.hidden = false;
    status('');
    if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
  } catch (e) {
    result.hidden = true;
    showProblem(e);
  }
}

form.addEventListener('submit', event => {
  event.preventDefault();
  const id = input.value.trim();
  history.replaceState(null, '', `?run=${encodeURIComponent(id)}`);
  verify(id);
});
const initial = new URLSearchParams(location.search).get('run');
if (initial) {
  input.value = initial;
  verify(initial);
}

import { api, decided, el, subject, status, showProblem, PENDING_TEXT, UNDECIDED_TEXT } from './lib.js';

/**
 * Approve or reject one waiting step, with a comment. The service decides who may (never the requester of the run,
 * unless the playbook allows it): its refusal is shown under the buttons as it words it.
 */
export function decisionForm(run, target, step, done) {
  const key = `${run.id}-${target}-${step}`;
  const comment = el('input', { id: `comment-${key}`, name: 'comment', maxlength: '1000' });
  const answer = el('p', { class: 'answer', role: 'status' });
  const decide = verb => async () => {
    try {
      const answer = await decided(await api(`/api/v1/runs/${run.id}/approvals`,
        { method: 'POST', body: { step, target, decision: verb, comment: comment.value } }), () => status(PENDING_TEXT));
      status(answer === null ? UNDECIDED_TEXT
        : `${verb === 'APPROVE' ? 'Approved' : 'Rejected'} ${step} on ${target} of run ${run.id.slice(0, 8)}.`);
      done();
    } catch (e) {
      answer.textContent = e.message;
      answer.className = 'answer problem';
      showProblem(e);
    }
  };
  return el('div', { class: 'approve', 'data-run': run.id, 'data-target': target, 'data-step': step },
    el('h3', {}, `Approve ${step} on ${target}?`),
    run.requestedBy === subject ? el('p', { class: 'muted' }, 'You requested this run: the service will refuse your approval.') : null,
    el('label', { for: comment.id }, 'Comment'), comment,
    el('button', { type: 'button', class: 'approve-button', onclick: decide('APPROVE') }, 'Approve'),
    el('button', { type: 'button', class: 'reject-button', onclick: decide('REJECT') }, 'Reject'),
    answer);
}

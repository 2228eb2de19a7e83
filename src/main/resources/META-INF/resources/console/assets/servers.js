import { api, el, badge, when, link, showProblem } from './lib.js';

async function load() {
  try {
    const servers = await api('/api/v1/servers');
    document.querySelector('#servers tbody').replaceChildren(...servers.map(s => el('tr', { 'data-server': s.name },
      el('th', { scope: 'row' }, link(`/console/servers/${encodeURIComponent(s.name)}`, s.name)),
      el('td', {}, badge(s.patch)), el('td', {}, badge(s.compromise)), el('td', {}, s.service ? badge(s.service) : '—'),
      el('td', {}, when(s.verdictAt)),
      el('td', {}, Object.entries(s.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(' ')))));
  } catch (e) {
    showProblem(e);
  }
}
load();

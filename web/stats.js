// stats.js - the totals cards, the capture state line and the protocol
// distribution bars.

import { fmtBytes, fmtInt, h, protoClass } from './format.js';

const $ = (id) => document.getElementById(id);

function setCard(id, text, title) {
	const el = $(id);
	el.textContent = text;
	el.title = title || '';
}

export function renderTotals(stats) {
	const drops = (stats.dropped?.kernel ?? 0) + (stats.dropped?.queue ?? 0);
	setCard('total-frames', fmtInt(stats.frames));
	setCard('total-bytes', fmtBytes(stats.bytes), `${fmtInt(stats.bytes)} bytes`);
	setCard('total-broadcast', fmtInt(stats.broadcast));
	setCard('total-multicast', fmtInt(stats.multicast));
	setCard('total-dropped', fmtInt(drops),
		`kernel ${fmtInt(stats.dropped?.kernel ?? 0)}, queue ${fmtInt(stats.dropped?.queue ?? 0)}` +
		(stats.flows_evicted ? `; ${fmtInt(stats.flows_evicted)} flows evicted` : ''));
	setCard('total-malformed', fmtInt(stats.malformed), `${fmtInt(stats.truncated ?? 0)} truncated`);
	$('total-dropped').classList.toggle('warn', drops > 0);
	$('total-malformed').classList.toggle('warn', stats.malformed > 0);
}

export function renderProtocols(stats) {
	const list = $('proto-list');
	const protos = stats.protocols || [];
	const max = Math.max(1, ...protos.map((p) => p.frames));
	const total = Math.max(1, stats.frames || 0);
	if (!protos.length) {
		list.replaceChildren(h('li', { class: 'empty' }, 'No protocols yet.'));
		return;
	}
	list.replaceChildren(...protos.map((p) => {
		const pct = (100 * p.frames) / total;
		return h('li', { class: protoClass(p.name), title: `${p.name}: ${fmtInt(p.frames)} frames, ${fmtBytes(p.bytes)}` },
			h('span', { class: 'name' }, p.name),
			h('span', { class: 'count' }, `${fmtInt(p.frames)} \u00b7 ${pct < 10 ? pct.toFixed(1) : pct.toFixed(0)}%`),
			h('span', { class: 'track' }, h('span', { class: 'fill', style: `width:${(100 * p.frames) / max}%` })));
	}));
}

// The state of the capture being viewed: the daemon's live state when it is
// the daemon's current capture, else what the capture list says.
export function renderState(status, capture) {
	const badge = $('cap-state');
	const live = status && capture && status.capture && status.capture.capture_id === capture.id;
	const state = live ? status.capture.state : capture ? (capture.running ? 'running' : 'done') : 'idle';
	badge.textContent = state;
	badge.dataset.state = state;
	badge.title = live && status.capture.error ? status.capture.error : '';
	const src = capture ? `${capture.kind === 'live' ? 'interface' : 'file'} ${capture.source}` : '';
	$('cap-source').textContent = src + (capture && capture.filter ? `  [${capture.filter}]` : '');
	$('cap-source').title = src;
	$('version').textContent = status ? `v${status.version}` : '';
}

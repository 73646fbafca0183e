// overview.js - the Overview view: live rate charts fed by the
// Server-Sent Events stream (/api/v1/events), the capture controls
// (interface picker, BPF filter, start / pause / resume / stop) and the
// top talkers.  No authentication exists yet, so the controls are always
// shown; a refused action shows the API's error.

import { api, apiHref } from './api.js';
import { RateChart } from './chart.js';
import { clearError, showError } from './errorbar.js';
import { fmtBytes, fmtInt, h } from './format.js';
import { stationFilter } from './filterexpr.js';

const $ = (id) => document.getElementById(id);

function fmtRate(v, unit) {
	if (!Number.isFinite(v))
		return '\u2013';
	const k = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k']].find(([d]) => v >= d);
	return k ? `${(v / k[0]).toFixed(v / k[0] < 10 ? 2 : 1)} ${k[1]}${unit}` : `${Math.round(v)} ${unit}`;
}

export class Overview {
	constructor({ onTotals, onState, onAlert, openFrames }) {
		this.onTotals = onTotals;
		this.onAlert = onAlert;
		this.onState = onState;
		this.openFrames = openFrames;
		this.prev = null;
		this.events = 0;
		this.charts = {
			fps: new RateChart($('chart-fps'), { color: '#2563eb', fmt: (v) => fmtRate(v, '') }),
			bps: new RateChart($('chart-bps'), { color: '#16a34a', fmt: (v) => fmtRate(v, 'b') }),
			drops: new RateChart($('chart-drops'), { color: '#dc2626', fmt: (v) => fmtRate(v, '') }),
		};
		$('start-form').addEventListener('submit', (e) => {
			e.preventDefault();
			this.start();
		});
		$('live-caps').addEventListener('click', (e) => {
			const b = e.target.closest('button[data-act]');
			if (b)
				this.control(Number(b.dataset.id), b.dataset.act);
		});
		this.connect();
	}

	connect() {
		const es = new EventSource(apiHref('events'));
		this.es = es;
		es.addEventListener('open', () => {
			clearError('events');
			$('live-info').textContent = 'connected';
		});
		es.addEventListener('totals', (e) => this.totals(JSON.parse(e.data)));
		es.addEventListener('state', (e) => this.onState(JSON.parse(e.data)));
		es.addEventListener('alert', (e) => this.onAlert?.(JSON.parse(e.data)));
		es.addEventListener('error', () => {
			// EventSource reconnects by itself; say so instead of hiding it.
			$('live-info').textContent = 'event stream lost, reconnecting\u2026';
			if (es.readyState === EventSource.CLOSED)
				showError('events', { message: 'events: the event stream was refused (too many streams?)' });
		});
	}

	totals(o) {
		this.events++;
		const t = Date.now() / 1000;
		const caps = o.captures || [];
		const frames = caps.reduce((a, c) => a + (c.counters?.frames ?? 0), 0);
		const bytes = caps.reduce((a, c) => a + (c.counters?.bytes ?? 0), 0);
		const drops = (o.dropped?.queue ?? 0) + (o.dropped?.kernel ?? 0);
		const cur = { t, frames, bytes, drops };
		if (this.prev) {
			const dt = Math.max(0.001, t - this.prev.t);
			const rate = (k) => Math.max(0, (cur[k] - this.prev[k]) / dt);
			this.charts.fps.push(t, rate('frames'));
			this.charts.bps.push(t, rate('bytes') * 8);
			this.charts.drops.push(t, rate('drops'));
			$('rate-fps').textContent = fmtRate(this.charts.fps.last, 'fps');
			$('rate-bps').textContent = fmtRate(this.charts.bps.last, 'bps');
			$('rate-drops').textContent = fmtRate(this.charts.drops.last, '/s');
		}
		this.prev = cur;
		$('live-info').textContent = `live \u00b7 ${fmtInt(o.frames_stored)} frames stored \u00b7 ${fmtInt(drops)} dropped`;
		$('live-info').dataset.frames = String(frames);
		this.renderCaptures(caps);
		this.onTotals(o);
	}

	async loadInterfaces() {
		try {
			const r = await api.interfaces();
			const sel = $('iface-select');
			const keep = sel.value;
			sel.replaceChildren(...(r.interfaces || []).map((i) => {
				const addr = (i.addresses || []).find((a) => a.family === 'ipv4')?.address;
				const o = h('option', { value: i.name }, `${i.name}${addr ? ` (${addr})` : ''}${i.up ? '' : ' \u2013 down'}`);
				o.disabled = !i.can_capture;
				return o;
			}));
			if (keep)
				sel.value = keep;
			clearError('interfaces');
		} catch (e) {
			showError('interfaces', e);
		}
	}

	async start() {
		const body = { interface: $('iface-select').value };
		const f = $('bpf-input').value.trim();
		if (f)
			body.filter = f;
		try {
			const c = await api.startCapture(body);
			clearError('control');
			this.onState(c);
		} catch (e) {
			showError('control', e);
		}
	}

	async control(id, act) {
		try {
			const c = await api.control(id, act);
			clearError('control');
			this.onState(c);
		} catch (e) {
			showError('control', e);
		}
	}

	renderCaptures(caps) {
		const live = caps.filter((c) => c.kind === 'live' || c.state === 'running');
		const btn = (c, act, label) => h('button', { type: 'button', dataset: { act, id: c.id } }, label);
		$('live-caps').replaceChildren(...(live.length ? live.map((c) => h('li', { dataset: { id: c.id, state: c.state } },
			h('span', { class: 'badge small', dataset: { state: c.state } }, c.state),
			h('span', { class: 'lc-src mono' }, `#${c.id} ${c.source}${c.filter ? ` [${c.filter}]` : ''}`),
			h('span', { class: 'lc-count' }, `${fmtInt(c.counters?.frames ?? 0)} frames, ${fmtBytes(c.counters?.bytes ?? 0)}`),
			h('span', { class: 'lc-btns' },
				c.state === 'running' ? btn(c, 'pause', 'Pause') : null,
				c.state === 'paused' ? btn(c, 'resume', 'Resume') : null,
				c.state === 'running' || c.state === 'paused' ? btn(c, 'stop', 'Stop') : null)))
			: [h('li', { class: 'empty' }, 'No live capture in this daemon.')]));
	}

	async loadTalkers(capture) {
		const r = await api.table('stations', { capture, sort: 'bytes', order: 'desc', limit: 8 });
		const rows = r.stations || [];
		const max = Math.max(1, ...rows.map((s) => s.bytes));
		$('talker-list').replaceChildren(...(rows.length ? rows.map((s) => {
			const li = h('li', { class: 'link', title: `Show frames: ${stationFilter(s)}` },
				h('span', { class: 'name mono' }, s.address),
				h('span', { class: 'count' }, `${fmtBytes(s.bytes)} \u00b7 ${fmtInt(s.frames)} fr`),
				h('span', { class: 'track' }, h('span', { class: 'fill', style: `width:${(100 * s.bytes) / max}%` })));
			li.addEventListener('click', () => this.openFrames(stationFilter(s)));
			return li;
		}) : [h('li', { class: 'empty' }, 'No stations yet.')]));
	}
}

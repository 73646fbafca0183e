// alerts.js - the alert list: fired capture triggers, newest first.  It
// loads what the daemon remembers (GET /alerts, paged with after=) and then
// follows the event stream's `alert` events; the tab shows how many arrived
// since the list was last looked at.

import { api } from './api.js';
import { h } from './format.js';

const MAX_SHOWN = 1000; // the daemon keeps 1000 too

export class Alerts {
	constructor({ table, info, badge, onOpenCapture, onError }) {
		this.table = table;
		this.info = info;
		this.badge = badge;
		this.onOpenCapture = onOpenCapture;
		this.onError = onError;
		this.items = []; // newest first
		this.lastId = 0;
		this.dropped = 0;
		this.unseen = 0;
		this.visible = false;
	}

	async load() {
		for (;;) {
			const r = await api.alerts(this.lastId, 1000);
			const got = r.alerts || [];
			this.dropped = r.dropped || 0;
			for (const a of got)
				this.add(a, false);
			if (got.length < 1000)
				break;
		}
		this.render();
	}

	// From the event stream (or a page of load()).
	add(a, live = true) {
		if (a.id <= this.lastId)
			return;
		this.lastId = a.id;
		this.items.unshift(a);
		this.items.length = Math.min(this.items.length, MAX_SHOWN);
		if (live && !this.visible)
			this.unseen++;
		if (live)
			this.render();
	}

	show(visible) {
		this.visible = visible;
		if (visible)
			this.unseen = 0;
		this.render();
	}

	render() {
		this.badge.textContent = this.unseen ? String(this.unseen) : '';
		this.badge.hidden = !this.unseen;
		if (!this.visible)
			return;
		const rows = this.items.map((a) => {
			const open = h('a', { href: '#', title: 'Show its frames' }, String(a.capture_id));
			open.addEventListener('click', (e) => {
				e.preventDefault();
				this.onOpenCapture(a.capture_id);
			});
			return h('tr', { dataset: { id: a.id } },
				h('td', { class: 'num' }, a.id),
				h('td', null, a.time),
				h('td', { class: 'num' }, open),
				h('td', null, a.trigger),
				h('td', null, h('span', { class: 'badge small', dataset: { action: a.action } }, a.action)),
				h('td', null, a.message));
		});
		const head = h('tr', null, ...['ID', 'Time', 'Capture', 'Trigger', 'Action', 'Message']
			.map((l, i) => h('th', { class: i === 0 || i === 2 ? 'num' : null }, l)));
		this.table.replaceChildren(...[h('table', { class: 'grid' }, h('thead', null, head), h('tbody', null, ...rows)),
			!rows.length && h('p', { class: 'empty' },
				'No alerts. A capture started with a trigger (POST /api/v1/captures "trigger") raises one when it fires.')]
			.filter(Boolean));
		const more = this.dropped ? ` (${this.dropped} older ones forgotten by the daemon)` : '';
		this.info.textContent = `${this.items.length} alert${this.items.length === 1 ? '' : 's'}${more}`;
	}
}

// tables.js - the statistics tables (stations, conversations, protocol
// hierarchy) and the capture list.  Server tables sort and page on the
// server (sort=, order=, limit=, offset=); a click on an address or a
// conversation opens the frame view with the filter Wireshark would build.

import { api } from './api.js';
import { conversationFilter, stationFilter } from './filterexpr.js';
import { fmtBytes, fmtInt, h } from './format.js';

const PAGE = 50;

const num = (k, label, fmt = fmtInt) => ({ key: k, label, num: true, fmt: (r) => fmt(r[k]) });
const text = (k, label) => ({ key: k, label, fmt: (r) => r[k] ?? '' });
const dur = (ns) => (Number.isFinite(ns) ? (ns / 1e9).toFixed(6) : '\u2013');
const when = (t) => (t ? t.replace('T', ' ').replace(/\.(\d{6})\d*Z$/, '.$1') : '\u2013');

// A server-side sorted, paged table.
export class DataTable {
	constructor({ root, info, columns, fetch, sort, onRow, rowTitle }) {
		this.root = root;
		this.info = info;
		this.columns = columns;
		this.fetch = fetch;
		this.sort = sort || 'bytes';
		this.order = 'desc';
		this.offset = 0;
		this.onRow = onRow;
		this.rowTitle = rowTitle;
		this.token = 0;
	}

	reset() {
		this.offset = 0;
	}

	async load() {
		const token = ++this.token;
		const rows = await this.fetch({ sort: this.sort, order: this.order, limit: PAGE, offset: this.offset });
		if (token === this.token && (!this.isCurrent || this.isCurrent()))
			this.render(rows);
		return rows;
	}

	header() {
		return h('tr', null, ...this.columns.map((c) => {
			const active = c.key === this.sort;
			const th = h('th', {
				class: [c.num && 'num', c.sort !== false && 'sortable', active && `sorted ${this.order}`].filter(Boolean).join(' '),
				dataset: { key: c.key },
				'aria-sort': active ? (this.order === 'asc' ? 'ascending' : 'descending') : null,
			}, c.label);
			if (c.sort !== false)
				th.addEventListener('click', () => {
					this.order = active && this.order === 'desc' ? 'asc' : active ? 'desc' : c.num ? 'desc' : 'asc';
					this.sort = c.key;
					this.offset = 0;
					this.load().catch((e) => this.fail(e));
				});
			return th;
		}));
	}

	render(rows) {
		const body = rows.map((r) => h('tr', { class: this.onRow ? 'link' : null, title: this.rowTitle?.(r) },
			...this.columns.map((c) => h('td', { class: c.num ? 'num' : null }, c.fmt(r)))));
		body.forEach((tr, i) => this.onRow && tr.addEventListener('click', () => this.onRow(rows[i])));
		const prev = h('button', { type: 'button', class: 'tp-prev' }, '\u2039 Prev');
		const next = h('button', { type: 'button', class: 'tp-next' }, 'Next \u203a');
		prev.disabled = this.offset === 0;
		next.disabled = rows.length < PAGE;
		prev.addEventListener('click', () => this.page(-PAGE));
		next.addEventListener('click', () => this.page(PAGE));
		const range = rows.length ? `${fmtInt(this.offset + 1)}\u2013${fmtInt(this.offset + rows.length)}` : 'none';
		this.root.replaceChildren(...[
			h('table', { class: 'grid' }, h('thead', null, this.header()), h('tbody', null, ...body)),
			!rows.length && h('p', { class: 'empty' }, 'No rows.'),
			h('div', { class: 'tpager' }, prev, h('span', { class: 'tp-range' }, `rows ${range}`), next),
		].filter(Boolean));
		this.info.textContent = `sorted by ${this.sort} ${this.order}`;
	}

	page(delta) {
		this.offset = Math.max(0, this.offset + delta);
		this.load().catch((e) => this.fail(e));
	}

	fail(e) {
		this.onError?.(e);
	}
}

export function stationsTable(root, info, ctx) {
	const t = new DataTable({
		root, info,
		columns: [
			{ key: 'address', label: 'Address', fmt: (r) => h('a', { class: 'addr' }, r.address) },
			{ key: 'kind', label: 'Type', sort: false, fmt: (r) => r.kind },
			num('frames', 'Frames'), num('bytes', 'Bytes', fmtBytes),
			num('tx_frames', 'Tx frames'), num('tx_bytes', 'Tx bytes', fmtBytes),
			num('rx_frames', 'Rx frames'), num('rx_bytes', 'Rx bytes', fmtBytes),
			num('tx_broadcast', 'Tx bcast'), num('tx_multicast', 'Tx mcast'),
			{ key: 'first_ns', label: 'First seen', fmt: (r) => when(r.first_time) },
		],
		fetch: async (p) => (await api.table('stations', { ...p, capture: ctx.capture(), type: ctx.kind() || undefined })).stations || [],
		onRow: (r) => ctx.open(stationFilter(r)),
		rowTitle: (r) => `Show frames: ${stationFilter(r)}`,
	});
	t.onError = ctx.onError;
	return t;
}

export function conversationsTable(root, info, ctx) {
	// All types draw into one root: a late answer for the type shown before
	// must not draw over the one chosen since.
	let current = null;
	const make = (type) => {
		const flow = type === 'tcp' || type === 'udp';
		const cols = [text('address_a', 'Address A')];
		if (flow)
			cols.push(num('port_a', 'Port A', String));
		cols.push(text('address_b', 'Address B'));
		if (flow)
			cols.push(num('port_b', 'Port B', String));
		cols.push(num('frames', 'Frames'), num('bytes', 'Bytes', fmtBytes),
			num('frames_ab', 'Frames A\u2192B'), num('bytes_ab', 'Bytes A\u2192B', fmtBytes),
			num('frames_ba', 'Frames B\u2192A'), num('bytes_ba', 'Bytes B\u2192A', fmtBytes),
			{ key: 'start_ns', label: 'Start', fmt: (r) => when(r.start_time) },
			{ key: 'duration_ns', label: 'Duration (s)', num: true, fmt: (r) => dur(r.duration_ns) });
		if (type === 'tcp')
			cols.push({ key: 'state', label: 'State', sort: false, fmt: (r) => r.state || '' });
		const t = new DataTable({
			root, info, columns: cols,
			fetch: async (p) => (await api.table('conversations', { ...p, type, capture: ctx.capture() })).conversations || [],
			onRow: (r) => ctx.open(conversationFilter(type, r)),
			rowTitle: (r) => `Show frames: ${conversationFilter(type, r)}`,
		});
		t.onError = ctx.onError;
		t.isCurrent = () => current === t;
		current = t;
		return t;
	};
	return make;
}

/* ---- protocol hierarchy (a tree, sorted among siblings) ---- */

export class PhsTable {
	constructor(root, info, ctx) {
		this.root = root;
		this.info = info;
		this.ctx = ctx;
		this.sort = 'frames';
		this.order = 'desc';
		this.tree = null;
	}

	async load() {
		const r = await api.table('protocols', { capture: this.ctx.capture() });
		this.tree = r.hierarchy;
		this.render();
		this.info.textContent = r.truncated ? 'truncated' : '';
	}

	flatten(n, depth, out, total, totalBytes) {
		out.push({ n, depth, total, totalBytes });
		const kids = [...(n.children || [])].sort((a, b) => {
			const x = this.sort === 'name' ? a.name.localeCompare(b.name) : a[this.sort] - b[this.sort];
			return this.order === 'asc' ? x : -x;
		});
		for (const k of kids)
			this.flatten(k, depth + 1, out, total, totalBytes);
		return out;
	}

	render() {
		if (!this.tree) {
			this.root.replaceChildren(h('p', { class: 'empty' }, 'No frames.'));
			return;
		}
		const rows = this.flatten(this.tree, 0, [], this.tree.frames || 1, this.tree.bytes || 1);
		const pct = (a, b) => `${((100 * a) / Math.max(1, b)).toFixed(2)}%`;
		const cols = [['name', 'Protocol'], ['pct', '% Frames'], ['frames', 'Frames'], ['pctb', '% Bytes'], ['bytes', 'Bytes']];
		const head = h('tr', null, ...cols.map(([k, label]) => {
			const sortable = k === 'name' || k === 'frames' || k === 'bytes';
			const th = h('th', { class: [k !== 'name' && 'num', sortable && 'sortable', this.sort === k && `sorted ${this.order}`].filter(Boolean).join(' '), dataset: { key: k } }, label);
			if (sortable)
				th.addEventListener('click', () => {
					this.order = this.sort === k && this.order === 'desc' ? 'asc' : 'desc';
					this.sort = k;
					this.render();
				});
			return th;
		}));
		const body = rows.map(({ n, depth, total, totalBytes }) => {
			const tr = h('tr', { class: depth ? 'link' : null, dataset: { proto: n.name }, title: depth ? `Show frames: ${n.name}` : null },
				h('td', { class: 'phs-name', style: `padding-left:${8 + depth * 16}px` }, n.name),
				h('td', { class: 'num' }, h('span', { class: 'pbar' }, h('span', { style: `width:${(100 * n.frames) / total}%` })), pct(n.frames, total)),
				h('td', { class: 'num' }, fmtInt(n.frames)),
				h('td', { class: 'num' }, pct(n.bytes, totalBytes)),
				h('td', { class: 'num' }, fmtBytes(n.bytes)));
			if (depth)
				tr.addEventListener('click', () => this.ctx.open(n.name));
			return tr;
		});
		this.root.replaceChildren(h('table', { class: 'grid' }, h('thead', null, head), h('tbody', null, ...body)));
	}
}

/* ---- captures ---- */

// onDelete(capture) is offered for captures that are not running or paused.
export function renderCaptures(root, info, captures, status, onOpen, onDelete) {
	const live = new Map((status?.captures || []).map((c) => [c.id, c]));
	const rows = [...captures].reverse().map((c) => {
		const st = live.get(c.id)?.state || (c.running ? 'running' : 'stored');
		const tr = h('tr', { class: 'link', dataset: { id: c.id }, title: 'Show its frames' },
			h('td', { class: 'num' }, c.id),
			h('td', null, h('span', { class: 'badge small', dataset: { state: st } }, st)),
			h('td', null, c.kind),
			h('td', { class: 'mono', title: c.source }, c.source),
			h('td', { class: 'mono' }, c.filter || ''),
			h('td', null, when(c.first_time)),
			h('td', null, when(c.last_time)),
			h('td', { class: 'num' }, fmtInt(c.frames)),
			h('td', { class: 'num', title: `${fmtInt(c.bytes)} bytes` }, fmtBytes(c.bytes)),
			h('td', null, deleteButton(c, st, onDelete)));
		tr.addEventListener('click', (e) => {
			if (!e.target.closest('button'))
				onOpen(c.id);
		});
		return tr;
	});
	const head = h('tr', null, ...['ID', 'State', 'Kind', 'Source', 'Filter', 'First frame', 'Last frame', 'Frames', 'Size', '']
		.map((l, i) => h('th', { class: i === 0 || (i > 6 && i < 9) ? 'num' : null }, l)));
	root.replaceChildren(...[h('table', { class: 'grid' }, h('thead', null, head), h('tbody', null, ...rows)),
		!rows.length && h('p', { class: 'empty' }, 'No captures in the database.')].filter(Boolean));
	info.textContent = `${captures.length} capture${captures.length === 1 ? '' : 's'}`;
}

function deleteButton(c, st, onDelete) {
	if (st === 'running' || st === 'paused')
		return h('span', { class: 'muted', title: 'Stop the capture before deleting it' }, '');
	const b = h('button', { type: 'button', class: 'danger small', title: `Delete capture ${c.id} and its frames` }, 'Delete');
	b.dataset.delete = c.id;
	b.addEventListener('click', () => onDelete(c));
	return b;
}

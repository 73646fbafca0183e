// frames.js - the frame summary list as a virtual list: only the rows in
// view exist in the DOM, and rows are fetched a page at a time when they
// come into view, so a capture of millions of frames scrolls as fast as one
// of a hundred.
//
// A page near one already loaded is chained from it with the API's
// next_cursor (one indexed query, however deep); a page far from any is
// asked for by position (offset=, which the server skips in SQL when the
// filter is exact; a residual filter re-dissects what it skips, so it is
// only used for jumps); the tail comes from order=desc.  Positions, not
// frame numbers: numbers have gaps (queue drops, evicted frames).  Browsers cap an element's
// height (~16M px in Firefox), so beyond MAX_PX the scroll position maps to
// a row by proportion instead of by pixel.

import { api } from './api.js';
import { fmtTime, h, protoClass } from './format.js';

const ROW_PX = 22;
export const PAGE = 200;
const CHAIN_LIMIT = 5000; // rows per request when walking a filtered list
const CHAIN_PAGES = 3;    // walk from a loaded page at most this far back; farther: offset=
const MAX_PX = 12e6;
const TAIL_ROWS = 2000;

export class FrameSource {
	constructor(capture, filter, total, onError) {
		this.capture = capture;
		this.filter = filter || '';
		this.total = total;
		this.onError = onError;
		this.rows = new Map();    // index -> frame summary
		this.after = new Map();   // index -> next_cursor after that row (filtered)
		this.pending = new Map(); // page -> promise
		this.abort = new AbortController();
		this.chain = Promise.resolve(); // filtered walks, one at a time
		this.wanted = () => true;       // is page p still worth loading?
	}

	close() {
		this.abort.abort();
	}

	has(i) {
		return this.rows.has(i);
	}

	// Load the page holding row i; resolves when it is in `rows`.
	ensure(i) {
		const p = Math.floor(i / PAGE);
		if (this.rows.has(i) && this.loaded(p))
			return Promise.resolve();
		if (!this.pending.has(p)) {
			// Walks of a filtered list run one after another, so each one
			// starts from where the previous one stopped.
			const walk = this.filter && !this.isTail(p);
			const run = walk ? this.chain.then(() => this.loadPage(p)) : this.loadPage(p);
			if (walk)
				this.chain = run.catch(() => {});
			const job = run.catch((e) => {
				if (!this.abort.signal.aborted)
					this.onError(e);
			}).finally(() => this.pending.delete(p));
			this.pending.set(p, job);
		}
		return this.pending.get(p);
	}

	put(start, frames, cursor) {
		frames.forEach((f, k) => this.rows.set(start + k, f));
		if (frames.length && cursor)
			this.after.set(start + frames.length - 1, cursor);
	}

	// Pages near the end of a filtered list come from order=desc: no walk.
	isTail(p) {
		return p > 0 && this.total - p * PAGE <= TAIL_ROWS;
	}

	loaded(p) {
		const last = Math.min(this.total, (p + 1) * PAGE) - 1;
		return this.rows.has(p * PAGE) && this.rows.has(last);
	}

	// Forget the rows from `index` on (a live list grew past them).
	dropFrom(index) {
		this.numbering = null; // the count changed: look again
		for (const m of [this.rows, this.after]) {
			for (const k of [...m.keys()]) {
				if (k >= index)
					m.delete(k);
			}
		}
	}

	// The number of row 0 when the unfiltered list is numbered without gaps
	// (first and last numbers span exactly `total`), else null.  Then any
	// page is one indexed query, where an offset walks every skipped row.
	firstNumber(sig) {
		if (!this.numbering) {
			const one = (order) => api.frames(this.capture, 1, null, order, 'frame', sig).then((r) => r.frames?.[0]?.number);
			this.numbering = Promise.all([one(null), one('desc')]).then(([a, z]) =>
				(a != null && z - a + 1 === this.total ? a : null));
			this.numbering.catch(() => (this.numbering = null));
		}
		return this.numbering;
	}

	async loadPage(p) {
		const start = p * PAGE;
		const sig = this.abort.signal;
		if (this.loaded(p) || (!this.isTail(p) && !this.wanted(p)))
			return;
		const filter = this.filter || 'frame';
		const base = this.filter || start === 0 ? null : await this.firstNumber(sig);
		if (base != null) { // numbered without gaps: row i is frame base + i
			const r = await api.frames(this.capture, PAGE, null, null, `frame.number >= ${base + start}`, sig);
			this.put(start, r.frames || [], r.next_cursor);
			return;
		}
		if (this.isTail(p)) {
			// The tail: the newest frames, no walk needed.
			const n = this.total - start;
			const r = await api.frames(this.capture, Math.max(n, 1), null, 'desc', filter, sig);
			this.put(this.total - (r.frames || []).length, (r.frames || []).reverse(), null);
			return;
		}
		// Walk from the last row before `start` whose cursor we know.
		let from = -1;
		for (const k of this.after.keys()) {
			if (k < start && k > from)
				from = k;
		}
		if (start - from > CHAIN_PAGES * PAGE) {
			const r = await api.frames(this.capture, PAGE, null, null, filter, sig, start);
			this.put(start, r.frames || [], r.next_cursor);
			return;
		}
		let cursor = from >= 0 ? this.after.get(from) : null;
		let at = from + 1;
		while (at < start + PAGE && at < this.total) {
			const want = Math.min(CHAIN_LIMIT, start + PAGE - at);
			const r = await api.frames(this.capture, want, cursor, null, filter, sig);
			const frames = r.frames || [];
			this.put(at, frames, r.next_cursor);
			at += frames.length;
			cursor = r.next_cursor;
			if (!cursor || !frames.length)
				break;
		}
	}
}

export class FrameList {
	constructor({ scroller, body, sizer, empty, onSelect, onRange }) {
		this.scroller = scroller;
		this.body = body;
		this.sizer = sizer;
		this.empty = empty;
		this.onSelect = onSelect;
		this.onRange = onRange || (() => {});
		this.source = null;
		this.firstTime = null;
		this.timeMode = 'relative';
		this.selected = null; // {index, number}
		this.first = 0;       // index of the first row in view
		this.follow = false;  // stay at the end as frames arrive
		this.raf = 0;
		scroller.addEventListener('scroll', () => this.schedule());
		new ResizeObserver(() => this.layout()).observe(scroller);
		body.addEventListener('click', (e) => {
			const row = e.target.closest('.frow[data-index]');
			if (row && row.dataset.number)
				this.selectIndex(Number(row.dataset.index), true);
		});
	}

	get total() {
		return this.source ? this.source.total : 0;
	}

	// Show a new list (another capture or filter).
	setSource(source, firstTime) {
		if (this.source)
			this.source.close();
		this.source = source;
		if (source)
			source.wanted = (p) => Math.abs(p * PAGE - this.first) <= 3 * PAGE ||
				(this.target != null && Math.floor(this.target / PAGE) === p);
		this.firstTime = firstTime;
		this.selected = null;
		this.scroller.scrollTop = 0;
		this.layout();
	}

	// More frames arrived in the same list (a live capture).
	grow(total) {
		if (!this.source || total === this.source.total)
			return;
		const atEnd = this.follow || this.isAtEnd();
		const old = this.source.total;
		this.source.total = total;
		// The page that was short at the old end must be fetched again.
		this.source.dropFrom(Math.floor(Math.max(0, old - 1) / PAGE) * PAGE);
		this.layout();
		if (atEnd)
			this.scrollToIndex(total - 1, 'end');
	}

	// The real size of a list shown before its count was known.
	setTotal(total) {
		if (!this.source)
			return;
		this.source.total = total;
		this.source.counting = false;
		this.layout();
	}

	setTimeMode(mode) {
		this.timeMode = mode;
		this.render();
	}

	viewRows() {
		return Math.max(1, Math.floor(this.scroller.clientHeight / ROW_PX));
	}

	fullPx() {
		return this.total * ROW_PX;
	}

	layout() {
		const px = Math.min(this.fullPx(), MAX_PX);
		this.sizer.style.height = `${px}px`;
		this.empty.hidden = this.total > 0 || !this.source;
		this.schedule();
	}

	isAtEnd() {
		const s = this.scroller;
		return s.scrollTop + s.clientHeight >= s.scrollHeight - 2;
	}

	// The row at the top of the view and the pixel offset of its top edge.
	position() {
		const s = this.scroller;
		const full = this.fullPx();
		if (full <= MAX_PX)
			return { first: Math.floor(s.scrollTop / ROW_PX), shift: s.scrollTop % ROW_PX };
		const max = Math.max(1, s.scrollHeight - s.clientHeight);
		const rows = Math.max(0, this.total - this.viewRows());
		return { first: Math.round((s.scrollTop / max) * rows), shift: 0 };
	}

	// Set scrollTop so that row i is in view (align: 'start'|'end'|'center'|'nearest').
	scrollToIndex(i, align = 'nearest') {
		const s = this.scroller;
		const vis = this.viewRows();
		const { first } = this.position();
		let top;
		if (align === 'nearest') {
			if (i >= first && i < first + vis)
				return;
			align = i < first ? 'start' : 'end';
		}
		if (align === 'start')
			top = i;
		else if (align === 'end')
			top = i - vis + 1;
		else
			top = i - Math.floor(vis / 2);
		top = Math.max(0, Math.min(top, this.total - vis));
		if (this.fullPx() <= MAX_PX)
			s.scrollTop = top * ROW_PX;
		else
			s.scrollTop = (top / Math.max(1, this.total - vis)) * (s.scrollHeight - s.clientHeight);
		this.schedule();
	}

	schedule() {
		if (!this.raf)
			this.raf = requestAnimationFrame(() => {
				this.raf = 0;
				this.render();
			});
	}

	render() {
		const src = this.source;
		const { first, shift } = this.position();
		const vis = this.viewRows() + 2;
		this.first = first;
		this.follow = this.total > 0 && this.isAtEnd();
		const end = Math.min(this.total, first + vis);
		const rows = [];
		const missing = [];
		for (let i = first; i < end; i++) {
			const f = src && src.rows.get(i);
			if (!f)
				missing.push(i);
			rows.push(this.row(i, f, src && (i === 0 ? f : src.rows.get(i - 1))));
		}
		this.body.style.transform = `translateY(${this.scroller.scrollTop - shift}px)`;
		this.body.replaceChildren(...rows);
		this.onRange(first, end, this.total);
		if (missing.length && src) {
			const want = new Set(missing.map((i) => Math.floor(i / PAGE)));
			for (const p of want)
				src.ensure(p * PAGE).then(() => {
					if (src === this.source)
						this.schedule();
				});
		}
	}

	row(i, f, prev) {
		if (!f)
			return h('div', { class: 'frow loading', dataset: { index: i } }, h('span', { class: 'c-no' }, '\u2026'));
		const flags = [f.malformed && 'malformed', f.truncated && 'truncated'].filter(Boolean);
		const sel = this.selected && this.selected.index === i;
		return h('div', {
			class: ['frow', protoClass(f.protocol), ...flags, sel && 'selected'].filter(Boolean).join(' '),
			role: 'row',
			'aria-selected': sel ? 'true' : null,
			dataset: { index: i, number: f.number },
			title: flags.length ? `Frame ${f.number}: ${flags.join(', ')}` : null,
		},
		h('span', { class: 'c-no' }, f.number),
		h('span', { class: 'c-time', title: f.time }, fmtTime(this.timeMode, f.time, this.firstTime, prev?.time)),
		h('span', { class: 'c-src', title: f.src }, f.src),
		h('span', { class: 'c-dst', title: f.dst }, f.dst),
		h('span', { class: 'c-proto' }, f.protocol),
		h('span', { class: 'c-len' }, f.len),
		h('span', { class: 'c-info', title: f.info }, f.info));
	}

	// Select row i (loading it first if need be) and bring it into view.
	async selectIndex(i, notify, align = 'nearest') {
		if (!this.source || this.total === 0)
			return;
		i = Math.max(0, Math.min(this.total - 1, i));
		this.target = i;
		this.scrollToIndex(i, align);
		const src = this.source;
		await src.ensure(i);
		if (src !== this.source)
			return;
		const f = src.rows.get(i);
		if (!f)
			return;
		this.selected = { index: i, number: f.number };
		this.render();
		if (notify)
			this.onSelect(f.number);
	}

	// Keyboard: step rows (+1/-1), a page, or the ends.
	move(key) {
		if (!this.total)
			return false;
		const cur = this.selected ? this.selected.index : this.first - 1;
		const page = Math.max(1, this.viewRows() - 1);
		const to = {
			ArrowDown: cur + 1, ArrowUp: cur - 1,
			PageDown: cur + page, PageUp: cur - page,
			Home: 0, End: this.total - 1,
		}[key];
		if (to === undefined)
			return false;
		this.selectIndex(to, true);
		return true;
	}
}

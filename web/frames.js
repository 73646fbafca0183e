// frames.js - the frame summary list (No., Time, Source, Destination,
// Protocol, Length, Info).  It is redrawn on every refresh, so it keeps the
// selection by frame number, follows the newest frame while the view is
// scrolled to the bottom (like Wireshark's auto-scroll), and otherwise keeps
// the row the user was looking at in place.

import { fmtRelTime, h, protoClass, scrollWithin } from './format.js';

export class FrameList {
	constructor({ body, scroller, empty, onSelect }) {
		this.body = body;
		this.scroller = scroller;
		this.empty = empty;
		this.onSelect = onSelect;
		this.frames = [];
		this.signature = '';
		this.selected = null;
		this.revealPending = false;
		body.addEventListener('click', (e) => {
			const tr = e.target.closest('tr[data-number]');
			if (tr)
				this.select(Number(tr.dataset.number), true);
		});
	}

	// Replace the rows; a no-op when the same frames are already shown.
	show(frames, firstTime, follow) {
		const sig = frames.map((f) => `${f.capture}/${f.number}`).join(',') + `@${firstTime}`;
		if (sig === this.signature)
			return;
		const anchor = follow && this.atBottom() && !this.revealPending ? 'bottom' : this.anchor();
		this.frames = frames;
		this.signature = sig;
		this.body.replaceChildren(...frames.map((f) => this.row(f, firstTime)));
		this.empty.hidden = frames.length > 0;
		this.restore(anchor);
		this.mark();
		if (this.revealPending && this.rowOf(this.selected)) {
			this.revealPending = false;
			scrollWithin(this.scroller, this.rowOf(this.selected), true, this.headHeight());
		}
	}

	row(f, firstTime) {
		const flags = [f.malformed && 'malformed', f.truncated && 'truncated'].filter(Boolean);
		return h('tr', {
			class: [protoClass(f.protocol), ...flags].join(' '),
			dataset: { number: f.number },
			title: flags.length ? `Frame ${f.number}: ${flags.join(', ')}` : null,
		},
		h('td', { class: 'c-no' }, f.number),
		h('td', { class: 'c-time', title: f.time }, fmtRelTime(f.time, firstTime)),
		h('td', { class: 'c-src', title: f.src }, f.src),
		h('td', { class: 'c-dst', title: f.dst }, f.dst),
		h('td', { class: 'c-proto' }, f.protocol),
		h('td', { class: 'c-len' }, f.len),
		h('td', { class: 'c-info', title: f.info }, f.info));
	}

	headHeight() {
		const head = this.body.parentElement.tHead;
		return head ? head.offsetHeight : 0;
	}

	atBottom() {
		const s = this.scroller;
		return this.body.rows.length === 0 || s.scrollTop + s.clientHeight >= s.scrollHeight - 4;
	}

	// The first visible row and how far it sits below the top of the view.
	anchor() {
		const top = this.scroller.scrollTop;
		for (const tr of this.body.rows) {
			if (tr.offsetTop + tr.offsetHeight > top)
				return { number: tr.dataset.number, delta: tr.offsetTop - top };
		}
		return null;
	}

	restore(anchor) {
		if (anchor === 'bottom')
			this.scroller.scrollTop = this.scroller.scrollHeight;
		if (!anchor || anchor === 'bottom')
			return;
		const tr = this.body.querySelector(`tr[data-number="${anchor.number}"]`);
		if (tr)
			this.scroller.scrollTop = tr.offsetTop - anchor.delta;
	}

	mark() {
		for (const tr of this.body.querySelectorAll('tr.selected'))
			tr.classList.remove('selected');
		const tr = this.rowOf(this.selected);
		if (tr) {
			tr.classList.add('selected');
			tr.setAttribute('aria-selected', 'true');
		}
	}

	rowOf(number) {
		return number == null ? null : this.body.querySelector(`tr[data-number="${number}"]`);
	}

	// Select a frame; `notify` tells the app (a click or a key, not a redraw).
	select(number, notify) {
		this.selected = number;
		this.mark();
		const tr = this.rowOf(number);
		if (tr && notify)
			scrollWithin(this.scroller, tr, false, this.headHeight());
		if (notify)
			this.onSelect(number);
	}

	// Centre the selected row (a shared link), now or once it is listed.
	reveal() {
		const tr = this.rowOf(this.selected);
		this.revealPending = !tr && this.selected != null;
		if (tr)
			scrollWithin(this.scroller, tr, true, this.headHeight());
	}

	// Arrow keys: move the selection up or down the rows as displayed.
	move(step) {
		if (!this.frames.length)
			return;
		const i = this.frames.findIndex((f) => f.number === this.selected);
		const next = i < 0 ? 0 : Math.min(this.frames.length - 1, Math.max(0, i + step));
		if (next !== i)
			this.select(this.frames[next].number, true);
	}
}

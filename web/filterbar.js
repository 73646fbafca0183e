// filterbar.js - the display-filter bar above the frame list: live
// validation with /filter/check (green, red with the error and a caret
// under its position, as Wireshark's filter toolbar), completion of field
// names from /filter/complete, a history kept in localStorage, and the
// Apply / Find / Go to controls (their actions belong to the app).

import { api } from './api.js';
import { h } from './format.js';

const HISTORY_KEY = 'netmon.filterHistory';
const HISTORY_MAX = 30;
const $ = (id) => document.getElementById(id);

function loadHistory() {
	try {
		const v = JSON.parse(localStorage.getItem(HISTORY_KEY) || '[]');
		return Array.isArray(v) ? v.filter((x) => typeof x === 'string') : [];
	} catch {
		return [];
	}
}

export class FilterBar {
	constructor({ onApply, onFind, onGoto, onError }) {
		this.input = $('filter-input');
		this.msg = $('filter-msg');
		this.caret = $('filter-caret');
		this.popup = $('filter-popup');
		this.onApply = onApply;
		this.onFind = onFind;
		this.onGoto = onGoto;
		this.onError = onError;
		this.applied = '';
		this.result = { text: '', valid: true };
		this.checkAbort = null;
		this.completeAbort = null;
		this.items = [];
		this.active = -1;
		this.timer = 0;
		this.wire();
	}

	wire() {
		const inp = this.input;
		inp.addEventListener('input', () => {
			this.validateSoon();
			this.completeSoon();
		});
		inp.addEventListener('keydown', (e) => this.onKey(e));
		inp.addEventListener('blur', () => setTimeout(() => this.close(), 150));
		$('filter-apply').addEventListener('click', () => this.apply());
		$('filter-clear').addEventListener('click', () => {
			inp.value = '';
			this.validateSoon(0);
			this.apply();
		});
		$('filter-history').addEventListener('click', () => {
			inp.focus();
			this.open(loadHistory().map((t) => ({ text: t, kind: 'history' })), 'No filters applied yet.');
		});
		$('find-next').addEventListener('click', () => this.find('next'));
		$('find-prev').addEventListener('click', () => this.find('prev'));
		$('goto-form').addEventListener('submit', (e) => {
			e.preventDefault();
			const v = $('goto-input').value.trim();
			if (/^\d+$/.test(v))
				this.onGoto(Number(v));
		});
		this.popup.addEventListener('mousedown', (e) => {
			const li = e.target.closest('li[data-i]');
			if (li) {
				e.preventDefault();
				this.accept(Number(li.dataset.i));
			}
		});
	}

	// Set the text (from the URL or "Prepare as filter") and validate it.
	set(text, applied) {
		this.input.value = text;
		if (applied)
			this.applied = text;
		this.validateSoon(0);
	}

	validateSoon(ms = 150) {
		clearTimeout(this.timer);
		this.timer = setTimeout(() => this.validate(), ms);
	}

	async validate() {
		const text = this.input.value;
		if (this.checkAbort)
			this.checkAbort.abort();
		if (!text.trim()) {
			this.show({ text, valid: true, empty: true });
			return this.result;
		}
		const ac = (this.checkAbort = new AbortController());
		try {
			const r = await api.check(text, ac.signal);
			if (ac.signal.aborted)
				return this.result;
			this.show({ text, ...r });
		} catch (e) {
			if (!ac.signal.aborted)
				this.onError(e);
		}
		return this.result;
	}

	show(r) {
		this.result = r;
		const wrap = this.input.parentElement;
		wrap.dataset.state = r.empty ? 'empty' : r.valid ? 'valid' : 'invalid';
		this.caret.hidden = r.valid;
		this.msg.hidden = r.valid;
		if (r.valid) {
			this.msg.textContent = '';
			return;
		}
		const pos = Math.max(0, Math.min(r.position ?? 0, r.text.length));
		this.caret.dataset.position = String(pos);
		this.caret.style.left = `${this.charX(pos)}px`;
		this.caret.style.width = `${Math.max(1, r.length || 1) * this.charWidth()}px`;
		this.msg.dataset.position = String(pos);
		this.msg.replaceChildren(...[
			h('span', { class: 'fm-text' }, r.error || 'invalid filter'),
			h('span', { class: 'fm-pos' }, ` (column ${pos + 1})`),
			r.suggest && h('span', { class: 'fm-suggest' }, ` \u2014 did you mean \u201c${r.suggest}\u201d?`),
		].filter(Boolean));
	}

	charWidth() {
		const cs = getComputedStyle(this.input);
		const ctx = (this.canvas ||= document.createElement('canvas')).getContext('2d');
		ctx.font = `${cs.fontSize} ${cs.fontFamily}`;
		return ctx.measureText('0').width;
	}

	charX(pos) {
		const cs = getComputedStyle(this.input);
		return parseFloat(cs.paddingLeft) + parseFloat(cs.borderLeftWidth) + pos * this.charWidth() - this.input.scrollLeft;
	}

	async apply() {
		this.close();
		// A check still due from typing would abort this one, and the
		// stale result it left would drop the Apply: check once, now.
		clearTimeout(this.timer);
		const r = await this.validate();
		if (!r.valid)
			return;
		const text = this.input.value.trim();
		if (text) {
			const hist = [text, ...loadHistory().filter((t) => t !== text)].slice(0, HISTORY_MAX);
			localStorage.setItem(HISTORY_KEY, JSON.stringify(hist));
		}
		this.applied = text;
		this.onApply(text);
	}

	async find(dir) {
		clearTimeout(this.timer); // as in apply()
		const r = await this.validate();
		if (r.valid)
			this.onFind(dir, this.input.value.trim());
	}

	/* ---- completion ---- */

	token() {
		const upto = this.input.value.slice(0, this.input.selectionStart ?? this.input.value.length);
		const m = /[A-Za-z_][A-Za-z0-9_.-]*$/.exec(upto);
		return m ? { start: m.index, text: m[0] } : null;
	}

	completeSoon() {
		clearTimeout(this.ctimer);
		this.ctimer = setTimeout(() => this.complete(), 120);
	}

	async complete() {
		const tok = this.token();
		if (this.completeAbort)
			this.completeAbort.abort();
		if (!tok) {
			this.close();
			return;
		}
		const ac = (this.completeAbort = new AbortController());
		try {
			const r = await api.complete(tok.text, ac.signal);
			if (ac.signal.aborted)
				return;
			const names = (r.names || []).filter((n) => n.name !== tok.text).slice(0, 12);
			this.tok = tok;
			if (names.length)
				this.open(names.map((n) => ({ text: n.name, kind: n.type })), null);
			else
				this.close();
		} catch (e) {
			if (!ac.signal.aborted)
				this.onError(e);
		}
	}

	open(items, emptyText) {
		this.items = items;
		this.active = -1;
		this.mode = items[0]?.kind === 'history' || emptyText ? 'history' : 'complete';
		this.popup.replaceChildren(...(items.length ? items.map((it, i) =>
			h('li', { dataset: { i }, role: 'option' },
				h('span', { class: 'fp-name' }, it.text),
				it.kind !== 'history' ? h('span', { class: 'fp-kind' }, it.kind.replace(/^FT_/, '')) : null))
			: [h('li', { class: 'fp-empty' }, emptyText)]));
		this.popup.hidden = false;
	}

	close() {
		this.popup.hidden = true;
		this.items = [];
		this.active = -1;
	}

	accept(i) {
		const it = this.items[i];
		if (!it)
			return;
		if (this.mode === 'history') {
			this.input.value = it.text;
		} else if (this.tok) {
			const v = this.input.value;
			const end = this.tok.start + this.tok.text.length;
			this.input.value = v.slice(0, this.tok.start) + it.text + v.slice(end);
			const at = this.tok.start + it.text.length;
			this.input.setSelectionRange(at, at);
		}
		this.close();
		this.validateSoon(0);
	}

	highlight(i) {
		this.active = i;
		[...this.popup.children].forEach((li, k) => li.classList.toggle('active', k === i));
	}

	onKey(e) {
		const open = !this.popup.hidden && this.items.length;
		if (open && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
			const n = this.items.length;
			this.highlight((this.active + (e.key === 'ArrowDown' ? 1 : n - 1) + (this.active < 0 && e.key === 'ArrowUp' ? 1 : 0)) % n);
			e.preventDefault();
		} else if (open && (e.key === 'Tab' || (e.key === 'Enter' && this.active >= 0))) {
			this.accept(this.active < 0 ? 0 : this.active);
			e.preventDefault();
		} else if (e.key === 'Escape') {
			this.close();
		} else if (e.key === 'Enter') {
			this.apply();
			e.preventDefault();
		}
	}
}

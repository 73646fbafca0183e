// hexview.js - the hex pane: offset, hex bytes and ASCII, 16 bytes a line
// (8 on a phone).  highlight(offset, length) marks a field's bytes in both
// columns, as selecting a tree node does in Network Monitor.

import { h, scrollWithin } from './format.js';

const narrow = window.matchMedia('(max-width: 640px)');

function parseHex(hex) {
	const clean = String(hex || '').replace(/[^0-9a-fA-F]/g, '');
	const out = new Uint8Array(clean.length >> 1);
	for (let i = 0; i < out.length; i++)
		out[i] = parseInt(clean.substr(2 * i, 2), 16);
	return out;
}

const printable = (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.');

export class HexView {
	constructor({ root, status, onByte }) {
		this.root = root;
		this.status = status;
		this.onByte = onByte;
		this.bytes = new Uint8Array(0);
		this.range = null;
		narrow.addEventListener('change', () => this.render());
		root.addEventListener('click', (e) => {
			const i = e.target.dataset && e.target.dataset.i;
			if (i !== undefined)
				this.onByte(Number(i));
		});
	}

	show(hex) {
		this.bytes = parseHex(hex);
		this.range = null;
		this.render();
	}

	clear() {
		this.bytes = new Uint8Array(0);
		this.range = null;
		this.root.replaceChildren();
		this.status.textContent = '';
	}

	line(start, width) {
		const hexCol = h('span', { class: 'hx' });
		const ascCol = h('span', { class: 'as' });
		for (let i = start; i < start + width; i++) {
			if (i >= this.bytes.length) {
				hexCol.append(h('span', { class: 'pad' }, '  '));
				continue;
			}
			const b = this.bytes[i];
			hexCol.append(h('span', { class: 'b', dataset: { i } }, b.toString(16).padStart(2, '0')));
			ascCol.append(h('span', { class: 'b', dataset: { i } }, printable(b)));
		}
		const off = h('span', { class: 'off' }, start.toString(16).padStart(4, '0'));
		return h('div', { class: 'line' }, off, hexCol, ascCol);
	}

	render() {
		const width = narrow.matches ? 8 : 16;
		const lines = [];
		for (let i = 0; i < this.bytes.length; i += width)
			lines.push(this.line(i, width));
		this.root.replaceChildren(...lines);
		if (this.range)
			this.highlight(this.range.offset, this.range.length);
		else
			this.status.textContent = `${this.bytes.length} bytes`;
	}

	highlight(offset, length) {
		for (const el of this.root.querySelectorAll('.b.hl'))
			el.classList.remove('hl');
		if (!Number.isFinite(offset) || !Number.isFinite(length) || length <= 0) {
			this.range = null;
			this.status.textContent = `${this.bytes.length} bytes`;
			return;
		}
		this.range = { offset, length };
		const end = Math.min(offset + length, this.bytes.length);
		let first = null;
		for (const el of this.root.querySelectorAll('.b')) {
			const i = Number(el.dataset.i);
			if (i >= offset && i < end) {
				el.classList.add('hl');
				first = first || el;
			}
		}
		this.status.textContent = `offset ${offset} (0x${offset.toString(16)}), ${length} byte${length === 1 ? '' : 's'}`;
		if (first)
			scrollWithin(this.root, first, false);
	}
}

// hexview.js - the hex pane: offset, hex bytes and ASCII, 16 bytes a line
// (8 on a phone).  highlight(offset, length, source) marks a field's bytes
// in both columns, as selecting a tree node does in Network Monitor.  A
// frame that completes a fragmented datagram has a second data source, the
// reassembled bytes, behind a tab (as Wireshark's "Reassembled IPv4").

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
	constructor({ root, status, tabs, onByte }) {
		this.root = root;
		this.status = status;
		this.tabs = tabs;
		this.onByte = onByte;
		this.sources = {};
		this.source = 'frame';
		this.bytes = new Uint8Array(0);
		this.range = null;
		narrow.addEventListener('change', () => this.render());
		root.addEventListener('click', (e) => {
			const i = e.target.dataset && e.target.dataset.i;
			if (i !== undefined)
				this.onByte(Number(i), this.source);
		});
		tabs.addEventListener('click', (e) => {
			const b = e.target.closest('button[data-source]');
			if (b)
				this.use(b.dataset.source);
		});
	}

	// hex: the frame's bytes; reassembled: the datagram's, or undefined.
	show(hex, reassembled) {
		this.sources = { frame: parseHex(hex) };
		if (reassembled)
			this.sources.reassembled = parseHex(reassembled);
		this.use('frame');
	}

	use(source) {
		this.source = this.sources[source] ? source : 'frame';
		this.bytes = this.sources[this.source] || new Uint8Array(0);
		this.range = null;
		const names = { frame: 'Frame', reassembled: 'Reassembled IPv4' };
		const keys = Object.keys(this.sources);
		this.tabs.replaceChildren(...(keys.length > 1 ? keys.map((k) => h('button', {
			type: 'button', class: k === this.source ? 'active' : null, dataset: { source: k },
		}, `${names[k]} (${this.sources[k].length})`)) : []));
		this.render();
	}

	clear() {
		this.sources = {};
		this.bytes = new Uint8Array(0);
		this.range = null;
		this.root.replaceChildren();
		this.tabs.replaceChildren();
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

	highlight(offset, length, source = 'frame') {
		if (source !== this.source && this.sources[source])
			this.use(source);
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

// detail.js - the protocol tree of one frame (Network Monitor's detail pane).
//
// Every node is in the DOM (collapsed ones hidden by CSS) so expanding is
// instant.  Which subtrees are open is remembered by field name across
// frames, as Wireshark does: open "ip" once and it stays open.

import { h, scrollWithin } from './format.js';

export class DetailTree {
	constructor({ root, onSelect, onFilter }) {
		this.root = root;
		this.onSelect = onSelect;
		this.onFilter = onFilter || (() => {});
		this.opened = new Set();
		this.closed = new Set();
		this.current = null;
		root.addEventListener('click', (e) => this.click(e));
		root.addEventListener('keydown', (e) => this.onKey(e));
		root.addEventListener('contextmenu', (e) => {
			const row = e.target.closest('.row');
			if (!row || !row.parentElement.dataset.field)
				return;
			e.preventDefault();
			this.choose(row.parentElement);
			this.menuFor(row.parentElement, e.clientX, e.clientY);
		});
		this.menu = document.getElementById('tree-menu');
		this.menu.addEventListener('click', (e) => {
			const b = e.target.closest('button[data-act]');
			if (b && this.menuLi)
				this.onFilter(this.menuLi.dataset.field, this.menuLi.dataset.value ?? null,
					this.menuLi.dataset.hasValue === '1', b.dataset.act === 'apply');
			this.hideMenu();
		});
		document.addEventListener('click', (e) => {
			if (!this.menu.hidden && !e.target.closest('#tree-menu, .fbtn'))
				this.hideMenu();
		});
		document.addEventListener('keydown', (e) => {
			if (e.key === 'Escape')
				this.hideMenu();
		});
	}

	// The "Apply / Prepare as filter" menu for a node, at a point.
	menuFor(li, x, y) {
		this.menuLi = li;
		const m = this.menu;
		m.hidden = false;
		const w = m.offsetWidth, ht = m.offsetHeight;
		m.style.left = `${Math.max(4, Math.min(x, innerWidth - w - 4))}px`;
		m.style.top = `${Math.max(4, Math.min(y, innerHeight - ht - 4))}px`;
		m.querySelector('.tm-field').textContent = li.dataset.field;
	}

	hideMenu() {
		this.menu.hidden = true;
		this.menuLi = null;
	}

	clear(message) {
		this.current = null;
		this.root.replaceChildren(h('p', { class: 'empty' }, message));
	}

	show(tree) {
		this.current = null;
		const nodes = (tree || []).map((n) => this.node(n, 0));
		if (!nodes.length) {
			this.clear('This frame has no decoded fields.');
			return;
		}
		this.root.replaceChildren(h('ul', { role: 'group' }, ...nodes));
	}

	keyOf(n) {
		return n.field || n.label || '';
	}

	isOpen(n, depth) {
		const k = this.keyOf(n);
		if (this.opened.has(k))
			return true;
		return depth === 0 && !this.closed.has(k); // protocols start open
	}

	node(n, depth) {
		const kids = n.children || [];
		const hasKids = kids.length > 0;
		const li = h('li', {
			role: 'treeitem',
			class: hasKids ? 'branch' : 'leaf',
			'aria-expanded': hasKids ? String(this.isOpen(n, depth)) : null,
			dataset: {
				key: this.keyOf(n),
				field: n.field || '',
				offset: n.offset ?? '',
				length: n.length ?? '',
				source: n.source || 'frame', // which bytes offsets refer to
				value: n.value ?? '',
				hasValue: n.value != null ? '1' : '0',
			},
		});
		const tip = n.field ? `${n.field}${n.value != null ? ` == ${n.value}` : ''}` : null;
		li.append(h('div', { class: 'row', title: tip },
			h('span', { class: 'twisty', 'aria-hidden': 'true' }),
			h('span', { class: 'label' }, n.label ?? n.field ?? ''),
			n.field ? h('button', { type: 'button', class: 'fbtn', title: `Filter on ${n.field}`, 'aria-label': 'Filter on this field' }, '\u2261') : null));
		if (hasKids)
			li.append(h('ul', { role: 'group' }, ...kids.map((c) => this.node(c, depth + 1))));
		return li;
	}

	toggle(li) {
		const open = li.getAttribute('aria-expanded') !== 'true';
		li.setAttribute('aria-expanded', String(open));
		const k = li.dataset.key;
		(open ? this.opened : this.closed).add(k);
		(open ? this.closed : this.opened).delete(k);
	}

	choose(li) {
		if (this.current)
			this.current.classList.remove('selected');
		this.current = li;
		li.classList.add('selected');
		const off = li.dataset.offset === '' ? NaN : Number(li.dataset.offset);
		const len = li.dataset.length === '' ? NaN : Number(li.dataset.length);
		this.onSelect({ field: li.dataset.field, offset: off, length: len, source: li.dataset.source });
	}

	click(e) {
		const row = e.target.closest('.row');
		if (!row)
			return;
		const li = row.parentElement;
		if (e.target.classList.contains('fbtn')) {
			this.choose(li);
			const r = e.target.getBoundingClientRect();
			this.menuFor(li, r.left, r.bottom + 2);
			return;
		}
		if (e.target.classList.contains('twisty') && li.classList.contains('branch'))
			this.toggle(li);
		else
			this.choose(li);
		if (e.detail === 2 && li.classList.contains('branch') && !e.target.classList.contains('twisty'))
			this.toggle(li); // double-click opens or closes, as in Wireshark
	}

	// Select the smallest node covering byte `i` of `source` (a click in the
	// hex pane), opening its ancestors so it can be seen.
	chooseAt(i, source = 'frame') {
		let best = null;
		for (const li of this.root.querySelectorAll(`li[role=treeitem][data-source="${source}"]`)) {
			const off = Number(li.dataset.offset);
			const len = Number(li.dataset.length);
			if (li.dataset.length === '' || !(len > 0) || i < off || i >= off + len)
				continue;
			if (!best || len <= Number(best.dataset.length))
				best = li;
		}
		if (!best)
			return;
		for (let p = best.parentElement.closest('li.branch'); p; p = p.parentElement.closest('li.branch')) {
			if (p.getAttribute('aria-expanded') !== 'true')
				this.toggle(p);
		}
		this.choose(best);
		scrollWithin(this.root, best.firstElementChild, false);
	}

	// Left/Right close/open the selected node; Up/Down are the frame list's.
	onKey(e) {
		const li = this.current;
		if (!li || !li.classList.contains('branch'))
			return;
		const open = li.getAttribute('aria-expanded') === 'true';
		if ((e.key === 'ArrowRight' && !open) || (e.key === 'ArrowLeft' && open)) {
			this.toggle(li);
			e.preventDefault();
		}
	}
}

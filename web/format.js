// format.js - number, size and time formatting, and a tiny DOM helper.

const intFmt = new Intl.NumberFormat('en-US');

export function fmtInt(n) {
	return Number.isFinite(n) ? intFmt.format(n) : '\u2013';
}

export function fmtBytes(n) {
	if (!Number.isFinite(n))
		return '\u2013';
	const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
	let i = 0;
	while (n >= 1024 && i < units.length - 1) {
		n /= 1024;
		i++;
	}
	return i === 0 ? `${n} B` : `${n.toFixed(n < 10 ? 2 : 1)} ${units[i]}`;
}

// RFC 3339 time with nanoseconds ("2020-06-10T09:21:03.720289000Z") to
// BigInt nanoseconds.  The API's integer `ts` is past 2^53, so a JSON
// number has lost its last digits; the string has them all.
function timeNs(time) {
	const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(time || '');
	if (!m)
		return null;
	const sec = Date.parse(`${m[1]}Z`);
	if (!Number.isFinite(sec))
		return null;
	return BigInt(sec) * 1000000n + BigInt((m[2] || '').padEnd(9, '0'));
}

// Seconds since the capture's first frame, as Wireshark's default Time
// column shows them.
export function fmtRelTime(time, firstTime) {
	const t = timeNs(time);
	const t0 = timeNs(firstTime);
	if (t === null)
		return '';
	if (t0 === null)
		return time;
	const d = t - t0;
	const sign = d < 0n ? '-' : '';
	const a = d < 0n ? -d : d;
	const us = (a + 500n) / 1000n; // rounded to microseconds, as Wireshark shows
	return `${sign}${us / 1000000n}.${String(us % 1000000n).padStart(6, '0')}`;
}

function fmtDelta(d) {
	const sign = d < 0n ? '-' : '';
	const a = d < 0n ? -d : d;
	const us = (a + 500n) / 1000n;
	return `${sign}${us / 1000000n}.${String(us % 1000000n).padStart(6, '0')}`;
}

// The Time column as Wireshark's View > Time Display Format shows it:
// absolute time of day (UTC), seconds since the first frame, or seconds
// since the previous displayed frame.
export function fmtTime(mode, time, firstTime, prevTime) {
	if (mode === 'absolute') {
		const m = /T(\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(time || '');
		return m ? `${m[1]}.${(m[2] || '').padEnd(9, '0').slice(0, 6)}` : time || '';
	}
	if (mode === 'delta') {
		const t = timeNs(time);
		const p = timeNs(prevTime);
		if (t === null)
			return '';
		return p === null ? (prevTime === undefined ? '' : '0.000000') : fmtDelta(t - p);
	}
	return fmtRelTime(time, firstTime);
}

// A CSS-safe class for a protocol name: "IPv6" -> "p-ipv6".
export function protoClass(name) {
	return 'p-' + String(name || 'unknown').toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

// h('td', {class: 'x', title: 't'}, 'text', child...) -> element
export function h(tag, attrs, ...children) {
	const el = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === undefined || v === null || v === false)
			continue;
		if (k === 'class')
			el.className = v;
		else if (k === 'dataset')
			Object.assign(el.dataset, v);
		else
			el.setAttribute(k, v === true ? '' : String(v));
	}
	for (const c of children) {
		if (c !== undefined && c !== null && c !== false)
			el.append(c instanceof Node ? c : String(c));
	}
	return el;
}

// Bring `el` into view inside `scroller` only.  Element.scrollIntoView
// would also scroll the page, which on a phone (where the page scrolls)
// jumps away from the pane the user is working in.
// `inset` is what a sticky header covers at the top.
export function scrollWithin(scroller, el, center, inset = 0) {
	const s = scroller.getBoundingClientRect();
	const r = el.getBoundingClientRect();
	const top = s.top + inset;
	if (center)
		scroller.scrollTop += r.top - top - (s.bottom - top - r.height) / 2;
	else if (r.top < top)
		scroller.scrollTop -= top - r.top;
	else if (r.bottom > s.bottom)
		scroller.scrollTop += r.bottom - s.bottom;
}

// app.js - wires the dashboard together: polling, the capture selector,
// paging, the URL hash (#capture=1&frame=42) and keyboard navigation.

import { api } from './api.js';
import { DetailTree } from './detail.js';
import { clearError, initErrorBar, showError } from './errorbar.js';
import { FrameList } from './frames.js';
import { fmtInt } from './format.js';
import { HexView } from './hexview.js';
import { renderProtocols, renderState, renderTotals } from './stats.js';

const REFRESH_MS = 1500;
const PAGE_SIZE = 100;
const $ = (id) => document.getElementById(id);

const state = {
	status: null,
	captures: [],
	captureId: null, // the capture being viewed
	cursors: [],     // cursor of each page walked (null = first); [] = latest view
	nextCursor: null,
	frame: null,     // selected frame number
	detailToken: 0,  // ignores detail replies that arrive out of order
};

let frameList, tree, hex;

/* ---- URL hash ---- */

function readHash() {
	const p = new URLSearchParams(location.hash.slice(1));
	const num = (k) => (p.has(k) && /^\d+$/.test(p.get(k)) ? Number(p.get(k)) : null);
	return { capture: num('capture'), frame: num('frame') };
}

function writeHash() {
	const parts = [];
	if (state.captureId != null)
		parts.push(`capture=${state.captureId}`);
	if (state.frame != null)
		parts.push(`frame=${state.frame}`);
	const hash = parts.length ? `#${parts.join('&')}` : '';
	if (hash !== location.hash)
		history.replaceState(null, '', hash || location.pathname + location.search);
}

/* ---- captures ---- */

const currentCapture = () => state.captures.find((c) => c.id === state.captureId) || null;

// With no explicit choice, follow the daemon's capture, else the newest.
function defaultCapture() {
	const live = state.status?.capture?.capture_id;
	if (live && state.captures.some((c) => c.id === live))
		return live;
	return state.captures.length ? state.captures[state.captures.length - 1].id : null;
}

function renderPicker() {
	const sel = $('capture-select');
	$('capture-picker').hidden = state.captures.length < 2;
	const opts = state.captures.map((c) => {
		const o = document.createElement('option');
		o.value = String(c.id);
		o.textContent = `#${c.id} ${c.source} (${fmtInt(c.frames)} frames${c.running ? ', live' : ''})`;
		return o;
	});
	const same = sel.options.length === opts.length &&
		opts.every((o, i) => sel.options[i].value === o.value && sel.options[i].textContent === o.textContent);
	if (!same)
		sel.replaceChildren(...opts);
	sel.value = String(state.captureId ?? '');
}

function switchCapture(id) {
	if (id === state.captureId)
		return;
	state.captureId = id;
	state.cursors = [];
	state.nextCursor = null;
	selectFrame(null);
	frameList.show([], null, true);
	refreshNow();
}

/* ---- frames and paging ---- */

// Two views of the list, both in frame order as Wireshark shows it:
//   latest: the newest PAGE_SIZE frames (order=desc, reversed), refreshed
//           on every tick and following the newest frame;
//   pages:  PAGE_SIZE frames at a time from the first, walked with the
//           API's opaque next_cursor; state.cursors holds the cursor of each
//           page visited (null for the first), so Back is a pop.

const isLatest = () => state.cursors.length === 0;

function firstTime() {
	return currentCapture()?.first_time;
}

function showPage(frames, nextCursor) {
	frameList.show(frames, firstTime(), isLatest());
	state.nextCursor = nextCursor ?? null;
	updatePager();
}

function updatePager() {
	const latest = isLatest();
	const frames = frameList.frames;
	$('page-latest').disabled = latest;
	$('page-first').disabled = !latest && state.cursors.length === 1;
	$('page-back').disabled = state.cursors.length < 2;
	$('page-next').disabled = latest || state.nextCursor == null;
	const total = currentCapture()?.frames;
	let info = frames.length
		? `${fmtInt(frames[0].number)}\u2013${fmtInt(frames[frames.length - 1].number)}` +
			(Number.isFinite(total) ? ` of ${fmtInt(total)}` : '')
		: '';
	if (latest)
		info += currentCapture()?.running ? ' \u00b7 live' : ' \u00b7 latest';
	else
		info += ` \u00b7 page ${state.cursors.length}`;
	$('page-info').textContent = info;
}

async function loadPage(cursors) {
	const id = state.captureId;
	try {
		const page = await api.frames(id, PAGE_SIZE, cursors[cursors.length - 1], 'asc');
		if (id !== state.captureId)
			return;
		state.cursors = cursors;
		frameList.scroller.scrollTop = 0;
		showPage(page.frames || [], page.next_cursor);
		clearError('page');
	} catch (e) {
		showError('page', e);
	}
}

/* ---- detail ---- */

async function selectFrame(number, reveal) {
	state.frame = number;
	frameList.select(number, false);
	if (reveal)
		frameList.reveal();
	writeHash();
	const token = ++state.detailToken;
	if (number == null || state.captureId == null) {
		tree.clear('Select a frame to see its fields.');
		hex.clear();
		$('detail-title').textContent = '';
		return;
	}
	try {
		const d = await api.frame(state.captureId, number);
		if (token !== state.detailToken)
			return;
		$('detail-title').textContent = `Frame ${fmtInt(d.number)} \u00b7 ${fmtInt(d.len)} bytes on wire, ${fmtInt(d.caplen)} captured`;
		tree.show(d.tree);
		hex.show(d.bytes);
		clearError('detail');
	} catch (e) {
		if (token !== state.detailToken)
			return;
		tree.clear(`Frame ${number} could not be loaded.`);
		hex.clear();
		showError('detail', e);
	}
}

/* ---- polling ---- */

let timer = null;
let running = false;

async function refresh() {
	const [status, caps] = await Promise.all([api.status(), api.captures()]);
	state.status = status;
	state.captures = caps.captures || [];
	if (state.captureId == null || !currentCapture())
		state.captureId = defaultCapture();
	renderPicker();
	renderState(status, currentCapture());
	writeHash();
	const id = state.captureId;
	if (id == null) {
		frameList.show([], null, true);
		updatePager();
		return;
	}
	const [stats, page] = await Promise.all([
		api.stats(id),
		isLatest() ? api.frames(id, PAGE_SIZE, null, 'desc') : null,
	]);
	if (id !== state.captureId)
		return;
	renderTotals(stats);
	renderProtocols(stats);
	if (page && isLatest())
		showPage((page.frames || []).reverse(), null);
	else
		updatePager();
}

async function tick() {
	clearTimeout(timer);
	if (running)
		return;
	running = true;
	try {
		await refresh();
		clearError('refresh');
	} catch (e) {
		showError('refresh', e);
	} finally {
		running = false;
		timer = setTimeout(tick, REFRESH_MS);
	}
}

function refreshNow() {
	tick();
}

/* ---- wiring ---- */

function onKey(e) {
	if (e.altKey || e.ctrlKey || e.metaKey || e.target.closest('select, input, textarea'))
		return;
	if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
		frameList.move(e.key === 'ArrowDown' ? 1 : -1);
		e.preventDefault();
	}
}

function onHashChange() {
	const want = readHash();
	if (want.capture != null && want.capture !== state.captureId)
		switchCapture(want.capture);
	if (want.frame !== state.frame)
		selectFrame(want.frame, true);
}

function init() {
	initErrorBar();
	frameList = new FrameList({
		body: $('frames-body'),
		scroller: $('frames-scroll'),
		empty: $('frames-empty'),
		onSelect: (n) => selectFrame(n),
	});
	tree = new DetailTree({ root: $('tree'), onSelect: (sel) => hex.highlight(sel.offset, sel.length) });
	hex = new HexView({ root: $('hex'), status: $('hex-sel'), onByte: (i) => tree.chooseAt(i) });

	$('capture-select').addEventListener('change', (e) => switchCapture(Number(e.target.value)));
	$('page-first').addEventListener('click', () => loadPage([null]));
	$('page-back').addEventListener('click', () => loadPage(state.cursors.slice(0, -1)));
	$('page-next').addEventListener('click', () => {
		if (state.nextCursor != null)
			loadPage([...state.cursors, state.nextCursor]);
	});
	$('page-latest').addEventListener('click', () => {
		state.cursors = [];
		frameList.scroller.scrollTop = frameList.scroller.scrollHeight;
		refreshNow();
	});
	document.addEventListener('keydown', onKey);
	window.addEventListener('hashchange', onHashChange);

	const want = readHash();
	state.captureId = want.capture;
	// A shared link's frame is loaded once the first refresh has settled
	// which capture is shown.
	tick().then(() => {
		if (want.frame != null)
			selectFrame(want.frame, true);
	});
}

init();

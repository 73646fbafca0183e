// app.js - wires the dashboard together: the views, the URL hash
// (#view=frames&capture=1&filter=tcp&frame=42, so a link can be shared),
// the capture selector, live updates from the event stream, and the frame
// view's filter, find and go-to actions.

import { Alerts } from './alerts.js';
import { api, apiHref } from './api.js';
import { DetailTree } from './detail.js';
import { clearError, initErrorBar, showError } from './errorbar.js';
import { FilterBar } from './filterbar.js';
import { fieldFilter } from './filterexpr.js';
import { FrameList, FrameSource, PAGE } from './frames.js';
import { fmtInt } from './format.js';
import { HexView } from './hexview.js';
import { Overview } from './overview.js';
import { renderProtocols, renderState, renderTotals } from './stats.js';
import { PhsTable, conversationsTable, renderCaptures, stationsTable } from './tables.js';
import { Uploader } from './uploader.js';

const VIEWS = ['overview', 'frames', 'stations', 'conversations', 'protocols', 'captures', 'alerts'];
const LIVE_REFRESH_MS = 2000;
const $ = (id) => document.getElementById(id);

const state = {
	view: 'overview',
	status: null,
	captures: [],
	captureId: null,
	filter: '',      // the applied display filter
	frame: null,     // selected frame number
	listKey: '',     // capture+filter the frame list shows
	detailToken: 0,
	stationKind: '',
	convType: 'ip',
	lastLive: 0,
};

let frameList, tree, hex, filterBar, overview, stations, convMake, convs, phs, alerts;

/* ---- URL hash ---- */

function readHash() {
	const p = new URLSearchParams(location.hash.slice(1));
	const num = (k) => (p.has(k) && /^\d+$/.test(p.get(k)) ? Number(p.get(k)) : null);
	const frame = num('frame');
	const view = VIEWS.includes(p.get('view')) ? p.get('view') : frame != null || p.has('filter') ? 'frames' : null;
	return { view, capture: num('capture'), frame, filter: p.get('filter') || '' };
}

function hashOf(s) {
	const p = new URLSearchParams();
	p.set('view', s.view);
	if (s.captureId != null)
		p.set('capture', s.captureId);
	if (s.view === 'frames' && s.filter)
		p.set('filter', s.filter);
	if (s.view === 'frames' && s.frame != null)
		p.set('frame', s.frame);
	return `#${p.toString().replace(/\+/g, '%20')}`;
}

// A new view or filter is a history entry (Back returns to it); a new
// selection only replaces the current one.
function writeHash(push) {
	const hash = hashOf(state);
	if (hash === location.hash)
		return;
	if (push)
		history.pushState(null, '', hash);
	else
		history.replaceState(null, '', hash);
}

/* ---- captures ---- */

// Frames the list holds: buffer limits evict a capture's oldest frames.
const stored = (c) => c.stored_frames ?? c.frames;
const currentCapture = () => state.captures.find((c) => c.id === state.captureId) || null;

function defaultCapture() {
	const live = state.status?.capture?.capture_id;
	if (live && state.captures.some((c) => c.id === live))
		return live;
	return state.captures.length ? state.captures[state.captures.length - 1].id : null;
}

function renderPicker() {
	const sel = $('capture-select');
	$('capture-picker').hidden = state.captures.length < 2;
	const label = (c) => `#${c.id} ${c.source} (${fmtInt(c.frames)} frames${c.running ? ', live' : ''})`;
	const same = sel.options.length === state.captures.length &&
		state.captures.every((c, i) => sel.options[i].value === String(c.id) && sel.options[i].textContent === label(c));
	if (!same)
		sel.replaceChildren(...state.captures.map((c) => new Option(label(c), String(c.id))));
	sel.value = String(state.captureId ?? '');
}

async function loadCaptures() {
	const [status, caps] = await Promise.all([api.status(), api.captures()]);
	state.status = status;
	state.captures = caps.captures || [];
	if (state.captureId == null || !currentCapture())
		state.captureId = defaultCapture();
	renderPicker();
	renderState(status, currentCapture());
}

/* ---- views ---- */

function showView(view) {
	state.view = view;
	for (const el of document.querySelectorAll('main.view'))
		el.hidden = el.dataset.view !== view;
	for (const a of document.querySelectorAll('#tabs a'))
		a.classList.toggle('active', a.dataset.view === view);
	alerts.show(view === 'alerts');
	document.body.dataset.view = view;
	writeHash(readHash().view !== view);
	loadView().catch((e) => showError('view', e));
}

async function loadView() {
	const cap = state.captureId;
	if (state.view === 'overview') {
		overview.loadInterfaces();
		await refreshOverview();
	} else if (state.view === 'frames') {
		await openList();
	} else if (state.view === 'stations') {
		await stations.load();
	} else if (state.view === 'conversations') {
		await convs.load();
	} else if (state.view === 'protocols') {
		await phs.load();
	} else if (state.view === 'captures') {
		renderCaptures($('captures-table'), $('captures-info'), state.captures, state.status, openCapture, deleteCapture);
	} else if (state.view === 'alerts') {
		await alerts.load();
	}
	if (cap === state.captureId)
		clearError('view');
}

function openCapture(id) {
	state.captureId = id;
	state.filter = '';
	state.frame = null;
	renderPicker();
	showView('frames');
}

async function deleteCapture(c) {
	if (!confirm(`Delete capture ${c.id} (${c.source}, ${fmtInt(c.frames)} frames)? This cannot be undone.`))
		return;
	try {
		await api.deleteCapture(c.id);
		if (state.captureId === c.id)
			state.captureId = null;
		state.listKey = '';
		await loadCaptures();
		clearError('view');
	} catch (e) {
		showError('view', e);
	}
	if (state.view === 'captures')
		loadView().catch((e) => showError('view', e));
}

// A finished upload: show the list with the new capture in it.
async function uploaded() {
	try {
		await loadCaptures();
		if (state.view === 'captures')
			await loadView();
	} catch (e) {
		showError('view', e);
	}
}

async function refreshOverview() {
	const id = state.captureId;
	if (id == null)
		return;
	const [stats] = await Promise.all([api.stats(id), overview.loadTalkers(id)]);
	renderTotals(stats);
	renderProtocols(stats);
}

/* ---- the frame list ---- */

function exportLinks() {
	for (const fmt of ['pcap', 'pcapng']) {
		const a = $(`export-${fmt}`);
		a.href = apiHref('frames/export', { capture: state.captureId, filter: state.filter || undefined, format: fmt });
		a.title = `Download the ${state.filter ? 'filtered' : ''} frames as ${fmt}`;
	}
}

function listInfo(first, end, total) {
	const cap = currentCapture();
	const all = cap ? stored(cap) : 0;
	const counting = frameList.source?.counting;
	const shown = state.filter ? `Displayed ${counting ? 'counting\u2026' : fmtInt(total)} of ${fmtInt(all)}` : `${fmtInt(total)} frames`;
	$('page-info').textContent = total ? `${shown} \u00b7 rows ${fmtInt(first + 1)}\u2013${fmtInt(end)}` : shown;
	$('page-info').dataset.total = counting ? '' : String(total);
}

// (Re)build the list when the capture or the applied filter changed.
async function openList(force) {
	const cap = currentCapture();
	const key = `${state.captureId}|${state.filter}`;
	exportLinks();
	if (!force && key === state.listKey)
		return;
	state.listKey = key;
	if (!cap) {
		frameList.setSource(null, null);
		return;
	}
	const stale = () => key !== `${state.captureId}|${state.filter}`;
	if (!state.filter) {
		frameList.setSource(new FrameSource(cap.id, '', stored(cap), (e) => showError('page', e)), cap.first_time);
	} else {
		// Show the first page while the (slower) count runs.
		// Asked first, so a daemon that serves one query at a time answers it first.
		const firstPage = api.frames(cap.id, PAGE, null, null, state.filter);
		const counting = api.count(cap.id, state.filter);
		counting.catch(() => {}); // awaited below, unless the page fails first
		const first = await firstPage;
		if (stale())
			return;
		const rows = first.frames || [];
		const src = new FrameSource(cap.id, state.filter, rows.length, (e) => showError('page', e));
		src.put(0, rows, first.next_cursor);
		src.counting = first.next_cursor != null;
		frameList.setSource(src, cap.first_time);
		if (src.counting) {
			const n = (await counting).count;
			if (stale())
				return;
			frameList.setTotal(n);
		}
	}
	clearError('page');
	if (state.frame != null)
		await gotoFrame(state.frame, 'center');
}

function applyFilter(text) {
	state.filter = text;
	state.frame = null;
	writeHash(true);
	selectFrame(null);
	openList().catch((e) => showError('filter', e));
	clearError('filter');
}

// The row of frame `number` in the current list: how many listed frames
// come before it (numbers have gaps: queue drops, evicted frames).
async function indexOf(number) {
	const before = `frame.number < ${number}`;
	const r = await api.count(state.captureId, state.filter ? `(${state.filter}) && ${before}` : before);
	return r.count;
}

async function gotoFrame(number, align = 'center') {
	const info = $('find-info');
	try {
		const i = await indexOf(number);
		if (i >= frameList.total || i < 0) {
			info.textContent = `Frame ${number} is not in the list`;
			return;
		}
		await frameList.selectIndex(i, false, align);
		const sel = frameList.selected;
		if (sel && sel.number === number) {
			info.textContent = '';
			selectFrame(number);
		} else {
			info.textContent = `Frame ${number} is not in the list`;
		}
	} catch (e) {
		showError('goto', e);
	}
}

async function find(dir, text) {
	if (!text)
		return;
	const f = state.filter && text !== state.filter ? `(${state.filter}) && (${text})` : text;
	const info = $('find-info');
	try {
		const r = await api.find(state.captureId, f, state.frame ?? 0, dir);
		await gotoFrame(r.frame.number, 'nearest');
		if (!info.textContent)
			info.textContent = `found frame ${r.frame.number}`;
		clearError('find');
	} catch (e) {
		if (e.status === 404 && e.body && e.body.frame === null)
			info.textContent = `no ${dir === 'next' ? 'later' : 'earlier'} frame matches`;
		else
			showError('find', e);
	}
}

/* ---- detail ---- */

async function selectFrame(number) {
	state.frame = number;
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
		hex.show(d.bytes, d.reassembled?.bytes);
		clearError('detail');
	} catch (e) {
		if (token !== state.detailToken)
			return;
		tree.clear(`Frame ${number} could not be loaded.`);
		hex.clear();
		showError('detail', e);
	}
}

async function filterFromField(field, value, hasValue, apply) {
	let type = null;
	try {
		if (hasValue) {
			const r = await api.complete(field);
			type = (r.names || []).find((n) => n.name === field)?.type ?? null;
		}
	} catch (e) {
		showError('filter', e);
	}
	const text = fieldFilter(field, hasValue ? value : null, type);
	filterBar.set(text, false);
	if (apply)
		filterBar.apply();
	else
		filterBar.input.focus();
}

// Open the frame view filtered (from a table, a talker).
function openFrames(filter) {
	state.filter = filter;
	state.frame = null;
	filterBar.set(filter, true);
	selectFrame(null);
	showView('frames');
}

/* ---- live updates ---- */

async function onTotals(o) {
	const running = (o.captures || []).some((c) => c.state === 'running');
	const now = Date.now();
	if (!running && state.lastLiveRunning === false)
		return;
	if (now - state.lastLive < LIVE_REFRESH_MS)
		return;
	state.lastLive = now;
	state.lastLiveRunning = running;
	try {
		await loadCaptures();
		const cap = currentCapture();
		if (state.view === 'overview')
			await refreshOverview();
		else if (state.view === 'frames' && cap && !state.filter)
			frameList.grow(stored(cap));
		else if (state.view === 'frames' && cap && running) {
			const key = state.listKey;
			const n = (await api.count(cap.id, state.filter)).count;
			if (key === state.listKey)
				frameList.grow(n);
		}
		else if (state.view === 'captures')
			loadView();
		clearError('refresh');
	} catch (e) {
		showError('refresh', e);
	}
}

function onState() {
	state.lastLive = 0;
	state.lastLiveRunning = true;
	onTotals({ captures: [{ state: 'running' }] });
}

/* ---- wiring ---- */

function onKey(e) {
	if (state.view !== 'frames' || e.altKey || e.ctrlKey || e.metaKey || e.target.closest('select, input, textarea'))
		return;
	if (frameList.move(e.key))
		e.preventDefault();
}

function onHashChange() {
	const want = readHash();
	if (want.capture != null && want.capture !== state.captureId) {
		state.captureId = want.capture;
		renderPicker();
	}
	if (want.filter !== state.filter) {
		state.filter = want.filter;
		filterBar.set(want.filter, true);
	}
	if (want.frame !== state.frame && want.frame != null) {
		state.frame = want.frame;
		if ((want.view || 'frames') === state.view)
			openList().then(() => gotoFrame(want.frame));
	}
	showView(want.view || state.view);
}

function init() {
	initErrorBar();
	frameList = new FrameList({
		scroller: $('frames-scroll'),
		body: $('frames-body'),
		sizer: $('frames-sizer'),
		empty: $('frames-empty'),
		onSelect: (n) => selectFrame(n),
		onRange: listInfo,
	});
	tree = new DetailTree({
		root: $('tree'),
		onSelect: (sel) => hex.highlight(sel.offset, sel.length, sel.source),
		onFilter: filterFromField,
	});
	hex = new HexView({ root: $('hex'), status: $('hex-sel'), tabs: $('hex-sources'), onByte: (i, src) => tree.chooseAt(i, src) });
	filterBar = new FilterBar({
		onApply: applyFilter,
		onFind: find,
		onGoto: (n) => gotoFrame(n),
		onError: (e) => showError('filter', e),
	});
	alerts = new Alerts({
		table: $('alerts-table'),
		info: $('alerts-info'),
		badge: $('alerts-badge'),
		onOpenCapture: openCapture,
		onError: (e) => showError('view', e),
	});
	overview = new Overview({ onTotals, onState, onAlert: (a) => alerts.add(a), openFrames });
	new Uploader({
		zone: $('upload-zone'),
		input: $('upload-input'),
		list: $('uploads'),
		onDone: uploaded,
		onError: (e) => showError('upload', e),
	});
	const ctx = {
		capture: () => state.captureId ?? undefined,
		kind: () => state.stationKind,
		open: openFrames,
		onError: (e) => showError('view', e),
	};
	stations = stationsTable($('stations-table'), $('stations-info'), ctx);
	convMake = conversationsTable($('conversations-table'), $('conversations-info'), ctx);
	convs = convMake(state.convType);
	phs = new PhsTable($('protocols-table'), $('protocols-info'), ctx);
	segment('station-kinds', () => state.stationKind, (k) => {
		state.stationKind = k;
		stations.reset();
		stations.load().catch(ctx.onError);
	});
	segment('conv-types', () => state.convType, (k) => {
		state.convType = k;
		convs = convMake(k);
		convs.load().catch(ctx.onError);
	});

	$('time-mode').value = localStorage.getItem('netmon.timeMode') || 'relative';
	frameList.setTimeMode($('time-mode').value);
	$('time-mode').addEventListener('change', (e) => {
		localStorage.setItem('netmon.timeMode', e.target.value);
		frameList.setTimeMode(e.target.value);
	});
	$('capture-select').addEventListener('change', (e) => {
		state.captureId = Number(e.target.value);
		state.frame = null;
		selectFrame(null);
		renderState(state.status, currentCapture());
		showView(state.view);
	});
	document.addEventListener('keydown', onKey);
	window.addEventListener('hashchange', onHashChange);
	// Tabs and "more" links keep the capture and filter: route them here
	// instead of through a bare hash.
	document.addEventListener('click', (e) => {
		const a = e.target.closest('a[href^="#view="]');
		if (!a || e.ctrlKey || e.metaKey || e.shiftKey)
			return;
		e.preventDefault();
		showView(new URLSearchParams(a.getAttribute('href').slice(1)).get('view'));
	});

	const want = readHash();
	state.captureId = want.capture;
	state.filter = want.filter;
	state.frame = want.frame;
	filterBar.set(want.filter, true);
	loadCaptures().then(() => {
		clearError('refresh');
		showView(want.view || 'overview');
	}, (e) => {
		showError('refresh', e);
		showView(want.view || 'overview');
	});
}

// A row of toggle buttons (tabs inside a panel).
function segment(id, get, set) {
	const root = $(id);
	const mark = () => {
		for (const b of root.querySelectorAll('button'))
			b.classList.toggle('active', b.dataset.kind === get());
	};
	root.addEventListener('click', (e) => {
		const b = e.target.closest('button[data-kind]');
		if (b) {
			set(b.dataset.kind);
			mark();
		}
	});
	mark();
}

init();

#!/usr/bin/env node
// dashboard.test.mjs - the dashboard in a real browser against a real netmond.
//
//   node tests/browser/dashboard.test.mjs --netmond PATH --pcap FILE --webdir DIR
//
// Starts netmond on a free port reading FILE, opens the page in Debian's
// Chromium (through playwright-core) and checks what it shows against what
// the API answers: the frame count, the tree of a clicked frame, the hex
// bytes a tree node highlights, the URL hash, the error bar, and that the
// page logs no console errors.  Saves screenshots at 1280x800 and at phone
// width to tests/browser/screenshots/.
//
// No check sleeps for a fixed time: CI runs this on a loaded 2-core machine
// (make check in parallel), where the page may take seconds to draw what it
// will draw.  A check waits, up to WAIT_MS, for the page to show what the
// API says (the DOM polled until it equals the API's answer, or an action
// and its check done in one step inside the page), and when it never does
// it fails saying what the page showed last.  To see the races a loaded
// machine brings on a quiet one: BROWSER_API_DELAY_MS=1000 (API answers
// late and out of order), BROWSER_CPU_THROTTLE=6 (slow page scripts).
//
// Exit status (Automake): 0 pass, 1 fail, 77 skip (no chromium, no
// node_modules, no capture file).

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(HERE, 'screenshots');
// How long the page may take to show something (BROWSER_WAIT_MS= shortens
// it to see quickly what a broken page makes fail).
const WAIT_MS = Number(process.env.BROWSER_WAIT_MS) || 60000;
const failures = [];
let netmond = null;
let netmondLog = '';
let browser = null;
let work = null;

function skip(why) {
	console.log(`SKIP: ${why}`);
	process.exit(77);
}

function check(ok, what, detail) {
	console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${!ok && detail ? `: ${detail}` : ''}`);
	if (!ok)
		failures.push(what);
	return ok;
}

function parseArgs(argv) {
	const o = {};
	for (let i = 0; i < argv.length; i++) {
		const m = /^--(netmond|pcap|webdir|bigdb)$/.exec(argv[i]);
		if (!m || i + 1 >= argv.length) {
			console.error(`usage: dashboard.test.mjs --netmond PATH --pcap FILE --webdir DIR [--bigdb DB] (bad: ${argv[i]})`);
			process.exit(1);
		}
		o[m[1]] = resolve(argv[++i]);
	}
	for (const k of ['netmond', 'pcap', 'webdir']) {
		if (!o[k]) {
			console.error(`dashboard.test.mjs: --${k} is required`);
			process.exit(1);
		}
	}
	return o;
}

async function loadPlaywright() {
	if (!existsSync(CHROMIUM))
		skip(`${CHROMIUM} not found (apt-get install chromium)`);
	if (!existsSync(join(HERE, 'node_modules', 'playwright-core')))
		skip(`playwright-core is not installed (cd ${HERE} && npm ci)`);
	return import(join(HERE, 'node_modules', 'playwright-core', 'index.mjs'));
}

function freePort() {
	return new Promise((res, rej) => {
		const srv = createServer();
		srv.once('error', rej);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => res(port));
		});
	});
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function getJSON(base, path) {
	const res = await fetch(`${base}/api/v1/${path}`);
	const body = await res.json();
	if (!res.ok)
		throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
	return body;
}

const daemons = [];

// netmond reading `pcap` into a fresh database, or serving `db` as it is.
function startNetmond(opt, port, db) {
	const args = db ? ['--db', db] : ['-r', opt.pcap, '--db', join(work, 'netmon.db')];
	args.push('--listen', `127.0.0.1:${port}`, '--webdir', opt.webdir);
	const p = spawn(opt.netmond, args, { stdio: ['ignore', 'pipe', 'pipe'] });
	const keep = (d) => (netmondLog = (netmondLog + d).slice(-8000));
	p.stdout.on('data', keep);
	p.stderr.on('data', keep);
	p.on('exit', (code, sig) => {
		netmondLog += `\n[netmond exited: ${code ?? sig}]`;
		if (p === netmond)
			netmond = null;
	});
	daemons.push(p);
	if (!db)
		netmond = p;
	return p;
}

// Wait until the file is read completely and the stored counts agree.
async function waitCaptureDone(base) {
	const deadline = Date.now() + 2 * WAIT_MS;
	let last = 'no answer';
	while (Date.now() < deadline) {
		if (!netmond)
			throw new Error(`netmond stopped: ${netmondLog}`);
		try {
			const st = await getJSON(base, 'status');
			last = JSON.stringify(st.capture);
			if (st.capture.state === 'failed')
				throw new Error(`capture failed: ${st.capture.error}`);
			if (st.capture.state === 'done' && st.capture.capture_id != null) {
				const stats = await getJSON(base, `stats?capture=${st.capture.capture_id}`);
				if (stats.frames === st.frames_stored)
					return st.capture.capture_id;
			}
		} catch (e) {
			if (/capture failed/.test(e.message))
				throw e;
			last = e.message;
		}
		await sleep(200);
	}
	throw new Error(`capture did not finish in ${2 * WAIT_MS / 1000} s (last: ${last})`);
}

function flatten(nodes, out = []) {
	for (const n of nodes || []) {
		out.push(n);
		flatten(n.children, out);
	}
	return out;
}

// A frame from the latest page whose tree has a field (not a protocol, not
// a frame.* field) with a byte range past the first byte and bytes that are
// not all alike: a node whose highlight cannot be right by accident.
// Frames from the middle of the page first, so ArrowDown has a next row.
async function pickFrame(base, capture, rows) {
	const mid = Math.floor(rows.length / 2);
	const order = [...rows.slice(mid), ...rows.slice(0, mid).reverse()];
	let fallback = null;
	for (const number of order.slice(0, 40)) {
		const d = await getJSON(base, `frames/${number}?capture=${capture}`);
		const nodes = flatten(d.tree).filter((n) => n.field && n.field.includes('.') &&
			!n.field.startsWith('frame.') && (n.source ?? 'frame') === 'frame' && n.offset > 0 && n.length > 0 &&
			n.offset + n.length <= d.bytes.length / 2);
		const varieds = nodes.filter((n) => n.length > 1 &&
			new Set(d.bytes.slice(2 * n.offset, 2 * (n.offset + n.length)).match(/../g)).size > 1);
		const varied = varieds[Math.floor(varieds.length / 2)]; // past the link layer
		if (varied)
			return { detail: d, node: varied };
		if (!fallback && nodes.length)
			fallback = { detail: d, node: nodes[nodes.length - 1] };
	}
	return fallback;
}

// Console errors a check provokes on purpose (the browser logs every
// non-2xx response); set around that one action.
let expectedConsole = null;

function watchConsole(page, errors) {
	page.on('console', (m) => {
		if (m.type() === 'error' && !(expectedConsole && expectedConsole.test(m.text())))
			errors.push(`console: ${m.text()}`);
	});
	page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
	// Requests the page aborts on purpose (a superseded filter check, the
	// event stream when the page closes) are not failures.
	page.on('requestfailed', (r) => r.failure()?.errorText !== 'net::ERR_ABORTED' &&
		errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
}

// Provoke a console error on purpose: `act` runs with `re` expected, and
// the expectation ends only once the browser has logged it (the log can
// arrive after the page has shown the error), so it is never counted.
async function expectConsoleError(page, re, act) {
	expectedConsole = re;
	const logged = page.waitForEvent('console', { predicate: (m) => re.test(m.text()), timeout: WAIT_MS })
		.then(() => true, () => false);
	try {
		await act();
		return await logged;
	} finally {
		expectedConsole = null;
	}
}

const digits = (s) => Number(String(s).replace(/[^0-9]/g, ''));
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const show = (v) => (JSON.stringify(v) ?? String(v)).slice(0, 400);

const enc = encodeURIComponent;
const selectedNumber = (page) => page.$eval('#frames-body .frow.selected', (r) => Number(r.dataset.number)).catch(() => null);
const hashParam = (page, k) => page.evaluate((key) => new URLSearchParams(location.hash.slice(1)).get(key), k);

async function waitFor(page, fn, arg, timeout = WAIT_MS) {
	return page.waitForFunction(fn, arg, { timeout }).then(() => true, () => false);
}

// Ask `get` again until `ok` accepts its answer or `ms` pass; resolves to
// { ok, seen } with the last answer, for the failure message.  An answer
// that throws (the page navigating) counts as not yet.
async function poll(get, ok, ms = WAIT_MS) {
	const deadline = Date.now() + ms;
	for (;;) {
		let seen;
		try {
			seen = await get();
		} catch (e) {
			seen = { error: String(e.message).split('\n')[0] };
		}
		if (!seen?.error && ok(seen))
			return { ok: true, seen };
		if (Date.now() >= deadline)
			return { ok: false, seen };
		await sleep(100);
	}
}

// A step the checks after it rely on: say so when it does not happen.
function need(r, what) {
	if (!r.ok)
		check(false, what, `not within ${WAIT_MS / 1000} s; last seen ${show(r.seen)}`);
	return r.ok;
}

// What the frame view shows, read in one step.
function frameView(page) {
	return page.evaluate(() => {
		const hash = new URLSearchParams(location.hash.slice(1));
		const sel = document.querySelector('#frames-body .frow.selected');
		return {
			view: document.body.dataset.view,
			total: document.getElementById('page-info').dataset.total ?? '',
			rows: [...document.querySelectorAll('#frames-body .frow[data-number]')].map((r) => Number(r.dataset.number)),
			loading: document.querySelectorAll('#frames-body .frow.loading').length,
			selected: sel ? Number(sel.dataset.number) : null,
			title: document.getElementById('detail-title').textContent,
			hash: location.hash,
			capture: hash.get('capture'),
			filter: hash.get('filter'),
			frame: hash.get('frame'),
		};
	});
}

const untilView = (page, ok, ms) => poll(() => frameView(page), ok, ms);
const selects = (n) => (v) => v.selected === n && v.frame === String(n);
// The detail pane's title once frame n is loaded ("Frame 1,234 · ...").
const titleOf = (n) => `Frame ${n.toLocaleString('en-US')} \u00b7`;

async function shot(page, name) {
	mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

// Wait until the frame list shows rows and none is still loading.
async function listSettled(page) {
	return waitFor(page, () => document.querySelector('#frames-body .frow[data-number]') &&
		!document.querySelector('#frames-body .frow.loading'));
}

// Each `totals` event of the stream rewrites #live-info: count them, so
// a wait can ask for the charts to have been drawn from a few.
function countTicks(page) {
	return page.evaluate(() => {
		const el = document.getElementById('live-info');
		window.netmonTicks = 0;
		new MutationObserver(() => /^live/.test(el.textContent) && window.netmonTicks++)
			.observe(el, { childList: true, characterData: true, subtree: true });
	});
}

async function checkOverview(page, base, capture) {
	await page.goto(`${base}/#view=overview&capture=${capture}`);
	await countTicks(page);
	const stats = await getJSON(base, `stats?capture=${capture}`);
	const total = await poll(() => page.textContent('#total-frames'), (t) => /\d/.test(t) && digits(t) === stats.frames);
	check(total.ok, `overview: frame count shown (${digits(total.seen)}) equals the API's (${stats.frames})`, show(total.seen));
	const names = stats.protocols.map((p) => p.name);
	const bars = await poll(() => page.$$eval('#proto-list li .name', (els) => els.map((e) => e.textContent)), (b) => same(b, names));
	check(bars.ok, 'overview: protocol bars list the API protocols in order', `${show(bars.seen)} vs ${names}`);
	const top = await getJSON(base, `stats/stations?capture=${capture}&sort=bytes&order=desc&limit=8`);
	const addrs = top.stations.map((s) => s.address);
	const talkers = await poll(() => page.$$eval('#talker-list li .name', (els) => els.map((e) => e.textContent)), (t) => same(t, addrs));
	check(talkers.ok, 'overview: top talkers are the API\'s stations by bytes', `${show(talkers.seen)} vs ${addrs}`);
	// The live tests, which make check may run at the same time, add and
	// remove veths named nm*: they can come or go between page and API.
	const steady = (names) => names.filter((n) => !/^nm[a-z]*\d+$/.test(n));
	const ifs = await poll(async () => ({
		page: steady(await page.$$eval('#iface-select option', (os) => os.map((o) => o.value))),
		api: steady((await getJSON(base, 'interfaces')).interfaces.map((i) => i.name)),
	}), (x) => x.page.length > 0 && same(x.page, x.api));
	check(ifs.ok, 'overview: interface picker lists /interfaces', show(ifs.seen));
	// The rate charts draw a line from their second sample: three events.
	await waitFor(page, () => window.netmonTicks >= 3);
	await shot(page, 'overview-1280x800');
	// A top talker opens the frames filtered to it; Back returns here.
	const s0 = top.stations[0];
	const f = `${s0.kind === 'eth' ? 'eth.addr' : s0.kind === 'ipv6' ? 'ipv6.addr' : 'ip.addr'} == ${s0.address}`;
	await page.click('#talker-list li:first-child');
	const count = (await getJSON(base, `frames/count?capture=${capture}&filter=${enc(f)}`)).count;
	const shown = await untilView(page, (v) => v.total === String(count) && v.filter === f);
	check(shown.ok, `clicking the top talker shows its ${count} frames (${f})`, `total ${shown.seen.total}, filter ${shown.seen.filter}`);
	await page.goBack();
	check(await waitFor(page, () => document.body.dataset.view === 'overview'), 'Back returns to the overview');
}

async function checkList(page, base, capture, total) {
	// Only the hash changes: the talker's list stays in the DOM until the
	// whole list has been drawn, so wait for the API's answer, not for rows.
	await page.goto(`${base}/#view=frames&capture=${capture}`);
	const sized = await untilView(page, (v) => v.view === 'frames' && v.filter === null && v.total === String(total));
	check(sized.ok, `frame list total (${sized.seen.total}) equals the capture's frames (${total})`);
	const first = await getJSON(base, `frames?capture=${capture}&limit=10`);
	const nums = first.frames.map((f) => f.number);
	const top = await untilView(page, (v) => !v.loading && v.rows.length > 5 && same(v.rows.slice(0, 5), nums.slice(0, 5)));
	check(top.ok, 'frame list starts with the API\'s first frames', `${top.seen.rows?.slice(0, 5)} (${top.seen.loading} rows loading)`);
	check(top.seen.rows?.length < 60, `only visible rows are in the DOM (${top.seen.rows?.length})`);
	// Keyboard: Home, Down, PageDown, End; each waits for the selection
	// (and the URL) to follow before the next key.
	await page.locator('#frames-scroll').focus();
	await page.keyboard.press('Home');
	const a = await untilView(page, selects(nums[0]));
	await page.keyboard.press('ArrowDown');
	const b = await untilView(page, selects(nums[1]));
	check(a.ok && b.ok, 'Home then ArrowDown select the first and second frames', `${a.seen.selected}, ${b.seen.selected}`);
	await page.keyboard.press('PageDown');
	const c = await untilView(page, (v) => v.selected > nums[1] + 5 && v.frame === String(v.selected));
	check(c.ok, `PageDown moves a page (${nums[1]} -> ${c.seen.selected})`);
	const t0 = Date.now();
	await page.keyboard.press('End');
	const last = (await getJSON(base, `frames?capture=${capture}&limit=1&order=desc`)).frames[0].number;
	const end = await untilView(page, (v) => v.selected === last);
	check(end.ok, `End shows and selects the last frame (${last}) in ${Date.now() - t0} ms`, `${end.seen.selected}`);
	const want = `#view=frames&capture=${capture}&frame=${last}`;
	const hash = await untilView(page, (v) => v.hash === want);
	check(hash.ok, 'URL hash names view, capture and frame', hash.seen.hash);
	// Time formats, read from the first row once Home has brought it back.
	await page.keyboard.press('Home');
	need(await untilView(page, (v) => selects(nums[0])(v) && v.rows[0] === nums[0]), 'Home selects and shows the first frame again');
	const times = () => page.$$eval('#frames-body .frow[data-number]', (rs) => rs.slice(0, 2).map((r) =>
		[Number(r.dataset.number), r.querySelector('.c-time').textContent]));
	const isFirst = (t) => t.length === 2 && t[0][0] === nums[0] && t[1][0] === nums[1];
	await page.selectOption('#time-mode', 'absolute');
	const wantAbs = first.frames[0].time.replace(/^.*T/, '').replace(/(\.\d{6})\d*Z$/, '$1');
	const abs = await poll(times, (t) => isFirst(t) && t[0][1] === wantAbs);
	check(abs.ok, `absolute time shows the time of day (${wantAbs})`, show(abs.seen));
	await page.selectOption('#time-mode', 'delta');
	const d2 = await poll(times, (t) => isFirst(t) && t[0][1] === '0.000000' && /^\d+\.\d{6}$/.test(t[1][1]));
	check(d2.ok, 'delta time starts at 0 and counts from the previous frame', show(d2.seen));
	await page.selectOption('#time-mode', 'relative');
}

async function checkTree(page, base, capture, picked) {
	const { detail } = picked;
	const n = detail.number;
	await page.fill('#goto-input', String(n));
	await page.press('#goto-input', 'Enter');
	const want = flatten(detail.tree).map((x) => [x.field || '', x.label]);
	const tree = () => page.$$eval('#tree li[role=treeitem]', (lis) =>
		lis.map((li) => [li.dataset.field, li.querySelector(':scope > .row .label').textContent]));
	const r = await poll(async () => ({ view: await frameView(page), tree: await tree() }),
		(x) => x.view.title.startsWith(titleOf(n)) && x.view.selected === n && same(x.tree, want));
	const { view, tree: shown } = r.seen;
	check(view?.selected === n, `Go to frame ${n} selects its row`, `${view?.selected} (${view?.title})`);
	check(shown?.length === want.length, `tree of frame ${n} has the API's ${want.length} nodes`, `${shown?.length}`);
	const diff = want.findIndex((w, i) => !shown?.[i] || shown[i][0] !== w[0] || shown[i][1] !== w[1]);
	check(diff < 0, 'tree fields and labels equal the API\'s, in order',
		diff >= 0 ? `node ${diff}: want ${JSON.stringify(want[diff])} got ${JSON.stringify(shown?.[diff])}` : '');
}

// In the page, in one step: find frame n's tree node, open its ancestors
// and click it unless it is already selected, then read the hex pane.
// Done again each round of a poll, since the frame may be loaded again
// (the tree drawn anew, nothing selected) between rounds.
function clickNode(page, n, node, source) {
	return page.evaluate(({ title, field, offset, length, source }) => {
		if (!document.getElementById('detail-title').textContent.startsWith(title))
			return { title: document.getElementById('detail-title').textContent };
		const li = [...document.querySelectorAll('#tree li[role=treeitem]')].find((x) => x.dataset.field === field &&
			Number(x.dataset.offset) === offset && Number(x.dataset.length) === length && (!source || x.dataset.source === source));
		if (!li)
			return { node: 'missing' };
		if (!li.classList.contains('selected')) {
			for (let p = li.parentElement.closest('li.branch'); p; p = p.parentElement.closest('li.branch')) {
				if (p.getAttribute('aria-expanded') !== 'true')
					p.querySelector(':scope > .row > .twisty').click();
			}
			li.querySelector(':scope > .row .label').click();
		}
		return {
			active: document.querySelector('#hex-sources button.active')?.dataset.source ?? null,
			hex: [...document.querySelectorAll('#hex .hx .b.hl')].map((e) => [Number(e.dataset.i), e.textContent]),
			ascii: document.querySelectorAll('#hex .as .b.hl').length,
		};
	}, { title: titleOf(n), field: node.field, offset: node.offset, length: node.length, source });
}

async function checkHex(page, picked) {
	const { detail, node } = picked;
	const want = detail.bytes.slice(2 * node.offset, 2 * (node.offset + node.length));
	const r = await poll(() => clickNode(page, detail.number, node, null), (s) => s.hex?.length === node.length &&
		s.hex[0][0] === node.offset && s.hex.map((x) => x[1]).join('') === want && s.ascii === node.length);
	const hl = r.seen.hex || [];
	check(hl.length === node.length && hl[0]?.[0] === node.offset,
		`${node.field} highlights ${node.length} bytes from offset ${node.offset}`, `${hl.length} from ${hl[0]?.[0]} (${show(r.seen)})`);
	check(hl.map((x) => x[1]).join('') === want, `highlighted hex equals the frame's bytes (${want})`, hl.map((x) => x[1]).join(''));
	check(r.seen.ascii === node.length, 'ASCII column highlights the same bytes', `${r.seen.ascii}`);
	await shot(page, 'frames-1280x800');
}

async function checkFilterBar(page, base, capture) {
	// An invalid filter: red, the API's message, the caret at its position.
	const bad = 'ip.src == 1.2.3.4 &&';
	const api = await getJSON(base, `filter/check?filter=${enc(bad)}`);
	await page.fill('#filter-input', bad);
	const bar = () => page.evaluate(() => ({
		state: document.querySelector('.fb-field').dataset.state,
		msg: document.getElementById('filter-msg').textContent,
		pos: Number(document.getElementById('filter-caret').dataset.position),
		caretX: document.getElementById('filter-caret').getBoundingClientRect().left,
		inputX: document.getElementById('filter-input').getBoundingClientRect().left,
	}));
	const msgOk = (s) => s.state === 'invalid' && s.msg.includes(api.error);
	const caretOk = (s) => s.pos === api.position && s.caretX > s.inputX + api.position * 5;
	const st = (await poll(bar, (s) => msgOk(s) && caretOk(s))).seen;
	check(!st.error && msgOk(st), `invalid filter shows the API error ("${api.error}")`, show(st));
	check(!st.error && caretOk(st), `caret at the error position ${api.position}`, `${st.pos} at x=${st.caretX}`);
	await shot(page, 'filter-error-1280x800');
	// Completion of field names.
	const comp = await getJSON(base, 'filter/complete?prefix=ip.sr');
	await page.fill('#filter-input', 'ip.sr');
	const popup = await poll(() => page.evaluate(() => ({
		hidden: document.getElementById('filter-popup').hidden,
		names: [...document.querySelectorAll('#filter-popup .fp-name')].map((x) => x.textContent),
	})), (p) => !p.hidden && p.names.length > 0 && p.names.every((n) => comp.names.some((c) => c.name === n)));
	const names = popup.seen.names || [];
	check(popup.ok, `completion offers /filter/complete names (${names})`, show(popup.seen));
	await page.press('#filter-input', 'Tab');
	const tab = await poll(() => page.inputValue('#filter-input'), (v) => v === names[0]);
	check(tab.ok, 'Tab accepts the first completion', show(tab.seen));
	// Apply: the count shown equals /frames/count.
	const filter = 'tcp || dns';
	await page.fill('#filter-input', filter);
	await page.press('#filter-input', 'Enter');
	const count = (await getJSON(base, `frames/count?capture=${capture}&filter=${enc(filter)}`)).count;
	const counted = await untilView(page, (v) => v.total === String(count));
	check(counted.ok, `applied filter shows the API's count (${count})`, await page.textContent('#page-info'));
	const first = (await getJSON(base, `frames?capture=${capture}&limit=5&filter=${enc(filter)}`)).frames.map((f) => f.number);
	const rows = await untilView(page, (v) => !v.loading && same(v.rows.slice(0, 5), first));
	check(rows.ok, 'filtered list starts with the API\'s filtered page', `${rows.seen.rows?.slice(0, 5)}`);
	check(rows.seen.filter === filter, 'URL hash carries the filter', show(rows.seen.filter));
	const href = await page.getAttribute('#export-pcapng', 'href');
	check(/frames\/export\?/.test(href) && new URL(href).searchParams.get('filter') === filter && new URL(href).searchParams.get('format') === 'pcapng', 'export link downloads the filtered frames as pcapng', href);
	const res = await fetch(href);
	const buf = Buffer.from(await res.arrayBuffer());
	check(res.ok && buf.readUInt32LE(0) === 0x0a0d0d0a, 'the export link answers a pcapng file', `${res.status}`);
	// End on a filtered list: the last matching frame.
	await page.locator('#frames-scroll').focus();
	await page.keyboard.press('End');
	const lastF = (await getJSON(base, `frames?capture=${capture}&limit=1&order=desc&filter=${enc(filter)}`)).frames[0].number;
	const end = await untilView(page, selects(lastF));
	check(end.ok, 'End on the filtered list selects its last frame', `${end.seen.selected}`);
	const hist = await poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('netmon.filterHistory') || '[]')), (h) => h[0] === filter);
	check(hist.ok, 'history remembers the applied filter', show(hist.seen));
	await shot(page, 'frames-filtered-1280x800');
	// Clear, then find next / previous with an expression.
	await page.click('#filter-clear');
	const all = (await getJSON(base, `captures/${capture}`)).frames;
	need(await untilView(page, (v) => v.total === String(all) && v.filter === null), `Clear shows all ${all} frames`);
	const from = (await getJSON(base, `frames?capture=${capture}&limit=1`)).frames[0].number;
	await page.locator('#frames-scroll').focus();
	await page.keyboard.press('Home');
	need(await untilView(page, selects(from)), `Home selects frame ${from}`);
	await page.fill('#filter-input', 'dns');
	const f1 = (await getJSON(base, `frames/find?capture=${capture}&filter=dns&from=${from}&direction=next`)).frame.number;
	await page.click('#find-next');
	const n1 = await untilView(page, selects(f1));
	check(n1.ok, `Find next lands on the API's frames/find answer (${f1})`, `${n1.seen.selected}`);
	const f2 = (await getJSON(base, `frames/find?capture=${capture}&filter=dns&from=${f1}&direction=next`)).frame.number;
	await page.click('#find-next');
	const n2 = await untilView(page, selects(f2));
	check(n2.ok, `Find next again lands on ${f2}`, `${n2.seen.selected}`);
	await page.click('#find-prev');
	const p1 = await untilView(page, selects(f1));
	check(p1.ok, `Find previous returns to ${f1}`, `${p1.seen.selected}`);
}

// In the page, in one step: once frame n (null: whichever) is shown, open
// the ancestors of its first node of `field` and answer the node's value
// (null: not yet).
function openField(page, n, field) {
	return page.evaluate(({ title, field }) => {
		if (title && !document.getElementById('detail-title').textContent.startsWith(title))
			return null;
		const li = document.querySelector(`#tree li[data-field="${field}"]`);
		if (!li)
			return null;
		for (let p = li.parentElement.closest('li.branch'); p; p = p.parentElement.closest('li.branch')) {
			if (p.getAttribute('aria-expanded') !== 'true')
				p.querySelector(':scope > .row > .twisty').click();
		}
		return li.dataset.value;
	}, { title: n == null ? null : titleOf(n), field });
}

const filterInput = (page) => page.evaluate(() => ({
	input: document.getElementById('filter-input').value,
	state: document.querySelector('.fb-field').dataset.state,
	filter: new URLSearchParams(location.hash.slice(1)).get('filter'),
}));

// "Apply as Filter" on a tree field: field == value, the API's count.
async function checkApplyAsFilter(page, base, capture) {
	// A frame with a string field: Prepare as Filter quotes its value.
	const hit = await fetch(`${base}/api/v1/frames/find?capture=${capture}&filter=${enc('dns.qry.name contains "." && ip.src')}&from=0`).then((r) => r.json());
	const n = hit.frame?.number;
	if (n != null) {
		await page.fill('#goto-input', String(n));
		await page.press('#goto-input', 'Enter');
		const v = await poll(() => openField(page, n, 'dns.qry.name'), (x) => x != null);
		if (check(v.ok, `frame ${n} shows dns.qry.name`, show(v.seen))) {
			await page.click('#tree li[data-field="dns.qry.name"] > .row', { button: 'right' });
			await page.click('#tree-menu button[data-act="prepare"]');
			const want = `dns.qry.name == "${v.seen.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
			const fb = await poll(() => filterInput(page), (x) => x.input === want);
			check(fb.ok, `Prepare as Filter quotes a string: ${want}`, fb.seen.input);
			const chk = await getJSON(base, `filter/check?filter=${enc(want)}`);
			check(chk.valid, 'and the API accepts it');
			need(await poll(() => filterInput(page), (x) => x.input === want && x.state === 'valid'), 'the filter bar marks it valid');
		}
	}
	const src = await poll(() => openField(page, n, 'ip.src'), (x) => x != null);
	if (!check(src.ok, 'the found frame has ip.src in its tree', show(src.seen)))
		return;
	const value = src.seen;
	const row = '#tree li[data-field="ip.src"] > .row';
	// Prepare: the bar gets the expression, the list keeps its filter.
	const before = await hashParam(page, 'filter');
	await page.hover(row);
	await page.click(`${row} .fbtn`);
	await page.click('#tree-menu button[data-act="prepare"]');
	const want = `ip.src == ${value}`;
	const prep = await poll(() => filterInput(page), (x) => x.input === want && x.filter === before);
	check(prep.ok, 'Prepare as Filter (the row button) fills the bar without applying', `${prep.seen.input}; filter ${before} -> ${prep.seen.filter}`);
	await page.click(row, { button: 'right' });
	await page.waitForSelector('#tree-menu:not([hidden])');
	await shot(page, 'frames-menu-1280x800');
	await page.click('#tree-menu button[data-act="apply"]');
	const applied = await poll(() => filterInput(page), (x) => x.input === want && x.filter === want);
	check(applied.ok, `Apply as Filter builds "${want}"`, show(applied.seen));
	const count = (await getJSON(base, `frames/count?capture=${capture}&filter=${enc(want)}`)).count;
	const shown = await untilView(page, (x) => x.total === String(count) && x.filter === want);
	check(shown.ok, `and shows its ${count} frames`, `total ${shown.seen.total}, filter ${shown.seen.filter}`);
}

// The rows of a statistics table once they equal what `want` accepts.
function tableRows(page, id, ok) {
	return poll(() => page.$$eval(`#${id} table tbody tr`, (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent))),
		(rows) => rows.length > 0 && ok(rows));
}

async function checkTables(page, base, capture) {
	await page.click('#tabs a[data-view="stations"]');
	let api = await getJSON(base, `stats/stations?capture=${capture}&sort=bytes&order=desc&limit=50`);
	const addrsOk = (stations) => (rows) => Array.isArray(rows) && same(rows.map((r) => r[0]), stations.map((s) => s.address));
	const framesOk = (stations) => (rows) => Array.isArray(rows) && same(rows.map((r) => digits(r[2])), stations.map((s) => s.frames));
	let r = await tableRows(page, 'stations-table', (rows) => addrsOk(api.stations)(rows) && framesOk(api.stations)(rows));
	check(r.ok || addrsOk(api.stations)(r.seen), `stations table lists the API's ${api.stations.length} stations by bytes`, show(r.seen));
	check(r.ok, 'stations frame counts equal the API\'s', show(r.seen));
	await page.click('#stations-table th[data-key="frames"]');
	api = await getJSON(base, `stats/stations?capture=${capture}&sort=frames&order=desc&limit=50`);
	r = await tableRows(page, 'stations-table', framesOk(api.stations));
	check(r.ok, 'sorting by Frames matches sort=frames', show(r.seen));
	if (api.stations.length === 50) {
		await page.click('#stations-table .tp-next');
		const p2 = await getJSON(base, `stats/stations?capture=${capture}&sort=frames&order=desc&limit=50&offset=50`);
		r = await tableRows(page, 'stations-table', addrsOk(p2.stations));
		check(r.ok, 'Next page matches offset=50', show(r.seen));
	}
	await shot(page, 'stations-1280x800');

	await page.click('#tabs a[data-view="conversations"]');
	await page.click('#conv-types button[data-kind="tcp"]');
	api = await getJSON(base, `stats/conversations?type=tcp&capture=${capture}&sort=bytes&order=desc&limit=50`);
	const key = (a, pa, b, pb) => `${a}:${pa}-${b}:${pb}`;
	const keys = api.conversations.map((c) => key(c.address_a, c.port_a, c.address_b, c.port_b));
	const hasPorts = () => page.$('#conversations-table th[data-key="port_a"]').then((th) => th !== null);
	r = await poll(async () => ((await hasPorts()) ? (await page.$$eval('#conversations-table table tbody tr',
		(trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)))) : { ports: false }),
	(rows) => Array.isArray(rows) && same(rows.map((x) => key(x[0], x[1], x[2], x[3])), keys));
	check(r.ok, `TCP conversations table equals the API's (${api.conversations.length} rows)`, show(r.seen));
	await shot(page, 'conversations-1280x800');
	if (api.conversations.length) {
		const c = api.conversations.find((x) => !x.address_a.includes(':')) || api.conversations[0];
		const i = api.conversations.indexOf(c);
		const af = c.address_a.includes(':') ? 'ipv6.addr' : 'ip.addr';
		const want = `${af} == ${c.address_a} && tcp.port == ${c.port_a} && ${af} == ${c.address_b} && tcp.port == ${c.port_b}`;
		await page.click(`#conversations-table tbody tr:nth-child(${i + 1})`);
		const open = await poll(async () => ({ view: await page.evaluate(() => document.body.dataset.view), input: await page.inputValue('#filter-input') }),
			(x) => x.view === 'frames' && x.input === want);
		check(open.ok, 'clicking a conversation filters the frames to it', show(open.seen));
		const count = (await getJSON(base, `frames/count?capture=${capture}&filter=${enc(want)}`)).count;
		const shown = await untilView(page, (v) => v.total === String(count) && v.filter === want);
		check(shown.ok, `conversation filter shows ${count} frames (the table says ${c.frames})`, `total ${shown.seen.total}`);
	}

	await page.click('#tabs a[data-view="protocols"]');
	const phs = await getJSON(base, `stats/protocols?capture=${capture}`);
	const order = [];
	const walk = (x) => {
		order.push([x.name, x.frames]);
		[...(x.children || [])].sort((a, b) => b.frames - a.frames).forEach(walk);
	};
	walk(phs.hierarchy);
	r = await tableRows(page, 'protocols-table', (rows) => same(rows.map((x) => [x[0], digits(x[2])]), order));
	check(r.ok, `protocol hierarchy equals the API's tree (${order.length} nodes)`, show(r.seen));
	await shot(page, 'protocols-1280x800');

	await page.click('#tabs a[data-view="captures"]');
	const caps = await getJSON(base, 'captures');
	r = await tableRows(page, 'captures-table', (rows) => rows.length === caps.captures.length &&
		rows.every((x) => caps.captures.some((cap) => String(cap.id) === x[0] && digits(x[7]) === cap.frames)));
	check(r.ok, 'captures table lists the API\'s captures with their frame counts', show(r.seen));
	await shot(page, 'captures-1280x800');
}

// The first n frames of a little-endian pcap, as a new pcap file.
function headPcap(src, n, dst) {
	const b = readFileSync(src);
	let off = 24;
	for (let i = 0; i < n && off + 16 <= b.length; i++)
		off += 16 + b.readUInt32LE(off + 8);
	writeFileSync(dst, b.subarray(0, off));
	return dst;
}

// A frame completing a fragmented UDP datagram: its reassembled bytes are a
// second tab of the hex pane, and a node dissected from them highlights
// there (the API marks such nodes "source": "reassembled").
async function checkReassembled(page, base, capture) {
	const last = await getJSON(base, `frames?capture=${capture}&limit=50&filter=${enc('ip.proto == 17 && ip.frag_offset > 0 && ip.flags.mf == 0')}`);
	let detail = null;
	for (const f of last.frames) {
		const d = await getJSON(base, `frames/${f.number}?capture=${capture}`);
		if (d.reassembled) {
			detail = d;
			break;
		}
	}
	if (!detail) {
		console.log('skip reassembled-bytes check: the capture has no reassembled UDP datagram');
		return;
	}
	const nodes = flatten(detail.tree);
	const node = nodes.find((n) => n.source === 'reassembled' && n.field && n.length > 0 && n.length < 16);
	if (!check(node, `frame ${detail.number} has a field dissected from the reassembled bytes`))
		return;
	await page.click('#tabs a[data-view="frames"]');
	await page.goto(`${base}/#view=frames&capture=${capture}&frame=${detail.number}`);
	const tabs = await poll(() => page.evaluate((title) => document.getElementById('detail-title').textContent.startsWith(title) &&
		[...document.querySelectorAll('#hex-sources button')].map((b) => b.textContent), titleOf(detail.number)),
	(t) => t && t.length === 2 && /Reassembled IPv4 \(\d+\)/.test(t[1]));
	check(tabs.ok, 'the hex pane offers the frame and the reassembled bytes', show(tabs.seen));
	// The hash change loads the frame twice (the list selecting it too), so
	// find, open and click in one step, again if the tree was drawn anew.
	const want = detail.reassembled.bytes.slice(2 * node.offset, 2 * (node.offset + node.length));
	const r = await poll(() => clickNode(page, detail.number, node, 'reassembled'),
		(s) => s.active === 'reassembled' && s.hex?.map((x) => x[1]).join('') === want);
	check(r.ok, `${node.field} highlights its bytes in the reassembled tab (${want})`, `${r.seen.active} ${r.seen.hex?.map((x) => x[1]).join('')} ${show(r.seen)}`);
	await shot(page, 'frames-reassembled-1280x800');
}

// Captures view: import by upload (file input, progress, the server's
// refusal shown), delete with confirmation.
async function checkCaptures(page, base, opt) {
	const small = headPcap(opt.pcap, 5, join(work, 'five.pcap'));
	await page.click('#tabs a[data-view="captures"]');
	await page.setInputFiles('#upload-input', small);
	const upload = () => page.evaluate(() => {
		const li = document.querySelector('#uploads li[data-state="done"]');
		const p = li?.querySelector('progress');
		return li ? { note: li.querySelector('.up-note').textContent, bar: [p.value, p.max] } : null;
	});
	const up = await poll(upload, (u) => u && /capture \d+/.test(u.note));
	const id = Number((up.seen?.note?.match(/capture (\d+)/) || [])[1]);
	check(up.ok && id > 0, 'upload from the file input finishes with a full progress bar and the new capture', show(up.seen));
	const bar = up.seen?.bar || [];
	check(up.ok && bar[0] === bar[1], `the progress bar is full (${bar})`);
	const cap = await poll(() => getJSON(base, `captures/${id}`), (c) => c.state === 'done');
	check(cap.seen?.frames === 5, `the uploaded capture has the file's 5 frames (${cap.seen?.frames})`, show(cap.seen));
	const shown = await waitFor(page, (n) => [...document.querySelectorAll('#captures-table tbody tr')]
		.some((tr) => tr.dataset.id === String(n) && tr.cells[7].textContent === '5'), id);
	check(shown, `the captures table lists capture ${id} with 5 frames`);
	await shot(page, 'captures-upload-1280x800');

	let failed = false;
	const logged = await expectConsoleError(page, /status of 400/, async () => {
		await page.setInputFiles('#upload-input', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a capture') });
		failed = await page.waitForSelector('#uploads li[data-state="failed"]', { timeout: WAIT_MS }).then(() => true, () => false);
	});
	const why = failed ? await page.textContent('#uploads li[data-state="failed"] .up-note') : '';
	check(failed && /not a pcap or pcapng/.test(why), 'a file that is not a capture shows the API\'s reason', why);
	const err = await poll(() => page.evaluate(() => !document.getElementById('error-bar').hidden &&
		document.getElementById('error-text').textContent), (t) => /400/.test(t));
	check(err.ok, 'and the error bar shows the 400', show(err.seen));
	if (!logged)
		console.log('note: the browser logged no "status of 400" for the refused upload');
	await page.click('#error-close');

	page.once('dialog', (d) => d.accept());
	await page.click(`#captures-table button[data-delete="${id}"]`);
	const gone = await waitFor(page, (n) => ![...document.querySelectorAll('#captures-table tbody tr')].some((tr) => tr.dataset.id === String(n)), id);
	const still = (await getJSON(base, 'captures')).captures.some((c) => c.id === id);
	check(gone && !still, `Delete (confirmed) removes capture ${id} from the table and the API`);
}

// Alerts: a file import with a notify trigger on its first frame's first
// byte fires once; the alert arrives over the event stream (tab badge) and
// the alerts view lists what GET /alerts says.
async function checkAlerts(page, base, opt) {
	const small = join(work, 'five.pcap');
	const first = readFileSync(small).subarray(40, 42).toString('hex');
	await page.click('#tabs a[data-view="overview"]');
	const before = (await getJSON(base, 'alerts')).alerts.length;
	const res = await fetch(`${base}/api/v1/captures`, {
		method: 'POST',
		body: JSON.stringify({ file: small, trigger: { when: 'pattern', pattern: { offset: 0, from: 'frame', hex: first }, action: 'notify' } }),
	});
	const cap = await res.json();
	check(res.status === 201, `a file capture with a notify trigger starts (${res.status})`, JSON.stringify(cap).slice(0, 200));
	const badge = await waitFor(page, () => !document.getElementById('alerts-badge').hidden);
	check(badge, `the Alerts tab shows a new alert (badge ${await page.textContent('#alerts-badge')})`);
	await page.click('#tabs a[data-view="alerts"]');
	const alerts = await poll(() => getJSON(base, 'alerts'), (a) => a.alerts.length === before + 1);
	const api = alerts.seen.alerts || [];
	check(alerts.ok && api[api.length - 1].capture_id === cap.id, `GET /alerts has the trigger's alert (${api.length})`);
	const want = api[api.length - 1];
	const r = await poll(() => page.evaluate(() => ({
		rows: document.querySelectorAll('#alerts-table tbody tr').length,
		top: [...(document.querySelector('#alerts-table tbody tr')?.cells || [])].map((c) => c.textContent),
		badge: document.getElementById('alerts-badge').hidden,
	})), (x) => x.rows === api.length && Number(x.top[0]) === want?.id && Number(x.top[2]) === cap.id &&
		x.top[4] === want?.action && x.top[5] === want?.message && x.badge);
	const { top = [] } = r.seen;
	check(r.seen.rows === api.length && Number(top[0]) === want?.id && Number(top[2]) === cap.id && top[4] === want?.action && top[5] === want?.message,
		'the alerts view lists them newest first, as the API says', `${r.seen.rows} rows, top ${top}`);
	check(r.seen.badge === true, 'viewing the alerts clears the badge');
	await shot(page, 'alerts-1280x800');
}

// Ask the API for its status (traffic on lo: the live capture's frames)
// until `ok` accepts what the page shows.
function withTraffic(base, get, ok) {
	return poll(async () => {
		await getJSON(base, 'status');
		return get();
	}, ok);
}

// Live: a capture on the loopback (root only), driven from the page; the
// SSE counters and the chart must move.
async function checkLive(page, base) {
	if (process.getuid && process.getuid() !== 0) {
		console.log('skip live capture check: not root');
		return;
	}
	const ifs = await getJSON(base, 'interfaces');
	const lo = ifs.interfaces.find((i) => i.name === 'lo' && i.can_capture);
	if (!lo) {
		console.log('skip live capture check: no capturable lo');
		return;
	}
	await page.click('#tabs a[data-view="overview"]');
	await page.selectOption('#iface-select', 'lo');
	await page.fill('#bpf-input', 'tcp');
	await page.click('#start-btn');
	const ok = await waitFor(page, () => document.querySelector('#live-caps li[data-state="running"]'));
	check(ok, 'Start on lo shows a running capture with its controls');
	// Starting the same interface again: the API's 409 reaches the error bar.
	let text = '';
	const logged = await expectConsoleError(page, /status of 409/, async () => {
		await page.click('#start-btn');
		text = (await poll(() => page.evaluate(() => !document.getElementById('error-bar').hidden &&
			document.getElementById('error-text').textContent), (t) => /409/.test(t))).seen;
	});
	check(/409/.test(text) && /conflict/.test(text), 'a refused Start shows the API\'s 409 conflict', show(text));
	if (!logged)
		console.log('note: the browser logged no "status of 409" for the refused Start');
	await page.click('#error-close');
	const frames = () => page.$eval('#live-info', (e) => Number(e.dataset.frames || 0));
	const before = await frames();
	const moved = await withTraffic(base, frames, (n) => n > before);
	check(moved.ok, 'SSE counters move during the live capture', `${before} -> ${moved.seen}`);
	const rate = await withTraffic(base, () => page.textContent('#rate-fps'), (t) => /[1-9]/.test(t));
	check(rate.ok, `frames/s chart shows a rate (${rate.seen})`);
	await shot(page, 'overview-live-1280x800');
	// The frame list of the live capture grows while it runs.
	const id = Number(await page.$eval('#live-caps li[data-state="running"]', (e) => e.dataset.id));
	await page.selectOption('#capture-select', String(id));
	await page.click('#tabs a[data-view="frames"]');
	await page.click('#filter-clear'); // the list had a conversation's filter
	const live = await untilView(page, (v) => v.view === 'frames' && v.capture === String(id) && v.filter === null &&
		v.total !== '' && v.rows.length > 0 && !v.loading);
	need(live, `the frame list shows live capture ${id}, unfiltered`);
	const n0 = Number(live.seen.total);
	const grew = await withTraffic(base, () => page.$eval('#page-info', (e) => Number(e.dataset.total)), (n) => n > n0);
	check(grew.ok, `the live capture's frame list grows (${n0} -> ${grew.seen})`);
	await page.click('#tabs a[data-view="overview"]');
	await page.click('#live-caps button[data-act="pause"]');
	check(await waitFor(page, () => document.querySelector('#live-caps li[data-state="paused"]')), 'Pause shows the paused state');
	await page.click('#live-caps button[data-act="stop"]');
	check(await waitFor(page, () => document.querySelector('#live-caps li[data-state="stopped"]')), 'Stop shows the stopped state');
}

async function checkSharedLink(ctx, base, capture, number, errors) {
	const page = await ctx.newPage();
	watchConsole(page, errors);
	await page.setViewportSize({ width: 1280, height: 800 });
	await page.goto(`${base}/#capture=${capture}&frame=${number}`);
	const r = await untilView(page, (v) => v.title.startsWith(titleOf(number)) && v.selected === number);
	check(r.seen.title?.startsWith(titleOf(number)), 'a shared #capture=&frame= link opens that frame', show(r.seen.title));
	check(r.seen.selected === number, 'and selects its row in the list', `${r.seen.selected}`);
	await page.goto(`${base}/#view=frames&capture=${capture}&filter=${enc('udp')}&frame=${number}`);
	await page.reload();
	const count = (await getJSON(base, `frames/count?capture=${capture}&filter=udp`)).count;
	const f = await untilView(page, (v) => v.total === String(count) && v.filter === 'udp');
	check(f.ok, 'a shared link with a filter applies it', `total ${f.seen.total}, filter ${f.seen.filter}`);
	await page.close();
}

async function checkErrorBar(ctx, base, capture) {
	const page = await ctx.newPage();
	await page.goto(`${base}/#capture=${capture}&frame=999999999`);
	const missing = await waitFor(page, () => /not in the list/.test(document.getElementById('find-info').textContent));
	check(missing, 'a link to a missing frame says it is not in the list');
	// A filter the API refuses (a link can carry anything): its 400 is shown.
	await page.goto(`${base}/#view=frames&capture=${capture}&filter=${enc('tcp.port ==')}`);
	await page.reload();
	const r = await poll(() => page.evaluate(() => !document.getElementById('error-bar').hidden &&
		document.getElementById('error-text').textContent), (t) => /400/.test(t) && /bad_filter/.test(t));
	check(r.ok, 'an API error (400 bad_filter) reaches the error bar', show(r.seen));
	await page.close();
}

// What each view shows once it has been drawn (at phone width).
const DRAWN = {
	overview: '#talker-list li .name',
	frames: '#tree li[role=treeitem]',
	stations: '#stations-table tbody tr',
	conversations: '#conversations-table tbody tr',
	protocols: '#protocols-table tbody tr',
	captures: '#captures-table tbody tr',
	alerts: '#alerts-table tbody tr',
};

async function phoneShots(ctx, base, capture, number, errors) {
	const page = await ctx.newPage();
	watchConsole(page, errors);
	await page.setViewportSize({ width: 390, height: 844 });
	for (const view of Object.keys(DRAWN)) {
		await page.goto(`${base}/#view=${view}&capture=${capture}${view === 'frames' ? `&frame=${number}` : ''}`);
		const drawn = await waitFor(page, ({ view, sel }) => document.body.dataset.view === view &&
			document.querySelector(`main.view[data-view="${view}"] ${sel}`) &&
			(view !== 'frames' || !document.querySelector('#frames-body .frow.loading')), { view, sel: DRAWN[view] });
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		check(overflow <= 0, `no horizontal page overflow at phone width (${view})`, `${overflow}px${drawn ? '' : ' (the view was not drawn)'}`);
		if (view === 'overview' || view === 'frames')
			await page.screenshot({ path: join(SHOTS, `${view}-390x844.png`), fullPage: view !== 'frames' });
	}
	await page.close();
}

// In the page: scroll to a fraction of the list and resolve, with the time
// taken, once the rows in view are others than before and all loaded.
const JUMP = `window.jumpAndWait = (f) => new Promise((resolve) => {
	const s = document.getElementById('frames-scroll');
	const firstIndex = () => document.querySelector('#frames-body .frow')?.dataset.index;
	const before = firstIndex();
	const t1 = performance.now();
	s.scrollTop = f * (s.scrollHeight - s.clientHeight);
	const poll = () => (firstIndex() === before || document.querySelector('#frames-body .frow.loading')
		? requestAnimationFrame(poll) : resolve(performance.now() - t1));
	requestAnimationFrame(poll);
});`;

// First paint and frame-list page latency against a large database.
async function perf(ctx, opt, errors) {
	if (!opt.bigdb)
		return;
	if (!existsSync(opt.bigdb)) {
		console.log(`skip perf: ${opt.bigdb} not found`);
		return;
	}
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	startNetmond(opt, port, opt.bigdb);
	await poll(() => fetch(`${base}/api/v1/status`).then((r) => r.ok, () => false), Boolean);
	const caps = (await getJSON(base, 'captures')).captures;
	const cap = caps[caps.length - 1];
	let page = await ctx.newPage();
	watchConsole(page, errors);
	await page.setViewportSize({ width: 1280, height: 800 });
	const t0 = Date.now();
	await page.goto(`${base}/#view=frames&capture=${cap.id}`);
	await listSettled(page);
	const rowsAt = Date.now() - t0;
	const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime);
	console.log(`perf: ${cap.frames} frames; first contentful paint ${fcp?.toFixed(0)} ms; first rows shown ${rowsAt} ms after navigation`);
	check(fcp < 1000, `first paint under 1 s on ${cap.frames} frames (${fcp?.toFixed(0)} ms)`);
	// Jumps to random places: time until every visible row is loaded.
	await page.evaluate(JUMP);
	const times = [];
	for (let k = 0; k < 12; k++) {
		const frac = (k * 0.37 + 0.05) % 1;
		const t = await page.evaluate(async (f) => {
			const s = document.getElementById('frames-scroll');
			return window.jumpAndWait(f);
		}, frac);
		times.push(t);
	}
	times.sort((a, b) => a - b);
	const med = times[Math.floor(times.length / 2)];
	console.log(`perf: frame-list page after a jump: median ${med.toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms (${times.length} jumps)`);
	check(med < 100, `frame-list page under 100 ms (median ${med.toFixed(0)} ms)`);
	const t2 = Date.now();
	await page.locator('#frames-scroll').focus();
	await page.keyboard.press('End');
	const lastOk = await waitFor(page, (n) => document.querySelector('#frames-body .frow.selected')?.dataset.number === String(n), cap.frames);
	check(lastOk, `End on ${cap.frames} frames shows the last frame (${Date.now() - t2} ms)`, `${await selectedNumber(page)}`);
	await page.screenshot({ path: join(SHOTS, 'frames-1M-1280x800.png') });
	// A filtered list: count, first rows, the tail, a jump to the middle
	// (which walks cursor pages from the nearest loaded one).
	const filter = 'tcp';
	await page.close();
	page = await ctx.newPage();
	watchConsole(page, errors);
	await page.setViewportSize({ width: 1280, height: 800 });
	const t3 = Date.now();
	await page.goto(`${base}/#view=frames&capture=${cap.id}&filter=${filter}`);
	await listSettled(page);
	const shownAt = Date.now() - t3;
	await waitFor(page, () => document.getElementById('page-info').dataset.total !== '', null, 30000);
	const countedAt = Date.now() - t3;
	const n = Number(await page.$eval('#page-info', (e) => e.dataset.total));
	const t4 = Date.now();
	await page.locator('#frames-scroll').focus();
	await page.keyboard.press('End');
	const lastF = await getJSON(base, `frames?capture=${cap.id}&limit=1&order=desc&filter=${filter}`);
	check(await waitFor(page, (x) => document.querySelector('#frames-body .frow.selected')?.dataset.number === String(x), lastF.frames[0].number, 30000),
		`End on the filtered list (${n} frames) selects its last frame`);
	const endMs = Date.now() - t4;
	await page.evaluate(JUMP);
	const mid = await page.evaluate(() => window.jumpAndWait(0.5));
	const fj = [];
	for (let k = 0; k < 8; k++) // random jumps: each an offset= page
		fj.push(await page.evaluate((f) => window.jumpAndWait(f), (k * 0.37 + 0.05) % 1));
	fj.sort((a, b) => a - b);
	console.log(`perf: filter "${filter}" (${n} of ${cap.frames} frames): first rows ${shownAt} ms, count shown ${countedAt} ms, End ${endMs} ms, jump to the middle ${mid.toFixed(0)} ms, random jumps median ${fj[4].toFixed(0)} ms, max ${fj[7].toFixed(0)} ms`);
	await page.close();
}

// BROWSER_CPU_THROTTLE=N runs the page's scripts N times slower
// (Chromium's CPU throttling): a loaded CI machine on a quiet one.
async function throttle(ctx, page) {
	const rate = Number(process.env.BROWSER_CPU_THROTTLE || 0);
	if (rate > 1)
		await (await ctx.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate });
}

// BROWSER_API_DELAY_MS=N holds each API request (not the event stream)
// for a random 0..N ms before it goes out, as a loaded daemon answers late
// and out of order.
function delayApi(ctx) {
	const most = Number(process.env.BROWSER_API_DELAY_MS || 0);
	if (most > 0)
		return ctx.route(/\/api\/v1\/(?!events)/, (route) => sleep(Math.random() * most).then(() => route.continue()).catch(() => {}));
}

async function run(opt, pw) {
	work = mkdtempSync(join(tmpdir(), 'netmon-browser-'));
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	startNetmond(opt, port);
	const capture = await waitCaptureDone(base);
	const st = await getJSON(base, 'stats?capture=' + capture);
	if (st.frames === 0)
		throw new Error(`${opt.pcap} gave no frames`);

	const ctx = await pw.chromium.launchPersistentContext(join(work, 'profile'), {
		executablePath: CHROMIUM,
		headless: true,
		viewport: { width: 1280, height: 800 },
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	browser = ctx;
	// Clicks and navigations wait as long as the checks do.
	ctx.setDefaultTimeout(WAIT_MS);
	ctx.setDefaultNavigationTimeout(WAIT_MS);
	const errors = [];
	await delayApi(ctx);
	ctx.on('page', (p) => throttle(ctx, p).catch(() => {}));
	const page = ctx.pages()[0] || (await ctx.newPage());
	await throttle(ctx, page);
	watchConsole(page, errors);

	await checkOverview(page, base, capture);
	await checkList(page, base, capture, st.frames);
	const first = await getJSON(base, `frames?capture=${capture}&limit=60`);
	const picked = await pickFrame(base, capture, first.frames.map((f) => f.number));
	if (!check(picked !== null, 'the capture has a frame with a field past byte 0 to click'))
		return;
	await checkTree(page, base, capture, picked);
	await checkHex(page, picked);
	await checkFilterBar(page, base, capture);
	await checkApplyAsFilter(page, base, capture);
	await checkReassembled(page, base, capture);
	await checkTables(page, base, capture);
	await checkCaptures(page, base, opt);
	await checkAlerts(page, base, opt);
	await checkSharedLink(ctx, base, capture, picked.detail.number, errors);
	await phoneShots(ctx, base, capture, picked.detail.number, errors);
	await checkErrorBar(ctx, base, capture);
	await checkLive(page, base);
	await perf(ctx, opt, errors);
	check(errors.length === 0, 'no console errors', errors.join('; '));
}

async function cleanup() {
	if (browser)
		await browser.close().catch(() => {});
	for (const p of daemons) {
		if (p.exitCode !== null || p.signalCode !== null)
			continue;
		const gone = new Promise((r) => p.once('exit', r));
		p.kill('SIGTERM');
		await Promise.race([gone, sleep(5000)]);
		if (p.exitCode === null && p.signalCode === null)
			p.kill('SIGKILL');
	}
	if (work)
		rmSync(work, { recursive: true, force: true });
}

const opt = parseArgs(process.argv.slice(2));
if (!existsSync(opt.pcap))
	skip(`capture file ${opt.pcap} not found`);
if (!existsSync(join(opt.webdir, 'index.html'))) {
	console.error(`FAIL: ${opt.webdir}/index.html not found`);
	process.exit(1);
}
const pw = await loadPlaywright();
let status = 1;
try {
	await run(opt, pw);
	status = failures.length ? 1 : 0;
} catch (e) {
	console.log(`FAIL ${e.stack || e}`);
	if (netmondLog)
		console.log(`netmond output:\n${netmondLog}`);
}
await cleanup();
console.log(status === 0 ? 'PASS' : `FAILED: ${failures.length ? failures.join(', ') : 'error above'}`);
process.exit(status);

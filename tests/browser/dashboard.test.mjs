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
	const deadline = Date.now() + 60000;
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
	throw new Error(`capture did not finish in 60 s (last: ${last})`);
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
			!n.field.startsWith('frame.') && n.offset > 0 && n.length > 0 &&
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

const digits = (s) => Number(String(s).replace(/[^0-9]/g, ''));

const enc = encodeURIComponent;
const rowNumbers = (page) => page.$$eval('#frames-body .frow[data-number]', (rs) => rs.map((r) => Number(r.dataset.number)));
const selectedNumber = (page) => page.$eval('#frames-body .frow.selected', (r) => Number(r.dataset.number)).catch(() => null);
const hashParam = (page, k) => page.evaluate((key) => new URLSearchParams(location.hash.slice(1)).get(key), k);

async function waitFor(page, fn, arg, timeout = 10000) {
	return page.waitForFunction(fn, arg, { timeout }).then(() => true, () => false);
}

async function shot(page, name) {
	mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

// Wait until the frame list shows rows and none is still loading.
async function listSettled(page) {
	return waitFor(page, () => document.querySelector('#frames-body .frow[data-number]') &&
		!document.querySelector('#frames-body .frow.loading'), null, 30000);
}

async function checkOverview(page, base, capture) {
	await page.goto(`${base}/#view=overview&capture=${capture}`);
	await page.waitForFunction(() => /\d/.test(document.getElementById('total-frames').textContent));
	const stats = await getJSON(base, `stats?capture=${capture}`);
	const shown = digits(await page.textContent('#total-frames'));
	check(shown === stats.frames, `overview: frame count shown (${shown}) equals the API's (${stats.frames})`);
	await page.waitForSelector('#proto-list li .name');
	const bars = await page.$$eval('#proto-list li .name', (els) => els.map((e) => e.textContent));
	check(JSON.stringify(bars) === JSON.stringify(stats.protocols.map((p) => p.name)),
		'overview: protocol bars list the API protocols in order', `${bars} vs ${stats.protocols.map((p) => p.name)}`);
	await page.waitForSelector('#talker-list li');
	const talkers = await page.$$eval('#talker-list li .name', (els) => els.map((e) => e.textContent));
	const top = await getJSON(base, `stats/stations?capture=${capture}&sort=bytes&order=desc&limit=8`);
	check(JSON.stringify(talkers) === JSON.stringify(top.stations.map((s) => s.address)), 'overview: top talkers are the API\'s stations by bytes', `${talkers}`);
	// The live tests, which make check may run at the same time, add and
	// remove veths named nm*: they can come or go between page and API.
	const steady = (names) => names.filter((n) => !/^nm[a-z]*\d+$/.test(n));
	const ifaces = steady(await page.$$eval('#iface-select option', (os) => os.map((o) => o.value)));
	const api = await getJSON(base, 'interfaces');
	check(JSON.stringify(ifaces) === JSON.stringify(steady(api.interfaces.map((i) => i.name))), 'overview: interface picker lists /interfaces', `${ifaces}`);
	await waitFor(page, () => /live|connected/.test(document.getElementById('live-info').textContent));
	await page.waitForTimeout(2200); // two SSE ticks draw the charts
	await shot(page, 'overview-1280x800');
	// A top talker opens the frames filtered to it; Back returns here.
	const s0 = top.stations[0];
	const f = `${s0.kind === 'eth' ? 'eth.addr' : s0.kind === 'ipv6' ? 'ipv6.addr' : 'ip.addr'} == ${s0.address}`;
	await page.click('#talker-list li:first-child');
	const count = (await getJSON(base, `frames/count?capture=${capture}&filter=${enc(f)}`)).count;
	check(await waitFor(page, (n) => document.getElementById('page-info').dataset.total === String(n), count) &&
		await hashParam(page, 'filter') === f, `clicking the top talker shows its ${count} frames (${f})`);
	await page.goBack();
	check(await waitFor(page, () => document.body.dataset.view === 'overview'), 'Back returns to the overview');
}

async function checkList(page, base, capture, total) {
	await page.goto(`${base}/#view=frames&capture=${capture}`);
	await listSettled(page);
	const shownTotal = Number(await page.$eval('#page-info', (e) => e.dataset.total));
	check(shownTotal === total, `frame list total (${shownTotal}) equals the capture's frames (${total})`);
	const first = await getJSON(base, `frames?capture=${capture}&limit=10`);
	const nums = await rowNumbers(page);
	check(nums.length > 5 && nums.slice(0, 5).join() === first.frames.slice(0, 5).map((f) => f.number).join(),
		'frame list starts with the API\'s first frames', `${nums.slice(0, 5)}`);
	check(nums.length < 60, `only visible rows are in the DOM (${nums.length})`);
	// Keyboard: Home, Down, PageDown, End.
	await page.locator('#frames-scroll').focus();
	await page.keyboard.press('Home');
	await waitFor(page, () => /frame=\d+/.test(location.hash));
	const a = await selectedNumber(page);
	await page.keyboard.press('ArrowDown');
	await waitFor(page, (n) => document.querySelector('#frames-body .frow.selected')?.dataset.number !== String(n), a);
	const b = await selectedNumber(page);
	check(a === first.frames[0].number && b === first.frames[1].number, 'Home then ArrowDown select the first and second frames', `${a}, ${b}`);
	await page.keyboard.press('PageDown');
	await page.waitForTimeout(300);
	const c = await selectedNumber(page);
	check(c > b + 5, `PageDown moves a page (${b} -> ${c})`);
	const t0 = Date.now();
	await page.keyboard.press('End');
	const last = await getJSON(base, `frames?capture=${capture}&limit=1&order=desc`);
	const ok = await waitFor(page, (n) => document.querySelector('#frames-body .frow.selected')?.dataset.number === String(n), last.frames[0].number);
	check(ok, `End shows and selects the last frame (${last.frames[0].number}) in ${Date.now() - t0} ms`, `${await selectedNumber(page)}`);
	const hash = await page.evaluate(() => location.hash);
	check(hash === `#view=frames&capture=${capture}&frame=${last.frames[0].number}`, 'URL hash names view, capture and frame', hash);
	// Time formats.
	await page.keyboard.press('Home');
	await page.selectOption('#time-mode', 'absolute');
	const abs = await page.$eval('#frames-body .frow[data-number] .c-time', (e) => e.textContent);
	const want = first.frames[0].time.replace(/^.*T/, '').replace(/(\.\d{6})\d*Z$/, '$1');
	check(abs === want, `absolute time shows the time of day (${want})`, abs);
	await page.selectOption('#time-mode', 'delta');
	const d2 = await page.$$eval('#frames-body .frow[data-number] .c-time', (e) => e.slice(0, 2).map((x) => x.textContent));
	check(d2[0] === '0.000000' && /^\d+\.\d{6}$/.test(d2[1]), 'delta time starts at 0 and counts from the previous frame', `${d2}`);
	await page.selectOption('#time-mode', 'relative');
}

async function checkTree(page, base, capture, picked) {
	const { detail } = picked;
	await page.fill('#goto-input', String(detail.number));
	await page.press('#goto-input', 'Enter');
	await page.waitForFunction((n) => document.getElementById('detail-title').textContent.includes(`Frame ${n.toLocaleString('en-US')}`), detail.number);
	await page.waitForSelector('#tree li[role=treeitem]');
	check(await selectedNumber(page) === detail.number, `Go to frame ${detail.number} selects its row`);
	const shown = await page.$$eval('#tree li[role=treeitem]', (lis) =>
		lis.map((li) => [li.dataset.field, li.querySelector(':scope > .row .label').textContent]));
	const want = flatten(detail.tree).map((n) => [n.field || '', n.label]);
	check(shown.length === want.length, `tree of frame ${detail.number} has the API's ${want.length} nodes`, `${shown.length}`);
	const diff = want.findIndex((w, i) => !shown[i] || shown[i][0] !== w[0] || shown[i][1] !== w[1]);
	check(diff < 0, 'tree fields and labels equal the API\'s, in order',
		diff >= 0 ? `node ${diff}: want ${JSON.stringify(want[diff])} got ${JSON.stringify(shown[diff])}` : '');
}

async function checkHex(page, picked) {
	const { detail, node } = picked;
	const handle = await page.evaluateHandle(({ field, offset, length }) =>
		[...document.querySelectorAll('#tree li[role=treeitem]')].find((li) => li.dataset.field === field &&
			Number(li.dataset.offset) === offset && Number(li.dataset.length) === length), node);
	await handle.evaluate((li) => {
		for (let p = li.parentElement.closest('li.branch'); p; p = p.parentElement.closest('li.branch')) {
			if (p.getAttribute('aria-expanded') !== 'true')
				p.querySelector(':scope > .row > .twisty').click();
		}
	});
	await handle.asElement().$(':scope > .row .label').then((row) => row.click());
	const hl = await page.$$eval('#hex .hx .b.hl', (els) => els.map((e) => [Number(e.dataset.i), e.textContent]));
	const asc = await page.$$eval('#hex .as .b.hl', (els) => els.length);
	const want = detail.bytes.slice(2 * node.offset, 2 * (node.offset + node.length));
	check(hl.length === node.length && hl[0]?.[0] === node.offset,
		`${node.field} highlights ${node.length} bytes from offset ${node.offset}`, `${hl.length} from ${hl[0]?.[0]}`);
	check(hl.map((x) => x[1]).join('') === want, `highlighted hex equals the frame's bytes (${want})`, hl.map((x) => x[1]).join(''));
	check(asc === node.length, 'ASCII column highlights the same bytes', `${asc}`);
	await shot(page, 'frames-1280x800');
}

async function checkFilterBar(page, base, capture) {
	// An invalid filter: red, the API's message, the caret at its position.
	const bad = 'ip.src == 1.2.3.4 &&';
	const api = await getJSON(base, `filter/check?filter=${enc(bad)}`);
	await page.fill('#filter-input', bad);
	await waitFor(page, () => document.querySelector('.fb-field').dataset.state === 'invalid');
	const st = await page.evaluate(() => ({
		state: document.querySelector('.fb-field').dataset.state,
		msg: document.getElementById('filter-msg').textContent,
		pos: Number(document.getElementById('filter-caret').dataset.position),
		caretX: document.getElementById('filter-caret').getBoundingClientRect().left,
		inputX: document.getElementById('filter-input').getBoundingClientRect().left,
	}));
	check(st.state === 'invalid' && st.msg.includes(api.error), `invalid filter shows the API error ("${api.error}")`, st.msg);
	check(st.pos === api.position && st.caretX > st.inputX + api.position * 5, `caret at the error position ${api.position}`, `${st.pos} at x=${st.caretX}`);
	await shot(page, 'filter-error-1280x800');
	// Completion of field names.
	await page.fill('#filter-input', 'ip.sr');
	await waitFor(page, () => !document.getElementById('filter-popup').hidden);
	const names = await page.$$eval('#filter-popup .fp-name', (e) => e.map((x) => x.textContent));
	const comp = await getJSON(base, 'filter/complete?prefix=ip.sr');
	check(names.length > 0 && names.every((n) => comp.names.some((c) => c.name === n)), `completion offers /filter/complete names (${names})`);
	await page.press('#filter-input', 'Tab');
	check(await page.inputValue('#filter-input') === names[0], 'Tab accepts the first completion');
	// Apply: the count shown equals /frames/count.
	const filter = 'tcp || dns';
	await page.fill('#filter-input', filter);
	await page.press('#filter-input', 'Enter');
	const count = (await getJSON(base, `frames/count?capture=${capture}&filter=${enc(filter)}`)).count;
	const ok = await waitFor(page, (n) => document.getElementById('page-info').dataset.total === String(n), count);
	check(ok, `applied filter shows the API's count (${count})`, await page.textContent('#page-info'));
	await listSettled(page);
	const first = await getJSON(base, `frames?capture=${capture}&limit=5&filter=${enc(filter)}`);
	const nums = await rowNumbers(page);
	check(nums.slice(0, 5).join() === first.frames.map((f) => f.number).join(), 'filtered list starts with the API\'s filtered page', `${nums.slice(0, 5)}`);
	check(await hashParam(page, 'filter') === filter, 'URL hash carries the filter');
	const href = await page.getAttribute('#export-pcapng', 'href');
	check(/frames\/export\?/.test(href) && new URL(href).searchParams.get('filter') === filter && new URL(href).searchParams.get('format') === 'pcapng', 'export link downloads the filtered frames as pcapng', href);
	const res = await fetch(href);
	const buf = Buffer.from(await res.arrayBuffer());
	check(res.ok && buf.readUInt32LE(0) === 0x0a0d0d0a, 'the export link answers a pcapng file', `${res.status}`);
	// End on a filtered list: the last matching frame.
	await page.locator('#frames-scroll').focus();
	await page.keyboard.press('End');
	const lastF = await getJSON(base, `frames?capture=${capture}&limit=1&order=desc&filter=${enc(filter)}`);
	check(await waitFor(page, (n) => document.querySelector('#frames-body .frow.selected')?.dataset.number === String(n), lastF.frames[0].number),
		'End on the filtered list selects its last frame', `${await selectedNumber(page)}`);
	const hist = await page.evaluate(() => JSON.parse(localStorage.getItem('netmon.filterHistory') || '[]'));
	check(hist[0] === filter, 'history remembers the applied filter', `${hist}`);
	await shot(page, 'frames-filtered-1280x800');
	// Clear, then find next / previous with an expression.
	await page.click('#filter-clear');
	await waitFor(page, (n) => document.getElementById('page-info').dataset.total === String(n), (await getJSON(base, `captures/${capture}`)).frames);
	await page.locator('#frames-scroll').focus();
	await page.keyboard.press('Home');
	await waitFor(page, () => new URLSearchParams(location.hash.slice(1)).get('frame') === '1');
	const from = await selectedNumber(page);
	await page.fill('#filter-input', 'dns');
	const f1 = await getJSON(base, `frames/find?capture=${capture}&filter=dns&from=${from}&direction=next`);
	await page.click('#find-next');
	check(await waitFor(page, (n) => document.querySelector('#frames-body .frow.selected')?.dataset.number === String(n), f1.frame.number),
		`Find next lands on the API's frames/find answer (${f1.frame.number})`, `${await selectedNumber(page)}`);
	const f2 = await getJSON(base, `frames/find?capture=${capture}&filter=dns&from=${f1.frame.number}&direction=next`);
	await page.click('#find-next');
	check(await waitFor(page, (n) => document.querySelector('#frames-body .frow.selected')?.dataset.number === String(n), f2.frame.number),
		`Find next again lands on ${f2.frame.number}`, `${await selectedNumber(page)}`);
	await page.click('#find-prev');
	check(await waitFor(page, (n) => document.querySelector('#frames-body .frow.selected')?.dataset.number === String(n), f1.frame.number),
		`Find previous returns to ${f1.frame.number}`, `${await selectedNumber(page)}`);
}

// "Apply as Filter" on a tree field: field == value, the API's count.
async function checkApplyAsFilter(page, base, capture) {
	// A frame with a string field: Prepare as Filter quotes its value.
	const hit = await fetch(`${base}/api/v1/frames/find?capture=${capture}&filter=${enc('dns.qry.name contains "." && ip.src')}&from=0`).then((r) => r.json());
	if (hit.frame) {
		await page.fill('#goto-input', String(hit.frame.number));
		await page.press('#goto-input', 'Enter');
		await waitFor(page, (n) => document.getElementById('detail-title').textContent.includes(`Frame ${n.toLocaleString('en-US')} `), hit.frame.number);
		await page.waitForSelector('#tree li[data-field="dns.qry.name"]', { timeout: 5000 }).catch(() => null);
		const li = await page.$('#tree li[data-field="dns.qry.name"]');
		if (check(li !== null, `frame ${hit.frame.number} shows dns.qry.name`)) {
			const v = await li.evaluate((e) => {
				for (let p = e.parentElement.closest('li.branch'); p; p = p.parentElement.closest('li.branch')) {
					if (p.getAttribute('aria-expanded') !== 'true')
						p.querySelector(':scope > .row > .twisty').click();
				}
				return e.dataset.value;
			});
			await page.click('#tree li[data-field="dns.qry.name"] > .row', { button: 'right' });
			await page.click('#tree-menu button[data-act="prepare"]');
			const want = `dns.qry.name == "${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
			await waitFor(page, (w) => document.getElementById('filter-input').value === w, want);
			check(await page.inputValue('#filter-input') === want, `Prepare as Filter quotes a string: ${want}`, await page.inputValue('#filter-input'));
			const chk = await getJSON(base, `filter/check?filter=${enc(want)}`);
			check(chk.valid, 'and the API accepts it');
			await waitFor(page, () => document.querySelector('.fb-field').dataset.state === 'valid');
		}
	}
	await page.waitForSelector('#tree li[data-field="ip.src"]', { timeout: 5000 }).catch(() => null);
	const li = await page.$('#tree li[data-field="ip.src"] > .row');
	if (!check(li !== null, 'the found frame has ip.src in its tree'))
		return;
	const value = await page.$eval('#tree li[data-field="ip.src"]', (e) => e.dataset.value);
	// Prepare: the bar gets the expression, the list keeps its filter.
	const before = await hashParam(page, 'filter');
	await page.hover('#tree li[data-field="ip.src"] > .row');
	await page.click('#tree li[data-field="ip.src"] > .row .fbtn');
	await page.click('#tree-menu button[data-act="prepare"]');
	await waitFor(page, (w) => document.getElementById('filter-input').value === w, `ip.src == ${value}`);
	check(await page.inputValue('#filter-input') === `ip.src == ${value}` && await hashParam(page, 'filter') === before,
		'Prepare as Filter (the row button) fills the bar without applying', `${await page.inputValue('#filter-input')}; filter ${before} -> ${await hashParam(page, 'filter')}`);
	await li.click({ button: 'right' });
	await page.waitForSelector('#tree-menu:not([hidden])');
	await shot(page, 'frames-menu-1280x800');
	await page.click('#tree-menu button[data-act="apply"]');
	const want = `ip.src == ${value}`;
	await waitFor(page, (w) => new URLSearchParams(location.hash.slice(1)).get('filter') === w, want);
	check(await page.inputValue('#filter-input') === want, `Apply as Filter builds "${want}"`, await page.inputValue('#filter-input'));
	const count = (await getJSON(base, `frames/count?capture=${capture}&filter=${enc(want)}`)).count;
	check(await waitFor(page, (n) => document.getElementById('page-info').dataset.total === String(n), count), `and shows its ${count} frames`);
}

async function tableRows(page, id) {
	await page.waitForSelector(`#${id} table tbody tr`, { timeout: 10000 });
	return page.$$eval(`#${id} table tbody tr`, (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
}

async function checkTables(page, base, capture) {
	await page.click('#tabs a[data-view="stations"]');
	let rows = await tableRows(page, 'stations-table');
	let api = await getJSON(base, `stats/stations?capture=${capture}&sort=bytes&order=desc&limit=50`);
	check(JSON.stringify(rows.map((r) => r[0])) === JSON.stringify(api.stations.map((s) => s.address)), `stations table lists the API's ${api.stations.length} stations by bytes`);
	check(rows.every((r, i) => digits(r[2]) === api.stations[i].frames), 'stations frame counts equal the API\'s');
	await page.click('#stations-table th[data-key="frames"]');
	await page.waitForSelector('#stations-table th.sorted[data-key="frames"]');
	rows = await tableRows(page, 'stations-table');
	api = await getJSON(base, `stats/stations?capture=${capture}&sort=frames&order=desc&limit=50`);
	check(JSON.stringify(rows.map((r) => digits(r[2]))) === JSON.stringify(api.stations.map((s) => s.frames)), 'sorting by Frames matches sort=frames');
	if (api.stations.length === 50) {
		await page.click('#stations-table .tp-next');
		await page.waitForFunction(() => /rows 51/.test(document.querySelector('#stations-table .tp-range')?.textContent));
		rows = await tableRows(page, 'stations-table');
		const p2 = await getJSON(base, `stats/stations?capture=${capture}&sort=frames&order=desc&limit=50&offset=50`);
		check(JSON.stringify(rows.map((r) => r[0])) === JSON.stringify(p2.stations.map((s) => s.address)), 'Next page matches offset=50');
	}
	await shot(page, 'stations-1280x800');

	await page.click('#tabs a[data-view="conversations"]');
	await page.click('#conv-types button[data-kind="tcp"]');
	await page.waitForFunction(() => document.querySelector('#conversations-table th[data-key="port_a"]'));
	rows = await tableRows(page, 'conversations-table');
	api = await getJSON(base, `stats/conversations?type=tcp&capture=${capture}&sort=bytes&order=desc&limit=50`);
	const key = (a, pa, b, pb) => `${a}:${pa}-${b}:${pb}`;
	check(JSON.stringify(rows.map((r) => key(r[0], r[1], r[2], r[3]))) === JSON.stringify(api.conversations.map((c) => key(c.address_a, c.port_a, c.address_b, c.port_b))),
		`TCP conversations table equals the API's (${api.conversations.length} rows)`);
	await shot(page, 'conversations-1280x800');
	if (api.conversations.length) {
		const c = api.conversations.find((x) => !x.address_a.includes(':')) || api.conversations[0];
		const i = api.conversations.indexOf(c);
		const af = c.address_a.includes(':') ? 'ipv6.addr' : 'ip.addr';
		const want = `${af} == ${c.address_a} && tcp.port == ${c.port_a} && ${af} == ${c.address_b} && tcp.port == ${c.port_b}`;
		await page.click(`#conversations-table tbody tr:nth-child(${i + 1})`);
		await waitFor(page, () => document.body.dataset.view === 'frames');
		check(await page.inputValue('#filter-input') === want, 'clicking a conversation filters the frames to it', await page.inputValue('#filter-input'));
		const count = (await getJSON(base, `frames/count?capture=${capture}&filter=${enc(want)}`)).count;
		check(await waitFor(page, (n) => document.getElementById('page-info').dataset.total === String(n), count),
			`conversation filter shows ${count} frames (the table says ${c.frames})`);
	}

	await page.click('#tabs a[data-view="protocols"]');
	rows = await tableRows(page, 'protocols-table');
	const phs = await getJSON(base, `stats/protocols?capture=${capture}`);
	const order = [];
	const walk = (n) => {
		order.push([n.name, n.frames]);
		[...(n.children || [])].sort((a, b) => b.frames - a.frames).forEach(walk);
	};
	walk(phs.hierarchy);
	check(JSON.stringify(rows.map((r) => [r[0], digits(r[2])])) === JSON.stringify(order), `protocol hierarchy equals the API's tree (${order.length} nodes)`);
	await shot(page, 'protocols-1280x800');

	await page.click('#tabs a[data-view="captures"]');
	rows = await tableRows(page, 'captures-table');
	const caps = await getJSON(base, 'captures');
	check(rows.length === caps.captures.length && rows.every((r) => caps.captures.some((c) => String(c.id) === r[0] && digits(r[7]) === c.frames)),
		'captures table lists the API\'s captures with their frame counts');
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
	await page.waitForFunction((n) => document.getElementById('detail-title').textContent.includes(`Frame ${n.toLocaleString('en-US')}`), detail.number);
	const tabs = await page.$$eval('#hex-sources button', (bs) => bs.map((b) => b.textContent));
	check(tabs.length === 2 && /Reassembled IPv4 \(\d+\)/.test(tabs[1]), 'the hex pane offers the frame and the reassembled bytes', `${tabs}`);
	// Find, open and click in one step inside the page: the tree may be
	// drawn again (the list selecting the frame too) between separate steps.
	await page.waitForFunction(() => document.querySelector('#tree li[data-source="reassembled"]'));
	await page.waitForTimeout(300);
	await page.evaluate(({ field, offset, length }) => {
		const li = [...document.querySelectorAll('#tree li[role=treeitem][data-source="reassembled"]')].find((x) => x.dataset.field === field &&
			Number(x.dataset.offset) === offset && Number(x.dataset.length) === length);
		for (let p = li.parentElement.closest('li.branch'); p; p = p.parentElement.closest('li.branch')) {
			if (p.getAttribute('aria-expanded') !== 'true')
				p.querySelector(':scope > .row > .twisty').click();
		}
		li.querySelector(':scope > .row .label').click();
	}, node);
	const active = await page.$eval('#hex-sources button.active', (b) => b.dataset.source).catch(() => null);
	const hl = await page.$$eval('#hex .hx .b.hl', (els) => els.map((e) => e.textContent).join(''));
	const want = detail.reassembled.bytes.slice(2 * node.offset, 2 * (node.offset + node.length));
	check(active === 'reassembled' && hl === want, `${node.field} highlights its bytes in the reassembled tab (${want})`, `${active} ${hl}`);
	await shot(page, 'frames-reassembled-1280x800');
}

// Captures view: import by upload (file input, progress, the server's
// refusal shown), delete with confirmation.
async function checkCaptures(page, base, opt) {
	const small = headPcap(opt.pcap, 5, join(work, 'five.pcap'));
	await page.click('#tabs a[data-view="captures"]');
	await page.setInputFiles('#upload-input', small);
	const done = await page.waitForSelector('#uploads li[data-state="done"]', { timeout: 20000 }).then(() => true, () => false);
	const note = done ? await page.textContent('#uploads li[data-state="done"] .up-note') : '';
	const id = Number((note.match(/capture (\d+)/) || [])[1]);
	check(done && id > 0, 'upload from the file input finishes with a full progress bar and the new capture', note);
	const bar = await page.$eval('#uploads li[data-state="done"] progress', (p) => [p.value, p.max]);
	check(bar[0] === bar[1], `the progress bar is full (${bar})`);
	let cap = null;
	for (let i = 0; i < 100 && !(cap && cap.state === 'done'); i++, await sleep(100))
		cap = await getJSON(base, `captures/${id}`);
	check(cap?.frames === 5, `the uploaded capture has the file's 5 frames (${cap?.frames})`);
	const shown = await waitFor(page, (n) => [...document.querySelectorAll('#captures-table tbody tr')]
		.some((tr) => tr.dataset.id === String(n) && tr.cells[7].textContent === '5'), id);
	check(shown, `the captures table lists capture ${id} with 5 frames`);
	await shot(page, 'captures-upload-1280x800');

	expectedConsole = /status of 400/;
	await page.setInputFiles('#upload-input', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a capture') });
	const failed = await page.waitForSelector('#uploads li[data-state="failed"]', { timeout: 10000 }).then(() => true, () => false);
	const why = failed ? await page.textContent('#uploads li[data-state="failed"] .up-note') : '';
	check(failed && /not a pcap or pcapng/.test(why), 'a file that is not a capture shows the API\'s reason', why);
	const bar400 = await page.waitForSelector('#error-bar:not([hidden])', { timeout: 5000 }).then(() => true, () => false);
	check(bar400 && /400/.test(await page.textContent('#error-text')), 'and the error bar shows the 400');
	await page.click('#error-close');
	expectedConsole = null;

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
	const api = (await getJSON(base, 'alerts')).alerts;
	check(api.length === before + 1 && api[api.length - 1].capture_id === cap.id, `GET /alerts has the trigger's alert (${api.length})`);
	const rows = await waitFor(page, (n) => document.querySelectorAll('#alerts-table tbody tr').length === n, api.length);
	const top = await page.$eval('#alerts-table tbody tr', (tr) => [...tr.cells].map((c) => c.textContent));
	const want = api[api.length - 1];
	check(rows && Number(top[0]) === want.id && Number(top[2]) === cap.id && top[4] === want.action && top[5] === want.message,
		'the alerts view lists them newest first, as the API says', `${top}`);
	check(await page.$eval('#alerts-badge', (b) => b.hidden), 'viewing the alerts clears the badge');
	await shot(page, 'alerts-1280x800');
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
	expectedConsole = /status of 409/;
	await page.click('#start-btn');
	const refused = await page.waitForSelector('#error-bar:not([hidden])', { timeout: 5000 }).then(() => true, () => false);
	const text = refused ? await page.textContent('#error-text') : '';
	check(refused && /409/.test(text) && /conflict/.test(text), 'a refused Start shows the API\'s 409 conflict', text);
	await page.waitForTimeout(300);
	expectedConsole = null;
	await page.click('#error-close');
	const before = Number(await page.$eval('#live-info', (e) => e.dataset.frames || 0));
	const stop = Date.now() + 4000;
	while (Date.now() < stop) { // traffic on lo: our own API requests
		await getJSON(base, 'status');
		await sleep(50);
	}
	const moved = await waitFor(page, (b) => Number(document.getElementById('live-info').dataset.frames) > b, before);
	check(moved, 'SSE counters move during the live capture');
	const rate = await page.textContent('#rate-fps');
	check(/[1-9]/.test(rate), `frames/s chart shows a rate (${rate})`);
	await shot(page, 'overview-live-1280x800');
	// The frame list of the live capture grows while it runs.
	const id = Number(await page.$eval('#live-caps li[data-state="running"]', (e) => e.dataset.id));
	await page.selectOption('#capture-select', String(id));
	await page.click('#tabs a[data-view="frames"]');
	await page.click('#filter-clear'); // the list had a conversation's filter
	await listSettled(page);
	const n0 = Number(await page.$eval('#page-info', (e) => e.dataset.total));
	const t = Date.now() + 5000;
	while (Date.now() < t) {
		await getJSON(base, 'status');
		await sleep(50);
	}
	const grew = await waitFor(page, (n) => Number(document.getElementById('page-info').dataset.total) > n, n0);
	check(grew, `the live capture's frame list grows (${n0} -> ${await page.$eval('#page-info', (e) => e.dataset.total)})`);
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
	const ok = await waitFor(page, (n) => document.getElementById('detail-title').textContent.includes(`Frame ${n.toLocaleString('en-US')}`), number);
	check(ok, 'a shared #capture=&frame= link opens that frame');
	check(await selectedNumber(page) === number, 'and selects its row in the list');
	await page.goto(`${base}/#view=frames&capture=${capture}&filter=${enc('udp')}&frame=${number}`);
	await page.reload();
	const count = (await getJSON(base, `frames/count?capture=${capture}&filter=udp`)).count;
	check(await waitFor(page, (n) => document.getElementById('page-info').dataset.total === String(n), count), 'a shared link with a filter applies it');
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
	const ok = await page.waitForSelector('#error-bar:not([hidden])', { timeout: 10000 }).then(() => true, () => false);
	const text = ok ? await page.textContent('#error-text') : '';
	check(ok && /400/.test(text) && /bad_filter/.test(text), 'an API error (400 bad_filter) reaches the error bar', text);
	await page.close();
}

async function phoneShots(ctx, base, capture, number, errors) {
	const page = await ctx.newPage();
	watchConsole(page, errors);
	await page.setViewportSize({ width: 390, height: 844 });
	for (const view of ['overview', 'frames', 'stations', 'conversations', 'protocols', 'captures', 'alerts']) {
		await page.goto(`${base}/#view=${view}&capture=${capture}${view === 'frames' ? `&frame=${number}` : ''}`);
		if (view === 'frames')
			await page.waitForSelector('#tree li[role=treeitem]');
		await page.waitForTimeout(700);
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		check(overflow <= 0, `no horizontal page overflow at phone width (${view})`, `${overflow}px`);
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
	for (let i = 0; i < 100; i++) {
		if (await fetch(`${base}/api/v1/status`).then((r) => r.ok, () => false))
			break;
		await sleep(100);
	}
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
	const errors = [];
	const page = ctx.pages()[0] || (await ctx.newPage());
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

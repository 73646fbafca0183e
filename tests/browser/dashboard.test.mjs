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
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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
		const m = /^--(netmond|pcap|webdir)$/.exec(argv[i]);
		if (!m || i + 1 >= argv.length) {
			console.error(`usage: dashboard.test.mjs --netmond PATH --pcap FILE --webdir DIR (bad: ${argv[i]})`);
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

function startNetmond(opt, port) {
	const db = join(work, 'netmon.db');
	const args = ['-r', opt.pcap, '--db', db, '--listen', `127.0.0.1:${port}`, '--webdir', opt.webdir];
	netmond = spawn(opt.netmond, args, { stdio: ['ignore', 'pipe', 'pipe'] });
	const keep = (d) => (netmondLog = (netmondLog + d).slice(-8000));
	netmond.stdout.on('data', keep);
	netmond.stderr.on('data', keep);
	netmond.on('exit', (code, sig) => {
		netmondLog += `\n[netmond exited: ${code ?? sig}]`;
		netmond = null;
	});
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

// First / Next / Back walk the capture from frame 1 with the API's cursor;
// each page must list what the API's page lists.
async function checkPaging(page, base, capture, total) {
	const numbers = () => page.$$eval('#frames-body tr[data-number]', (t) => t.map((r) => Number(r.dataset.number)));
	const waitFirst = (n) => page.waitForFunction((x) => document.querySelector('#frames-body tr[data-number]')?.dataset.number === String(x), n, { timeout: 5000 });
	await page.click('#page-first');
	await waitFirst(1);
	const p1 = await getJSON(base, `frames?capture=${capture}&limit=100`);
	let got = await numbers();
	check(JSON.stringify(got) === JSON.stringify(p1.frames.map((f) => f.number)), 'First shows the API\'s first page', `${got.length} rows from ${got[0]}`);
	if (p1.next_cursor && total > 100) {
		await page.click('#page-next');
		await waitFirst(101);
		const p2 = await getJSON(base, `frames?capture=${capture}&limit=100&cursor=${encodeURIComponent(p1.next_cursor)}`);
		got = await numbers();
		check(JSON.stringify(got) === JSON.stringify(p2.frames.map((f) => f.number)), 'Next shows the API\'s next page', `${got.length} rows from ${got[0]}`);
		await page.click('#page-back');
		await waitFirst(1);
		check((await numbers())[0] === 1, 'Back returns to the first page');
	}
	await page.click('#page-latest');
	await page.waitForFunction((n) => {
		const r = document.querySelectorAll('#frames-body tr[data-number]');
		return r.length && r[r.length - 1].dataset.number === String(n);
	}, total, { timeout: 5000 }).then(() => check(true, 'Latest returns to the newest frames'),
		() => check(false, 'Latest returns to the newest frames'));
}

function watchConsole(page, errors) {
	page.on('console', (m) => {
		if (m.type() === 'error')
			errors.push(`console: ${m.text()}`);
	});
	page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
	page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
}

const digits = (s) => Number(String(s).replace(/[^0-9]/g, ''));

async function checkTotals(page, base, capture) {
	await page.waitForFunction(() => /\d/.test(document.getElementById('total-frames').textContent));
	await page.waitForSelector('#frames-body tr[data-number]');
	const stats = await getJSON(base, `stats?capture=${capture}`);
	const shown = digits(await page.textContent('#total-frames'));
	check(shown === stats.frames, `frame count shown (${shown}) equals the API's (${stats.frames})`);
	const rows = await page.$$eval('#frames-body tr[data-number]', (trs) => trs.map((t) => Number(t.dataset.number)));
	check(rows.length === Math.min(100, stats.frames), `latest page lists ${Math.min(100, stats.frames)} frames`, `${rows.length}`);
	check(rows[rows.length - 1] === stats.frames, 'latest page ends with the last frame', `${rows[rows.length - 1]}`);
	const bars = await page.$$eval('#proto-list li .name', (els) => els.map((e) => e.textContent));
	check(JSON.stringify(bars) === JSON.stringify(stats.protocols.map((p) => p.name)),
		'protocol bars list the API protocols in order', `${bars} vs ${stats.protocols.map((p) => p.name)}`);
	return rows;
}

async function checkTree(page, capture, picked) {
	const { detail } = picked;
	await page.click(`#frames-body tr[data-number="${detail.number}"]`);
	await page.waitForFunction((n) => document.getElementById('detail-title').textContent.includes(`Frame ${n.toLocaleString('en-US')}`), detail.number);
	await page.waitForSelector('#tree li[role=treeitem]');
	const shown = await page.$$eval('#tree li[role=treeitem]', (lis) =>
		lis.map((li) => [li.dataset.field, li.querySelector(':scope > .row .label').textContent]));
	const want = flatten(detail.tree).map((n) => [n.field || '', n.label]);
	check(shown.length === want.length, `tree of frame ${detail.number} has the API's ${want.length} nodes`, `${shown.length}`);
	const diff = want.findIndex((w, i) => !shown[i] || shown[i][0] !== w[0] || shown[i][1] !== w[1]);
	check(diff < 0, 'tree fields and labels equal the API\'s, in order',
		diff >= 0 ? `node ${diff}: want ${JSON.stringify(want[diff])} got ${JSON.stringify(shown[diff])}` : '');
	const hash = await page.evaluate(() => location.hash);
	check(hash === `#capture=${capture}&frame=${detail.number}`, 'URL hash names capture and frame', hash);
	const sel = await page.$$eval('#frames-body tr.selected', (t) => t.map((r) => r.dataset.number));
	check(sel.length === 1 && Number(sel[0]) === detail.number, 'clicked row is the selected one', `${sel}`);
}

async function checkHex(page, picked) {
	const { detail, node } = picked;
	// Open the node's ancestors (protocols start open, deeper subtrees closed).
	const handle = await page.evaluateHandle(({ field, offset, length }) =>
		[...document.querySelectorAll('#tree li[role=treeitem]')].find((li) => li.dataset.field === field &&
			Number(li.dataset.offset) === offset && Number(li.dataset.length) === length), node);
	await handle.evaluate((li) => {
		for (let p = li.parentElement.closest('li.branch'); p; p = p.parentElement.closest('li.branch')) {
			if (p.getAttribute('aria-expanded') !== 'true')
				p.querySelector(':scope > .row > .twisty').click();
		}
	});
	await handle.asElement().$(':scope > .row').then((row) => row.click());
	const hl = await page.$$eval('#hex .hx .b.hl', (els) => els.map((e) => [Number(e.dataset.i), e.textContent]));
	const asc = await page.$$eval('#hex .as .b.hl', (els) => els.length);
	const want = detail.bytes.slice(2 * node.offset, 2 * (node.offset + node.length));
	check(hl.length === node.length && hl[0]?.[0] === node.offset,
		`${node.field} highlights ${node.length} bytes from offset ${node.offset}`, `${hl.length} from ${hl[0]?.[0]}`);
	check(hl.map((x) => x[1]).join('') === want, `highlighted hex equals the frame's bytes (${want})`, hl.map((x) => x[1]).join(''));
	check(asc === node.length, 'ASCII column highlights the same bytes', `${asc}`);
}

async function checkKeys(page, rows, picked) {
	const i = rows.indexOf(picked.detail.number);
	const next = i >= 0 && i + 1 < rows.length ? rows[i + 1] : null;
	if (next == null)
		return;
	await page.locator('#frames-scroll').focus();
	await page.keyboard.press('ArrowDown');
	await page.waitForFunction((n) => location.hash.endsWith(`frame=${n}`), next, { timeout: 5000 }).catch(() => {});
	const sel = await page.$eval('#frames-body tr.selected', (t) => Number(t.dataset.number)).catch(() => null);
	check(sel === next, 'ArrowDown selects the next frame', `${sel}`);
	await page.keyboard.press('ArrowUp');
}

async function checkSharedLink(ctx, base, capture, number, errors) {
	const page = await ctx.newPage();
	watchConsole(page, errors);
	await page.setViewportSize({ width: 1280, height: 800 });
	await page.goto(`${base}/#capture=${capture}&frame=${number}`);
	const ok = await page.waitForFunction((n) => document.getElementById('detail-title').textContent.includes(`Frame ${n.toLocaleString('en-US')}`), number, { timeout: 10000 })
		.then(() => true, () => false);
	check(ok, 'a shared #capture=&frame= link opens that frame');
	await page.close();
}

// An API error must reach the error bar.  The 404 it provokes is logged by
// the browser itself, so this page's console is not checked.
async function checkErrorBar(ctx, base, capture) {
	const page = await ctx.newPage();
	await page.goto(`${base}/#capture=${capture}&frame=999999999`);
	const ok = await page.waitForSelector('#error-bar:not([hidden])', { timeout: 10000 }).then(() => true, () => false);
	const text = ok ? await page.textContent('#error-text') : '';
	check(ok && /404/.test(text) && /not_found/.test(text), 'a missing frame shows the API error in the error bar', text);
	await page.close();
}

async function screenshots(ctx, base, capture, number, errors) {
	mkdirSync(SHOTS, { recursive: true });
	const page = await ctx.newPage();
	watchConsole(page, errors);
	await page.setViewportSize({ width: 390, height: 844 });
	await page.goto(`${base}/#capture=${capture}&frame=${number}`);
	await page.waitForSelector('#tree li[role=treeitem]');
	await page.waitForSelector('#frames-body tr[data-number]');
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	check(overflow <= 0, 'no horizontal page overflow at phone width', `${overflow}px`);
	await page.screenshot({ path: join(SHOTS, 'dashboard-390x844.png'), fullPage: true });
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
	await page.goto(`${base}/`);

	const rows = await checkTotals(page, base, capture);
	const picked = await pickFrame(base, capture, rows);
	if (!check(picked !== null, 'the capture has a frame with a field past byte 0 to click'))
		return;
	await checkTree(page, capture, picked);
	await checkHex(page, picked);
	await page.waitForTimeout(2500); // let a refresh pass: the selection must survive it
	const still = await page.$$eval('#frames-body tr.selected', (t) => t.map((r) => Number(r.dataset.number)));
	check(still.length === 1 && still[0] === picked.detail.number, 'selection survives the auto-refresh', `${still}`);
	mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: join(SHOTS, 'dashboard-1280x800.png') });
	await checkKeys(page, rows, picked);
	await checkPaging(page, base, capture, st.frames);

	await checkSharedLink(ctx, base, capture, picked.detail.number, errors);
	await screenshots(ctx, base, capture, picked.detail.number, errors);
	await checkErrorBar(ctx, base, capture);
	check(errors.length === 0, 'no console errors', errors.join('; '));
}

async function cleanup() {
	if (browser)
		await browser.close().catch(() => {});
	if (netmond) {
		const p = netmond;
		const gone = new Promise((r) => p.once('exit', r));
		p.kill('SIGTERM');
		await Promise.race([gone, sleep(5000)]);
		if (netmond)
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

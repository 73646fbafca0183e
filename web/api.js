// api.js - the one place that talks to netmond's JSON API (/api/v1).
//
// Every failure (network, HTTP status, bad JSON) becomes an ApiError with a
// message fit to show to the user; callers decide where to show it, but
// nothing here swallows an error.

export class ApiError extends Error {
	constructor(path, status, code, message) {
		super(message);
		this.name = 'ApiError';
		this.path = path;
		this.status = status;
		this.code = code;
	}

	// "frames/42: 404 not_found: no such frame"
	describe() {
		const status = this.status ? `${this.status} ` : '';
		return `${this.path}: ${status}${this.code}: ${this.message}`;
	}
}

// Resolve against the page, not the host root, so the dashboard also works
// behind a reverse proxy that mounts netmond under a prefix.
function apiUrl(path, params) {
	const url = new URL(`api/v1/${path}`, document.baseURI);
	for (const [k, v] of Object.entries(params || {})) {
		if (v !== undefined && v !== null && v !== '')
			url.searchParams.set(k, String(v));
	}
	return url;
}

async function readBody(res, path) {
	const text = await res.text();
	if (!text)
		return null;
	try {
		return JSON.parse(text);
	} catch {
		if (!res.ok)
			return null; // the status line says enough
		throw new ApiError(path, res.status, 'bad_json', 'the response is not valid JSON');
	}
}

async function request(path, params, init) {
	let res;
	try {
		res = await fetch(apiUrl(path, params), {
			headers: { Accept: 'application/json', ...(init?.body ? { 'Content-Type': 'application/json' } : {}) },
			cache: 'no-store',
			...init,
		});
	} catch (e) {
		if (init?.signal?.aborted)
			throw e;
		throw new ApiError(path, 0, 'unreachable', `cannot reach netmond (${e.message})`);
	}
	const body = await readBody(res, path);
	if (!res.ok) {
		const err = (body && body.error) || {};
		const e = new ApiError(path, res.status, err.code || 'http_error',
			err.message || res.statusText || 'request failed');
		e.body = body;
		throw e;
	}
	return body;
}

export const getJSON = (path, params, signal) => request(path, params, { signal });
const postJSON = (path, body) => request(path, null, { method: 'POST', body: JSON.stringify(body || {}) });

// A link to an endpoint (downloads), with the same parameter rules.
export const apiHref = (path, params) => apiUrl(path, params).href;

export const api = {
	status: () => getJSON('status'),
	captures: () => getJSON('captures'),
	stats: (capture) => getJSON('stats', { capture }),
	frames: (capture, limit, cursor, order, filter, signal, offset) =>
		getJSON('frames', { capture, limit, cursor, order, filter, offset: offset || undefined }, signal),
	frame: (capture, number) =>
		getJSON(`frames/${encodeURIComponent(number)}`, { capture }),
	count: (capture, filter) => getJSON('frames/count', { capture, filter }),
	find: (capture, filter, from, direction) => getJSON('frames/find', { capture, filter, from, direction }),
	check: (filter, signal) => getJSON('filter/check', { filter }, signal),
	complete: (prefix, signal) => getJSON('filter/complete', { prefix }, signal),
	interfaces: () => getJSON('interfaces'),
	startCapture: (body) => postJSON('captures', body),
	control: (id, action) => postJSON(`captures/${encodeURIComponent(id)}/${action}`),
	table: (kind, params) => getJSON(`stats/${kind}`, params),
	deleteCapture: (id) => request(`captures/${encodeURIComponent(id)}`, null, { method: 'DELETE' }),
	alerts: (after, limit) => getJSON('alerts', { after, limit }),
	upload,
};

// POST a capture file as the raw body.  XMLHttpRequest, not fetch: only it
// reports upload progress.  onProgress(sentBytes, totalBytes).
function upload(file, onProgress) {
	const path = 'captures/upload';
	return new Promise((resolve, reject) => {
		const x = new XMLHttpRequest();
		x.open('POST', apiUrl(path, { name: file.name }));
		x.setRequestHeader('Content-Type', 'application/octet-stream');
		x.upload.addEventListener('progress', (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size));
		x.addEventListener('error', () => reject(new ApiError(path, 0, 'unreachable', 'cannot reach netmond (upload failed)')));
		x.addEventListener('abort', () => reject(new ApiError(path, 0, 'aborted', 'upload cancelled')));
		x.addEventListener('load', () => {
			let body = null;
			try {
				body = x.responseText ? JSON.parse(x.responseText) : null;
			} catch {
				/* the status says enough */
			}
			if (x.status >= 200 && x.status < 300)
				return resolve(body);
			const err = (body && body.error) || {};
			reject(new ApiError(path, x.status, err.code || 'http_error', err.message || x.statusText || 'upload failed'));
		});
		x.send(file);
	});
}

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

export async function getJSON(path, params) {
	let res;
	try {
		res = await fetch(apiUrl(path, params), {
			headers: { Accept: 'application/json' },
			cache: 'no-store',
		});
	} catch (e) {
		throw new ApiError(path, 0, 'unreachable', `cannot reach netmond (${e.message})`);
	}
	const body = await readBody(res, path);
	if (!res.ok) {
		const err = (body && body.error) || {};
		throw new ApiError(path, res.status, err.code || 'http_error',
			err.message || res.statusText || 'request failed');
	}
	return body;
}

export const api = {
	status: () => getJSON('status'),
	captures: () => getJSON('captures'),
	stats: (capture) => getJSON('stats', { capture }),
	frames: (capture, limit, cursor, order) =>
		getJSON('frames', { capture, limit, cursor, order }),
	frame: (capture, number) =>
		getJSON(`frames/${encodeURIComponent(number)}`, { capture }),
};

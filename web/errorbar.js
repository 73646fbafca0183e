// errorbar.js - the visible error bar.  Errors are keyed by where they came
// from ("refresh", "detail", ...) so a later success of the same operation
// clears its own error without hiding another one.

const errors = new Map();
let bar, text;

function render() {
	const msgs = [...errors.values()];
	bar.hidden = msgs.length === 0;
	text.textContent = msgs.join(' \u2014 ');
}

export function initErrorBar() {
	bar = document.getElementById('error-bar');
	text = document.getElementById('error-text');
	document.getElementById('error-close').addEventListener('click', () => {
		errors.clear();
		render();
	});
}

export function showError(key, err) {
	const msg = typeof err.describe === 'function' ? err.describe() : String(err.message || err);
	errors.set(key, msg);
	render();
}

export function clearError(key) {
	if (errors.delete(key))
		render();
}

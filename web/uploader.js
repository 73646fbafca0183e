// uploader.js - importing capture files from the browser: a drop zone and
// a file picker on the Captures view, one upload at a time (they queue),
// each with a progress bar.  The server checks the file; its error (not a
// pcap, too large) is shown as it says it.

import { api } from './api.js';
import { fmtBytes } from './format.js';

export class Uploader {
	// zone: the drop target; input: <input type=file>; list: where progress rows go
	constructor({ zone, input, list, onDone, onError }) {
		this.list = list;
		this.onDone = onDone;
		this.onError = onError;
		this.queue = Promise.resolve();
		input.addEventListener('change', () => {
			this.addAll(input.files);
			input.value = '';
		});
		for (const ev of ['dragenter', 'dragover'])
			zone.addEventListener(ev, (e) => {
				e.preventDefault();
				zone.classList.add('drag');
			});
		for (const ev of ['dragleave', 'drop'])
			zone.addEventListener(ev, () => zone.classList.remove('drag'));
		zone.addEventListener('drop', (e) => {
			e.preventDefault();
			this.addAll(e.dataTransfer?.files || []);
		});
	}

	addAll(files) {
		for (const f of files)
			this.queue = this.queue.then(() => this.one(f));
	}

	row(file) {
		const li = document.createElement('li');
		const name = Object.assign(document.createElement('span'), { className: 'up-name', textContent: file.name });
		const bar = Object.assign(document.createElement('progress'), { max: file.size || 1, value: 0 });
		const note = Object.assign(document.createElement('span'), { className: 'up-note', textContent: 'waiting' });
		li.append(name, bar, note);
		this.list.prepend(li);
		return { li, bar, note };
	}

	async one(file) {
		const r = this.row(file);
		r.note.textContent = `0 of ${fmtBytes(file.size)}`;
		try {
			const cap = await api.upload(file, (sent, total) => {
				r.bar.max = total || 1;
				r.bar.value = sent;
				r.note.textContent = `${fmtBytes(sent)} of ${fmtBytes(total)}`;
			});
			r.bar.value = r.bar.max;
			r.li.dataset.state = 'done';
			r.note.textContent = `imported as capture ${cap.id}`;
			this.onDone?.(cap);
		} catch (e) {
			r.li.dataset.state = 'failed';
			r.note.textContent = e.message;
			this.onError?.(e);
		}
	}
}

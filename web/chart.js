// chart.js - a small live line chart on a <canvas>: the last N samples,
// an area under the line, a max label and a time axis of seconds ago.
// Redrawn on every sample and on resize; sized for the device pixel ratio
// so it stays sharp.

export class RateChart {
	constructor(canvas, { color = '#2563eb', fmt = String, span = 120 } = {}) {
		this.canvas = canvas;
		this.color = color;
		this.fmt = fmt;
		this.span = span;
		this.points = []; // [seconds, value]
		new ResizeObserver(() => this.draw()).observe(canvas);
	}

	push(t, v) {
		this.points.push([t, v]);
		while (this.points.length && this.points[0][0] < t - this.span)
			this.points.shift();
		this.draw();
	}

	get last() {
		return this.points.length ? this.points[this.points.length - 1][1] : null;
	}

	draw() {
		const c = this.canvas;
		const dpr = window.devicePixelRatio || 1;
		const w = c.clientWidth, ht = c.clientHeight;
		if (!w || !ht)
			return;
		if (c.width !== Math.round(w * dpr) || c.height !== Math.round(ht * dpr)) {
			c.width = Math.round(w * dpr);
			c.height = Math.round(ht * dpr);
		}
		const g = c.getContext('2d');
		g.setTransform(dpr, 0, 0, dpr, 0, 0);
		g.clearRect(0, 0, w, ht);
		const pad = { l: 4, r: 4, t: 16, b: 14 };
		const pw = w - pad.l - pad.r, ph = ht - pad.t - pad.b;
		const max = Math.max(1, ...this.points.map((p) => p[1]));
		const now = this.points.length ? this.points[this.points.length - 1][0] : 0;
		const x = (t) => pad.l + pw * (1 - (now - t) / this.span);
		const y = (v) => pad.t + ph * (1 - v / max);

		g.strokeStyle = '#e7ebf0';
		g.lineWidth = 1;
		g.font = '10px system-ui, sans-serif';
		g.fillStyle = '#8a94a3';
		for (const f of [0, 0.5, 1]) {
			const yy = Math.round(pad.t + ph * f) + 0.5;
			g.beginPath();
			g.moveTo(pad.l, yy);
			g.lineTo(w - pad.r, yy);
			g.stroke();
		}
		g.textAlign = 'left';
		g.fillText(`max ${this.fmt(max)}`, pad.l, 11);
		g.fillText(`-${this.span}s`, pad.l, ht - 3);
		g.textAlign = 'right';
		g.fillText('now', w - pad.r, ht - 3);
		if (this.points.length < 2)
			return;

		g.beginPath();
		this.points.forEach(([t, v], i) => (i ? g.lineTo(x(t), y(v)) : g.moveTo(x(t), y(v))));
		g.strokeStyle = this.color;
		g.lineWidth = 1.5;
		g.stroke();
		g.lineTo(x(now), pad.t + ph);
		g.lineTo(x(this.points[0][0]), pad.t + ph);
		g.closePath();
		g.globalAlpha = 0.12;
		g.fillStyle = this.color;
		g.fill();
		g.globalAlpha = 1;
	}
}

/**
 * Charts of benchmark results as standalone SVG documents, for `bench/RESULTS.md`
 * and the README. No dependencies; the same chart always gives the same bytes
 * (no dates, no random ids, coordinates rounded to a tenth of a pixel, numbers
 * formatted without the locale).
 *
 * ```ts
 * import { renderChart } from "./support/svg.ts";
 * const svg = renderChart({
 *   kind: "bar", file: "x.svg", title: "get", unit: "M ops/s", log: true,
 *   groups: [{ label: "get", bars: [{ label: "shmdict", value: 0.99 }] }],
 * });
 * ```
 *
 * Layout:
 * - Bar charts are horizontal: one band per group (e.g. an operation), one bar
 *   per entry (e.g. a system) with its value written after it, one colour per
 *   bar label across the chart and a legend naming them. Horizontal bars leave
 *   room for the value labels however many bars a group has.
 * - Line charts draw each series as a polyline (with markers when it has few
 *   points) over a grid; points that cannot be drawn (not finite, or ≤ 0 on a
 *   log axis) break the line.
 * - Axes are linear, or logarithmic when asked (ticks at 1, 10, 100, …; with
 *   2 and 5 in between when the data spans at most two decades). Bar and
 *   linear value axes start at 0.
 * - Time units (`ns`, `µs`, `ms`, `s`: a bar chart's `unit`, or the unit at
 *   the end of an axis label such as `latency (µs)`) are written the way a
 *   person would: `100 µs`, `1 ms`, `1.5 s`. Other numbers are written with
 *   three significant digits, large ones as `10k`, `1M` on axes.
 *
 * GitHub shows SVG images on a light or a dark page: every chart has its own
 * white background and dark text, so it reads the same on both.
 *
 * @module
 */

import type { BarChart, Chart, LineChart } from "./section.ts";

export type { BarChart, Chart, LineChart } from "./section.ts";

/* ---- numbers --------------------------------------------------------------------- */

const THIN = "\u2009";

/** The series colours, in order of first appearance; chosen to stay apart on white. */
const PALETTE = [
  "#2b6cb0",
  "#dd6b20",
  "#2f855a",
  "#c53030",
  "#6b46c1",
  "#0e7c86",
  "#b7791f",
  "#d53f8c",
  "#4a5568",
  "#68a63a",
] as const;

/** Dash patterns for series beyond the palette (the colours repeat with these). */
const DASHES = ["", "6 3", "2 3", "8 3 2 3"] as const;

const TEXT = "#1f2328";
const MUTED = "#57606a";
const GRID = "#d8dee4";
const BAND = "#f3f5f8";
const FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";

/** `1000` → `1,000`: an integer with thousands separators, independent of the locale. */
function grouped(n: number): string {
  const s = String(Math.abs(Math.round(n)));
  let out = "";
  for (let i = 0; i < s.length; i++) {
    if (i > 0 && (s.length - i) % 3 === 0) out += ",";
    out += s[i];
  }
  return (n < 0 ? "-" : "") + out;
}

/**
 * A number for a label: three significant digits below 1,000 (`0.0312`,
 * `156`), a grouped integer from 1,000 up (`12,345`), an integer as it is.
 * Trailing zeros are dropped (`2.1`, for ticks) unless `keepZeros` is set
 * (`2.10`, for measured values, whose precision then reads the same).
 */
export function formatNumber(x: number, keepZeros = false): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  if (Math.abs(x) >= 1000) return grouped(x);
  if (Number.isInteger(x)) return String(x);
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(x))));
  let s = x.toFixed(Math.min(digits, 20));
  /* Rounding can carry into a fourth digit (999.6 → "1000"): fine as it is. */
  if (!keepZeros && s.includes(".")) s = s.replace(/0+$/, "").replace(/\.$/, "");
  return s === "-0" ? "0" : s;
}

/** A number for an axis tick: `formatNumber` below 1,000, then `10k`, `2.5M`, `1G`. */
function formatCompact(x: number): string {
  const a = Math.abs(x);
  if (a >= 1e9) return `${formatNumber(x / 1e9)}G`;
  if (a >= 1e6) return `${formatNumber(x / 1e6)}M`;
  if (a >= 1e3) return `${formatNumber(x / 1e3)}k`;
  return formatNumber(x);
}

/** Nanoseconds per time unit; `us` is accepted for `µs`. */
const TIME_UNITS: Record<string, number> = { ns: 1, "µs": 1e3, us: 1e3, ms: 1e6, s: 1e9 };

/** The time unit a chart unit or axis label ends with (`latency (µs)` → `µs`), if any. */
export function timeUnitOf(label: string): string | undefined {
  const m = /(?:^|[\s(,])(ns|µs|us|ms|s)\)?\s*$/.exec(label);
  return m ? m[1] : undefined;
}

/** A duration of `x` `unit`s in the unit that suits it: `1500 µs` → `1.5 ms`. */
export function formatTime(x: number, unit: string, keepZeros = false): string {
  const ns = Number((x * (TIME_UNITS[unit] ?? 1)).toPrecision(12));
  const a = Math.abs(ns);
  const f = (v: number): string => formatNumber(Number(v.toPrecision(12)), keepZeros);
  if (x === 0) return "0";
  if (a >= 1e9) return `${f(ns / 1e9)}${THIN}s`;
  if (a >= 1e6) return `${f(ns / 1e6)}${THIN}ms`;
  if (a >= 1e3) return `${f(ns / 1e3)}${THIN}µs`;
  return `${f(ns)}${THIN}ns`;
}

/** `10^k` as the exact decimal it stands for. */
function pow10(k: number): number {
  return Number(`1e${k}`);
}

/** A step of 1, 2 or 5 × 10^k close to `raw`. */
function niceStep(raw: number): number {
  const k = Math.floor(Math.log10(raw));
  const f = raw / pow10(k);
  const m = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return Number((m * pow10(k)).toPrecision(12));
}

/**
 * Ticks of a linear axis covering `[min, max]`: about `count` steps of
 * 1, 2 or 5 × 10^k, starting and ending on a tick.
 */
export function linearTicks(min: number, max: number, count = 5): number[] {
  let lo = min;
  let hi = max;
  if (!(hi > lo)) {
    const d = lo === 0 ? 1 : Math.abs(lo) / 2;
    lo -= lo === 0 ? 0 : d;
    hi += d;
  }
  const step = niceStep((hi - lo) / count);
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

/** The smallest of 1, 2, 5 × 10^k that is ≥ `x` (> 0). */
function niceCeil(x: number): number {
  const k = Math.floor(Math.log10(x) + 1e-9);
  for (const m of [1, 2, 5, 10]) {
    const v = Number((m * pow10(k)).toPrecision(12));
    if (v >= x * (1 - 1e-9)) return v;
  }
  return pow10(k + 1);
}

/**
 * Ticks of a log axis covering `[min, max]` (both > 0): from the power of ten
 * at or below `min` to the first 1, 2 or 5 × 10^k at or above `max` (the last
 * tick); the powers of ten between (every other one or sparser beyond six
 * decades), and 2 and 5 times each when the span is two decades or less.
 */
export function logTicks(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(min) + 1e-9);
  let top = niceCeil(max);
  if (top <= pow10(lo)) top = pow10(lo + 1);
  const hi = Math.log10(top);
  const every = Math.max(1, Math.ceil((hi - lo) / 6));
  if (every > 1) top = pow10(lo + Math.ceil((hi - lo) / every) * every);
  const ticks: number[] = [];
  for (let k = lo; pow10(k) <= top; k += every) {
    ticks.push(pow10(k));
    if (hi - lo <= 2) {
      for (const m of [2, 5]) {
        const v = Number((m * pow10(k)).toPrecision(12));
        if (v <= top) ticks.push(v);
      }
    }
  }
  if (ticks[ticks.length - 1] < top) ticks.push(top);
  return ticks;
}

/** An axis: where a value goes (0 at the start, 1 at the end), its ticks and their labels. */
interface Scale {
  ticks: number[];
  at(v: number): number;
  /** True when `v` can be placed on this axis. */
  ok(v: number): boolean;
  label(v: number): string;
}

function scaleOf(values: number[], log: boolean, zero: boolean, unit: string): Scale {
  const time = timeUnitOf(unit);
  const label = (v: number): string => time ? formatTime(v, time) : formatCompact(v);
  if (log) {
    const pos = values.filter((v) => Number.isFinite(v) && v > 0);
    const ticks = pos.length === 0 ? [1, 10] : logTicks(Math.min(...pos), Math.max(...pos));
    const lo = Math.log10(ticks[0]);
    const hi = Math.log10(ticks[ticks.length - 1]);
    return {
      ticks,
      at: (v) => (Math.log10(v) - lo) / (hi - lo),
      ok: (v) => Number.isFinite(v) && v > 0,
      label,
    };
  }
  const fin = values.filter((v) => Number.isFinite(v));
  let min = fin.length === 0 ? 0 : Math.min(...fin);
  let max = fin.length === 0 ? 1 : Math.max(...fin);
  if (zero) {
    min = Math.min(0, min);
    max = Math.max(0, max);
  }
  const ticks = linearTicks(min, max);
  const lo = ticks[0];
  const hi = ticks[ticks.length - 1];
  return { ticks, at: (v) => (v - lo) / (hi - lo), ok: (v) => Number.isFinite(v), label };
}

/* ---- SVG text ---------------------------------------------------------------------- */

/** Escapes text for XML content and attribute values. */
function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** A coordinate rounded to a tenth of a pixel, without a trailing `.0`. */
function n(x: number): string {
  const r = Math.round(x * 10) / 10;
  return String(r === 0 ? 0 : r);
}

/**
 * The width of `s` in a sans-serif font of `size` px, estimated from classes
 * of characters (no font metrics here): enough to lay out labels and legends.
 */
export function textWidth(s: string, size: number): number {
  let w = 0;
  for (const ch of s) {
    if ("il.,:;|!'`ıj ".includes(ch)) w += ch === " " ? 0.28 : 0.26;
    else if ("ftrI()[]-/\u2009".includes(ch)) w += ch === "\u2009" ? 0.17 : 0.36;
    else if ("mwMW@%".includes(ch)) w += 0.86;
    else if (ch >= "A" && ch <= "Z") w += 0.7;
    else if (ch >= "0" && ch <= "9") w += 0.6;
    else w += 0.58;
  }
  return w * size;
}

/** Cuts `s` with an ellipsis so that it is at most `max` px wide. */
function fit(s: string, size: number, max: number): string {
  if (textWidth(s, size) <= max) return s;
  let t = s;
  while (t.length > 1 && textWidth(`${t}…`, size) > max) t = t.slice(0, -1);
  return `${t}…`;
}

interface TextOpts {
  size?: number;
  anchor?: "start" | "middle" | "end";
  weight?: "bold";
  fill?: string;
  rotate?: boolean;
}

function text(x: number, y: number, s: string, o: TextOpts = {}): string {
  const attrs = [`x="${n(x)}"`, `y="${n(y)}"`];
  if (o.size !== undefined && o.size !== 12) attrs.push(`font-size="${o.size}"`);
  if (o.anchor && o.anchor !== "start") attrs.push(`text-anchor="${o.anchor}"`);
  if (o.weight) attrs.push(`font-weight="${o.weight}"`);
  if (o.fill && o.fill !== TEXT) attrs.push(`fill="${o.fill}"`);
  if (o.rotate) attrs.push(`transform="rotate(-90 ${n(x)} ${n(y)})"`);
  return `<text ${attrs.join(" ")}>${esc(s)}</text>`;
}

function line(x1: number, y1: number, x2: number, y2: number, stroke: string): string {
  return `<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" stroke="${stroke}"/>`;
}

function rect(x: number, y: number, w: number, h: number, fill: string): string {
  return `<rect x="${n(x)}" y="${n(y)}" width="${n(Math.max(0, w))}" height="${
    n(Math.max(0, h))
  }" fill="${fill}"/>`;
}

function svgDocument(w: number, h: number, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(w)}" height="${n(h)}" ` +
    `viewBox="0 0 ${n(w)} ${n(h)}" font-family="${esc(FONT)}" font-size="12" ` +
    `fill="${TEXT}" role="img" aria-label="${esc(title)}">`,
    `<title>${esc(title)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...body,
    "</svg>",
    "",
  ].join("\n");
}

const W = 800;
const PAD = 16;

/** An axis name, with `log scale` added when it is one: `time (ms)` → `time (ms, log scale)`. */
function axisName(label: string, log: boolean | undefined): string {
  if (!log) return label;
  return label.endsWith(")") ? `${label.slice(0, -1)}, log scale)` : `${label} (log scale)`;
}

/** The legend under the title, wrapped to the width; returns its markup and its bottom. */
function legend(
  items: { label: string; color: string; dash: string }[],
  top: number,
  swatch: "box" | "line",
): { svg: string[]; bottom: number } {
  if (items.length < 2) return { svg: [], bottom: top };
  const svg: string[] = [];
  let x = PAD;
  let y = top;
  for (const it of items) {
    const w = 22 + textWidth(it.label, 12) + 18;
    if (x > PAD && x + w > W - PAD) {
      x = PAD;
      y += 18;
    }
    if (swatch === "box") svg.push(rect(x, y + 1, 12, 12, it.color));
    else {
      const dash = it.dash ? ` stroke-dasharray="${it.dash}"` : "";
      svg.push(
        `<line x1="${n(x)}" y1="${n(y + 7)}" x2="${n(x + 16)}" y2="${n(y + 7)}" ` +
          `stroke="${it.color}" stroke-width="2.5"${dash}/>`,
      );
    }
    svg.push(text(x + 20, y + 11, it.label));
    x += w;
  }
  return { svg, bottom: y + 18 };
}

function noData(title: string): string {
  return svgDocument(W, 120, title, [
    text(PAD, 28, title, { size: 16, weight: "bold" }),
    text(W / 2, 80, "no data", { anchor: "middle", fill: MUTED }),
  ]);
}

/* ---- bar charts ----------------------------------------------------------------- */

/**
 * A horizontal grouped bar chart: per group a band with one bar per entry,
 * the value written after each bar (`n/a` for a `null` value), one colour per
 * bar label and a legend when there are several; the value axis at the
 * bottom, linear from 0 or logarithmic (`chart.log`), named by `chart.unit`.
 */
export function renderBarChart(chart: BarChart): string {
  const groups = chart.groups.filter((g) => g.bars.length > 0);
  if (groups.length === 0) return noData(chart.title);
  const value = (v: number | null): number | null => v !== null && Number.isFinite(v) ? v : null;
  const series: string[] = [];
  for (const g of groups) {
    for (const b of g.bars) if (!series.includes(b.label)) series.push(b.label);
  }
  const color = (label: string): string => PALETTE[series.indexOf(label) % PALETTE.length];
  const values = groups.flatMap((g) => g.bars.map((b) => value(b.value)))
    .filter((v): v is number => v !== null);
  const scale = scaleOf(values, chart.log === true, true, chart.unit);
  const time = timeUnitOf(chart.unit);
  const valueLabel = (v: number | null): string =>
    v === null ? "n/a" : time ? formatTime(v, time, true) : formatNumber(v, true);

  const body: string[] = [text(PAD, 28, chart.title, { size: 16, weight: "bold" })];
  const leg = legend(series.map((label) => ({ label, color: color(label), dash: "" })), 42, "box");
  body.push(...leg.svg);

  const labelW = Math.min(
    200,
    Math.max(40, ...groups.map((g) => textWidth(g.label, 12))),
  );
  const valueW = Math.max(
    36,
    ...groups.flatMap((g) => g.bars.map((b) => textWidth(valueLabel(value(b.value)), 11))),
  ) + 8;
  const x0 = PAD + labelW + 12;
  const x1 = W - PAD - valueW;
  const barH = 14;
  const barGap = 3;
  const groupGap = 14;
  const top = leg.bottom + 10;
  const heights = groups.map((g) => g.bars.length * (barH + barGap) - barGap);
  const bottom = top + heights.reduce((s, h) => s + h + groupGap, 0);
  const xOf = (v: number): number => x0 + (x1 - x0) * Math.min(1, Math.max(0, scale.at(v)));

  /* Bands behind every other group, then the grid, then the bars on top. */
  let y = top;
  groups.forEach((_, i) => {
    if (i % 2 === 1) body.push(rect(PAD, y, W - 2 * PAD, heights[i] + groupGap, BAND));
    y += heights[i] + groupGap;
  });
  for (const t of scale.ticks) body.push(line(xOf(t), top, xOf(t), bottom, GRID));
  body.push(line(x0, top, x0, bottom, MUTED), line(x0, bottom, x1, bottom, MUTED));
  y = top;
  groups.forEach((g, i) => {
    const gy = y + groupGap / 2;
    body.push(
      text(x0 - 8, gy + heights[i] / 2 + 4, fit(g.label, 12, labelW), { anchor: "end" }),
    );
    g.bars.forEach((b, j) => {
      const by = gy + j * (barH + barGap);
      const v = value(b.value);
      let end = x0;
      if (v !== null && scale.ok(v)) {
        end = xOf(v);
        const bar = rect(x0, by, end - x0, barH, color(b.label));
        body.push(
          bar.replace("/>", `><title>${esc(`${b.label}: ${valueLabel(v)}`)}</title></rect>`),
        );
      }
      body.push(
        text(end + 4, by + barH - 3, valueLabel(v), {
          size: 11,
          fill: v === null ? MUTED : TEXT,
        }),
      );
    });
    y += heights[i] + groupGap;
  });
  for (const t of scale.ticks) {
    body.push(line(xOf(t), bottom, xOf(t), bottom + 4, MUTED));
    body.push(
      text(xOf(t), bottom + 17, scale.label(t), { size: 11, anchor: "middle", fill: MUTED }),
    );
  }
  const axis = axisName(chart.unit, chart.log);
  body.push(text((x0 + x1) / 2, bottom + 36, axis, { anchor: "middle", fill: MUTED }));
  return svgDocument(W, bottom + 36 + PAD, chart.title, body);
}

/* ---- line charts ------------------------------------------------------------------- */

/**
 * A line chart: each series a polyline in its own colour (dashed once the
 * colours run out), markers on series of at most 60 points, a legend when
 * there are several series; axes named by `xLabel` and `yLabel`, linear or
 * logarithmic (`logX`, `logY`). Points are drawn in the order given.
 */
export function renderLineChart(chart: LineChart): string {
  const series = chart.series.filter((s) => s.points.length > 0);
  if (series.length === 0) return noData(chart.title);
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const sx = scaleOf(xs, chart.logX === true, false, chart.xLabel);
  const sy = scaleOf(ys, chart.logY === true, ys.every((v) => !(v < 0)), chart.yLabel);
  const style = (i: number) => ({
    color: PALETTE[i % PALETTE.length],
    dash: DASHES[Math.floor(i / PALETTE.length) % DASHES.length],
  });

  const H = 440;
  const body: string[] = [text(PAD, 28, chart.title, { size: 16, weight: "bold" })];
  const leg = legend(series.map((s, i) => ({ label: s.label, ...style(i) })), 42, "line");
  body.push(...leg.svg);
  const tickW = Math.max(...sy.ticks.map((t) => textWidth(sy.label(t), 11)));
  const x0 = PAD + 22 + tickW + 8;
  const x1 = W - PAD - 12;
  const y0 = leg.bottom + 12;
  const y1 = H - PAD - 40;
  const px = (v: number): number => x0 + (x1 - x0) * sx.at(v);
  const py = (v: number): number => y1 - (y1 - y0) * sy.at(v);

  for (const t of sx.ticks) {
    body.push(line(px(t), y0, px(t), y1, GRID));
    body.push(text(px(t), y1 + 17, sx.label(t), { size: 11, anchor: "middle", fill: MUTED }));
  }
  for (const t of sy.ticks) {
    body.push(line(x0, py(t), x1, py(t), GRID));
    body.push(text(x0 - 6, py(t) + 4, sy.label(t), { size: 11, anchor: "end", fill: MUTED }));
  }
  body.push(line(x0, y0, x0, y1, MUTED), line(x0, y1, x1, y1, MUTED));
  const xAxis = axisName(chart.xLabel, chart.logX);
  const yAxis = axisName(chart.yLabel, chart.logY);
  body.push(text((x0 + x1) / 2, y1 + 36, xAxis, { anchor: "middle", fill: MUTED }));
  body.push(text(PAD + 10, (y0 + y1) / 2, yAxis, { anchor: "middle", fill: MUTED, rotate: true }));

  series.forEach((s, i) => {
    const { color, dash } = style(i);
    /* Runs of drawable points; a point that cannot be drawn ends a run. */
    const runs: string[][] = [[]];
    let last = "";
    for (const [x, y] of s.points) {
      if (!sx.ok(x) || !sy.ok(y)) {
        if (runs[runs.length - 1].length > 0) runs.push([]);
        last = "";
        continue;
      }
      const p = `${n(px(x))},${n(py(y))}`;
      if (p !== last) runs[runs.length - 1].push(p);
      last = p;
    }
    const dashAttr = dash ? ` stroke-dasharray="${dash}"` : "";
    const parts: string[] = [];
    for (const run of runs) {
      if (run.length > 1) {
        parts.push(
          `<polyline points="${run.join(" ")}" fill="none" stroke="${color}" ` +
            `stroke-width="${s.points.length > 300 ? 1.25 : 2}" stroke-linejoin="round" ` +
            `stroke-linecap="round"${dashAttr}/>`,
        );
      }
      if (run.length === 1 || s.points.length <= 60) {
        for (const p of run) {
          const [cx, cy] = p.split(",");
          parts.push(
            `<circle cx="${cx}" cy="${cy}" r="3" fill="${color}" stroke="#ffffff" stroke-width="1"/>`,
          );
        }
      }
    }
    body.push(`<g><title>${esc(s.label)}</title>`, ...parts, "</g>");
  });
  return svgDocument(W, H, chart.title, body);
}

/** Renders either kind of chart to a standalone SVG document (ending in a newline). */
export function renderChart(chart: Chart): string {
  return chart.kind === "bar" ? renderBarChart(chart) : renderLineChart(chart);
}

/* bench/support/svg.ts: the charts of bench/RESULTS.md. Number formatting, axis ticks,
 * the same bytes for the same chart, escaping, null and non-positive values, and that
 * every document is one well-formed <svg> with a white background. */

import type { BarChart, LineChart } from "../bench/support/section.ts";
import {
  formatNumber,
  formatTime,
  linearTicks,
  logTicks,
  renderChart,
  timeUnitOf,
} from "../bench/support/svg.ts";
import { assert, assertEquals, test } from "./harness.ts";

const bars: BarChart = {
  kind: "bar",
  file: "t.svg",
  title: "get & set <fast>",
  unit: "M ops/s",
  log: true,
  groups: [
    { label: "get", bars: [{ label: "shmdict", value: 0.993 }, { label: "Redis", value: 0.0277 }] },
    { label: "set", bars: [{ label: "shmdict", value: 0.78 }, { label: "Redis", value: null }] },
  ],
};

const lines: LineChart = {
  kind: "line",
  file: "l.svg",
  title: "restart",
  xLabel: "keys",
  yLabel: "time (ms)",
  logX: true,
  logY: true,
  series: [
    { label: "a", points: [[1e4, 0.3], [1e5, 0.35], [1e6, 0], [1e7, 0.45]] },
    { label: "b", points: [[1e4, 8], [1e7, 8000]] },
  ],
};

/** Open and close tags balance, and the document is one <svg> element. */
function wellFormed(svg: string): void {
  assert(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), "starts with <svg");
  assert(svg.endsWith("</svg>\n"), "ends with </svg>");
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
    if (m[3] === "/") continue;
    if (m[1] === "") stack.push(m[2]);
    else assertEquals(stack.pop(), m[2], `closing </${m[2]}>`);
  }
  assertEquals(stack.length, 0, "every element closed");
  assert(/<rect width="100%" height="100%" fill="#ffffff"\/>/.test(svg), "white background");
  assert(!/NaN|Infinity|undefined/.test(svg), "no NaN, Infinity or undefined");
}

test("svg: numbers with three significant digits, grouped thousands", () => {
  assertEquals(formatNumber(0.0312), "0.0312");
  assertEquals(formatNumber(2.1), "2.1");
  assertEquals(formatNumber(2.1, true), "2.10");
  assertEquals(formatNumber(156.4), "156");
  assertEquals(formatNumber(12345.6), "12,346");
  assertEquals(formatNumber(7), "7");
  assertEquals(formatNumber(0), "0");
});

test("svg: times in the unit that suits them", () => {
  assertEquals(timeUnitOf("latency (µs)"), "µs");
  assertEquals(timeUnitOf("ms"), "ms");
  assertEquals(timeUnitOf("M ops/s"), undefined);
  assertEquals(timeUnitOf("keys"), undefined);
  assertEquals(formatTime(1500, "µs"), "1.5\u2009ms");
  assertEquals(formatTime(100, "µs"), "100\u2009µs");
  assertEquals(formatTime(0.5, "ms"), "500\u2009µs");
  assertEquals(formatTime(2000, "ms"), "2\u2009s");
});

test("svg: linear ticks of 1, 2, 5 × 10^k covering the data", () => {
  assertEquals(linearTicks(0, 8.7), [0, 2, 4, 6, 8, 10]);
  assertEquals(linearTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assertEquals(linearTicks(3, 3), [1, 2, 3, 4, 5]);
});

test("svg: log ticks at powers of ten, ending on 1, 2 or 5 × 10^k", () => {
  assertEquals(logTicks(0.0277, 8.7), [0.01, 0.1, 1, 10]);
  assertEquals(logTicks(0.0213, 1.46), [0.01, 0.1, 1, 2]);
  assertEquals(logTicks(98.6, 1320), [10, 100, 1000, 2000]);
  assertEquals(logTicks(3, 40), [1, 2, 5, 10, 20, 50]);
  assertEquals(logTicks(1, 1e12), [1, 100, 1e4, 1e6, 1e8, 1e10, 1e12]);
});

test("svg: the same chart gives the same bytes", () => {
  const a = renderChart(bars);
  const b = renderChart(structuredClone(bars));
  assertEquals(a, b);
  assertEquals(renderChart(lines), renderChart(structuredClone(lines)));
});

test("svg: bar chart: escaped title, legend, value labels, n/a for null", () => {
  const svg = renderChart(bars);
  wellFormed(svg);
  assert(svg.includes("get &amp; set &lt;fast&gt;"), "title escaped");
  assert(!svg.includes("<fast>"), "no raw markup from the data");
  assert(svg.includes(">0.993</text>") && svg.includes(">0.0277</text>"), "value labels");
  assert(svg.includes(">n/a</text>"), "n/a for null");
  assert(svg.includes(">shmdict</text>") && svg.includes(">Redis</text>"), "legend");
  assert(svg.includes("M ops/s (log scale)"), "axis names the unit and the scale");
  /* Three bars drawn (null draws none), each with a tooltip. */
  assertEquals([...svg.matchAll(/<rect [^>]*><title>/g)].length, 3);
});

test("svg: bar chart of latencies labels µs and ms", () => {
  const svg = renderChart({
    kind: "bar",
    file: "b.svg",
    title: "blpop",
    unit: "µs",
    log: true,
    groups: [{ label: "p", bars: [{ label: "p50", value: 98.6 }, { label: "p99", value: 1320 }] }],
  });
  wellFormed(svg);
  assert(svg.includes(">98.6\u2009µs</text>") && svg.includes(">1.32\u2009ms</text>"), "values");
  assert(svg.includes(">100\u2009µs</text>") && svg.includes(">1\u2009ms</text>"), "ticks");
});

test("svg: line chart: a point that cannot be drawn breaks the line", () => {
  const svg = renderChart(lines);
  wellFormed(svg);
  /* Series a: [1e4, 1e5] then [1e7] alone (0 is off a log axis); series b: one line. */
  assertEquals([...svg.matchAll(/<polyline /g)].length, 2);
  assert(svg.includes(">10k</text>") && svg.includes(">10M</text>"), "x ticks");
  assert(svg.includes("time (ms, log scale)"), "y axis name");
});

test("svg: no data is a chart that says so", () => {
  const svg = renderChart({ ...bars, groups: [] });
  wellFormed(svg);
  assert(svg.includes(">no data</text>"));
  wellFormed(renderChart({ ...lines, series: [] }));
});

/**
 * The contract between a benchmark suite and the report. Each suite that
 * `bench/report.ts` does not know by name has a module `bench/sections/<suite>.ts`
 * whose default export turns the suite's result files (`bench/results/*.json`)
 * into a section of `bench/RESULTS.md` and the charts that go with it.
 *
 * @module
 */

/** One bar of a bar chart. */
export interface Bar {
  /** What the bar stands for, e.g. `shmdict`. */
  label: string;
  /** Its height, in the chart's unit; `null` draws no bar and says "n/a". */
  value: number | null;
}

/** A bar chart: groups (e.g. operations) of bars (e.g. systems). */
export interface BarChart {
  /** Discriminates the chart kinds. */
  kind: "bar";
  /** File name under `bench/charts/`, ending in `.svg`. */
  file: string;
  /** The chart's title, drawn above it. */
  title: string;
  /** The unit of the values, e.g. `M ops/s` or `ms`. */
  unit: string;
  /** Groups of bars, drawn in this order. */
  groups: { label: string; bars: Bar[] }[];
  /** Draw the value axis on a log scale (values spanning orders of magnitude). */
  log?: boolean;
}

/** A line chart: series of (x, y) points. */
export interface LineChart {
  /** Discriminates the chart kinds. */
  kind: "line";
  /** File name under `bench/charts/`, ending in `.svg`. */
  file: string;
  /** The chart's title, drawn above it. */
  title: string;
  /** The x axis's label, with its unit. */
  xLabel: string;
  /** The y axis's label, with its unit. */
  yLabel: string;
  /** The lines, each a list of (x, y) points in drawing order. */
  series: { label: string; points: [number, number][] }[];
  /** Draw the x axis on a log scale. */
  logX?: boolean;
  /** Draw the y axis on a log scale. */
  logY?: boolean;
}

/** A chart the report renders to SVG. */
export type Chart = BarChart | LineChart;

/** A target a suite checks, shown in the report's target table. */
export interface Target {
  /** The target as the issue words it, e.g. `attach + first read < 5 ms at 10 M keys`. */
  target: string;
  /** Per runtime (or `all` when the runtime does not matter): met, and the measured figure. */
  results: { runtime: string; pass: boolean; figure: string }[];
}

/** What a section module returns. */
export interface Section {
  /** The heading (without `#`). */
  title: string;
  /** Markdown body: what was measured, how, the tables. */
  markdown: string;
  /** Charts the report renders to `bench/charts/` and embeds. */
  charts: Chart[];
  /** Targets for the report's one targets table. */
  targets: Target[];
}

/**
 * The default export of `bench/sections/<suite>.ts`: reads `bench/results/`
 * (passed as an absolute directory path ending in `/`) and returns the
 * section, or `null` when the suite's results are missing (the report then
 * says the suite did not run).
 */
export type SectionFn = (resultsDir: string) => Section | null;

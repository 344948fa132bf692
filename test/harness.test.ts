/**
 * Self-test of the test harness (test/harness.ts) and child-process helpers
 * (test/procs.ts).
 *
 * @module
 */

import {
  assert,
  assertEquals,
  AssertionError,
  assertRejects,
  assertThrows,
  test,
} from "./harness.ts";
import { runScript, RUNTIMES, spawnScript } from "./procs.ts";

const echo = new URL("./fixtures/echo.ts", import.meta.url);
const harnessChild = new URL("./fixtures/harness_child.ts", import.meta.url);

test("assertEquals accepts deeply equal values", () => {
  assertEquals(1, 1);
  assertEquals(NaN, NaN);
  assertEquals(null, null);
  assertEquals(undefined, undefined);
  assertEquals("x", "x");
  assertEquals(10n, 10n);
  assertEquals(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]));
  assertEquals(new Uint8Array(0), new Uint8Array(0));
  assertEquals([1, [2, [3, NaN]]], [1, [2, [3, NaN]]]);
  assertEquals({ a: 1, b: { c: [null, undefined] } }, { b: { c: [null, undefined] }, a: 1 });
  assertEquals(
    new Map([["k", { v: new Uint8Array([9]) }]]),
    new Map([["k", { v: new Uint8Array([9]) }]]),
  );
  assertEquals(new Set([1, { x: 2 }]), new Set([{ x: 2 }, 1]));
  assertEquals(new Date(5), new Date(5));
  assertEquals(new Float64Array([NaN, 1.5]), new Float64Array([NaN, 1.5]));
  const cyclicA: { self?: unknown } = {};
  cyclicA.self = cyclicA;
  const cyclicB: { self?: unknown } = {};
  cyclicB.self = cyclicB;
  assertEquals(cyclicA, cyclicB);
});

test("assertEquals rejects different values", () => {
  const cases: Array<[unknown, unknown]> = [
    [1, 2],
    [0, "0"],
    [NaN, 0],
    [null, undefined],
    [undefined, null],
    [new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4])],
    [new Uint8Array([1, 2]), new Uint8Array([1, 2, 3])],
    [new Uint8Array([1]), new Int8Array([1])],
    [new Uint8Array([1]), [1]],
    [[1, 2], [1, 2, undefined]],
    [{ a: undefined }, {}],
    [{ a: 1 }, { a: 1, b: 2 }],
    [{ 0: "a", length: 1 }, ["a"]],
    [{ a: { b: [1, 2] } }, { a: { b: [1, 3] } }],
    [new Map([["k", 1]]), new Map([["k", 2]])],
    [new Set([{ x: 1 }]), new Set([{ x: 2 }])],
    [new Date(5), new Date(6)],
    [1n, 1],
  ];
  for (const [a, b] of cases) {
    assertThrows(() => assertEquals(a, b), AssertionError);
  }
  const err = assertThrows(
    () => assertEquals({ a: { b: [1, 2] } }, { a: { b: [1, 3] } }, "ctx"),
    AssertionError,
  );
  assert(err.message.startsWith("ctx: "), err.message);
  assert(err.message.includes(".a.b[1]"), err.message);
});

test("assertThrows returns the error and fails when nothing is thrown", () => {
  const err = assertThrows(
    () => {
      throw new RangeError("out of range: 7");
    },
    RangeError,
    "range: 7",
  );
  assert(err instanceof RangeError);
  assertEquals(err.message, "out of range: 7");

  // A function that does not throw must make assertThrows throw.
  const noThrow = assertThrows(() => assertThrows(() => 42), AssertionError);
  assert(noThrow.message.includes("did not throw"), noThrow.message);
  // Wrong class and wrong message must fail too.
  assertThrows(() => assertThrows(() => JSON.parse("{"), TypeError), AssertionError);
  assertThrows(
    () => assertThrows(() => JSON.parse("{"), SyntaxError, "no such text"),
    AssertionError,
  );
  assertThrows(() => assert(false), AssertionError);
  assertThrows(() => assert(0, "zero"), AssertionError, "zero");
});

test("assertRejects returns the reason and fails when the promise resolves", async () => {
  const err = await assertRejects(
    async () => {
      await Promise.resolve();
      throw new TypeError("bad type");
    },
    TypeError,
    "bad",
  );
  assertEquals(err.message, "bad type");
  await assertRejects(() => assertRejects(async () => {}), AssertionError, "did not reject");
  await assertRejects(
    () => assertRejects(() => Promise.reject(new Error("x")), TypeError),
    AssertionError,
  );
});

for (const rt of RUNTIMES) {
  test(`${rt}: child script prints its argv and exits 0`, async () => {
    const r = await runScript(rt, echo, ["a", "b c", "--stderr=to-stderr"], { timeout: 30_000 });
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.signal, null);
    assertEquals(JSON.parse(r.stdout.trim()), {
      runtime: rt,
      args: ["a", "b c", "--stderr=to-stderr"],
    });
    assert(r.stderr.includes("to-stderr"), r.stderr);
  });

  test(`${rt}: exit code, kill and timeout are reported`, async () => {
    const r = await runScript(rt, echo, ["--exit=3"], { timeout: 30_000 });
    assertEquals(r.code, 3);

    const p = spawnScript(rt, echo, ["--hang"]);
    assert(p.pid > 0);
    await p.waitForOutput('"--hang"', 30_000);
    assert(p.kill("SIGTERM"));
    const killed = await p.wait();
    assertEquals(killed.signal, "SIGTERM");
    assertEquals(killed.code, null);

    await assertRejects(
      () => runScript(rt, echo, ["--hang"], { timeout: 1_500 }),
      Error,
      "timed out",
    );
  });

  test(`${rt}: harness reports ok/FAIL lines, timeouts and the count line`, async () => {
    const r = await runScript(rt, harnessChild, [], { timeout: 30_000 });
    const lines = r.stdout.split("\n");
    assertEquals(r.code, 0, r.stdout + r.stderr);
    assert(lines.some((l) => /^ok {3}passes \(\d+ ms\)$/.test(l)), r.stdout);
    assert(lines.some((l) => l.startsWith("FAIL fails")), r.stdout);
    assert(lines.some((l) => l.startsWith("FAIL times out")), r.stdout);
    assert(r.stdout.includes("timed out after 200 ms"), r.stdout);
    assert(lines.some((l) => l.startsWith("FAIL rejects")), r.stdout);
    assert(r.stdout.includes("async boom"), r.stdout);
    assert(r.stdout.includes("first difference at .a[2]"), r.stdout);
    assertEquals(lines.filter((l) => /^\d+ passed, \d+ failed$/.test(l)), ["1 passed, 3 failed"]);
  });
}

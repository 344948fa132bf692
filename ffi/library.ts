/**
 * Which library file to load, and the checks made once it is loaded.
 *
 * Order: the `SHMDICT_LIB` environment variable (a path), then the local build
 * `zig-out/lib/libshmdict.so` (`.dylib` on macOS, `zig-out/bin/shmdict.dll` on
 * Windows) relative to this file. The runtime bindings (`ffi/deno.ts`,
 * `ffi/bun.ts`) supply the operating system, the environment variable and the
 * function that actually opens the file; this module stays runtime-neutral.
 *
 * @module
 */

import { ABI_VERSION, type Native } from "./symbols.ts";

/** What a runtime binding tells {@link loadLibrary} about its host. */
export interface Host {
  /** The operating system: `"linux"`, `"darwin"`, `"windows"`, ... */
  readonly os: string;
  /** The value of `SHMDICT_LIB`, or `undefined` if unset or unreadable. */
  readonly envLib: string | undefined;
}

/** The library file chosen for a host, and why. */
export interface LibraryChoice {
  /** File-system path handed to the runtime's `dlopen`. */
  readonly path: string;
  /** Where the path came from, for error messages. */
  readonly source: string;
}

/** The environment variable that overrides the library path. */
export const LIB_ENV = "SHMDICT_LIB";

const BUILD_HINT = "Build it with `npm run build` (zig build) in the shmdict " +
  `checkout, or set ${LIB_ENV} to the path of a built libshmdict ` +
  `(in Deno, also grant --allow-env=${LIB_ENV} so it can be read).`;

/** The local build's file name for an operating system, under `zig-out/`. */
function localBuild(os: string): string {
  if (os === "windows") return "../zig-out/bin/shmdict.dll";
  if (os === "darwin") return "../zig-out/lib/libshmdict.dylib";
  return "../zig-out/lib/libshmdict.so";
}

/** A `file:` URL as a path (forward slashes are fine on Windows too). */
function urlToPath(url: URL): string {
  const path = decodeURIComponent(url.pathname);
  return /^\/[A-Za-z]:[\\/]/.test(path) ? path.slice(1) : path;
}

/**
 * Chooses the library file for a host: the `SHMDICT_LIB` override if set,
 * else the local build next to this package.
 */
export function chooseLibrary(host: Host): LibraryChoice {
  if (host.envLib !== undefined && host.envLib !== "") {
    return { path: host.envLib, source: `from ${LIB_ENV}` };
  }
  const url = new URL(localBuild(host.os), import.meta.url);
  if (url.protocol !== "file:") {
    throw new Error(
      `shmdict: no native library for ${url.href}: this copy of the package ` +
        `is not on the local file system, so it has no local build. ` +
        BUILD_HINT,
    );
  }
  return { path: urlToPath(url), source: "local build" };
}

/**
 * Opens the library chosen for `host` with the runtime's `open`, then checks
 * its ABI version. Throws an `Error` naming the path tried, and how to build
 * the library, when the file cannot be loaded or is of another ABI.
 */
export function loadLibrary(
  host: Host,
  open: (path: string) => Native,
): Native {
  const { path, source } = chooseLibrary(host);
  let native: Native;
  try {
    native = open(path);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(
      `shmdict: cannot load the native library "${path}" (${source}): ` +
        `${why}. ${BUILD_HINT}`,
      { cause: err },
    );
  }
  const abi = native.shmd_abi_version();
  if (abi !== ABI_VERSION) {
    throw new Error(
      `shmdict: the native library "${path}" (${source}) has ABI version ` +
        `${abi}, but this package needs ABI version ${ABI_VERSION}. ` +
        BUILD_HINT,
    );
  }
  return native;
}

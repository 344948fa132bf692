/**
 * What a process costs in memory, from Linux's `/proc/<pid>/smaps_rollup` and
 * `/proc/<pid>/smaps`, and what a tmpfs file (a shmdict segment) holds.
 *
 * Proportional set size (PSS) splits every resident page among the processes
 * that map it: a page of a shared-memory segment mapped by four processes
 * counts a quarter in each, so the PSS of a group of processes adds up to the
 * memory they use between them. Pages of a tmpfs file that no process maps
 * (or that nobody has touched since) are in nobody's PSS but still take
 * memory (`Shmem` in `/proc/meminfo`): {@link allocatedBytes} counts them.
 *
 * @module
 */

import { readFileSync, statSync } from "node:fs";

/** A process's memory, bytes (the fields of `smaps_rollup` we use). */
export interface Rollup {
  /** Resident set size. */
  rss: number;
  /** Proportional set size. */
  pss: number;
  /** PSS of anonymous memory (the JS heap, malloc). */
  pssAnon: number;
  /** PSS of file-backed mappings (the runtime binary, libraries). */
  pssFile: number;
  /** PSS of shared memory (tmpfs, such as a shmdict segment). */
  pssShmem: number;
  /** Resident pages also mapped elsewhere, unmodified. */
  sharedClean: number;
  /** Resident pages also mapped elsewhere, modified. */
  sharedDirty: number;
  /** Resident pages only this process maps, unmodified. */
  privateClean: number;
  /** Resident pages only this process maps, modified. */
  privateDirty: number;
}

const FIELDS: Record<string, keyof Rollup> = {
  Rss: "rss",
  Pss: "pss",
  Pss_Anon: "pssAnon",
  Pss_File: "pssFile",
  Pss_Shmem: "pssShmem",
  Shared_Clean: "sharedClean",
  Shared_Dirty: "sharedDirty",
  Private_Clean: "privateClean",
  Private_Dirty: "privateDirty",
};

/** Reads `/proc/<pid>/smaps_rollup`. */
export function readRollup(pid: number): Rollup {
  const out: Rollup = {
    rss: 0,
    pss: 0,
    pssAnon: 0,
    pssFile: 0,
    pssShmem: 0,
    sharedClean: 0,
    sharedDirty: 0,
    privateClean: 0,
    privateDirty: 0,
  };
  for (const line of readFileSync(`/proc/${pid}/smaps_rollup`, "utf8").split("\n")) {
    const m = /^(\w+):\s+(\d+) kB/.exec(line);
    const f = m && FIELDS[m[1]];
    if (f) out[f] = Number(m[2]) * 1024;
  }
  return out;
}

/** The mappings of one file in a process, bytes. */
export interface FileMapping {
  /** Virtual size of the mappings. */
  size: number;
  /** Resident pages of the mappings. */
  rss: number;
  /** This process's proportional share of them. */
  pss: number;
}

/** Sums the `/proc/<pid>/smaps` entries whose path is `path`. */
export function readMapping(pid: number, path: string): FileMapping {
  const out: FileMapping = { size: 0, rss: 0, pss: 0 };
  let inside = false;
  for (const line of readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) {
      /* a mapping header: range perms offset dev inode [path] (path may be "… (deleted)") */
      const parts = line.split(/\s+/);
      const name = parts.slice(5).join(" ");
      inside = name === path || name === `${path} (deleted)`;
      continue;
    }
    if (!inside) continue;
    const m = /^(Size|Rss|Pss):\s+(\d+) kB/.exec(line);
    if (m) {
      const v = Number(m[2]) * 1024;
      if (m[1] === "Size") out.size += v;
      else if (m[1] === "Rss") out.rss += v;
      else out.pss += v;
    }
  }
  return out;
}

/** Bytes of memory (or disk) a file holds: its allocated blocks, 512 bytes each. */
export function allocatedBytes(path: string): number {
  return statSync(path).blocks * 512;
}

/** `1234567890` → `"1.15 GiB"`, `"12.3 MiB"`. */
export function formatBytes(n: number): string {
  const a = Math.abs(n);
  if (a >= 2 ** 30) return `${(n / 2 ** 30).toFixed(2)} GiB`;
  if (a >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  return `${(n / 1024).toFixed(0)} KiB`;
}
